"""outbox published_at index leaves out unpublished rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 03:05:00.000000
"""

from collections.abc import Sequence

from shared.db.platform_migrations import index_all_outbox_rows_by_published_at, index_only_published_outbox_rows

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    index_only_published_outbox_rows("enforcement")


def downgrade() -> None:
    index_all_outbox_rows_by_published_at("enforcement")
