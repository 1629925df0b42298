"""delegation list indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The new township index ends in id, so it also serves the keyset order the old one could not.
    op.drop_index("ix_delegation_township_code_starts_on", table_name="delegation", schema="enforcement")
    op.create_index(
        "ix_delegation_township_code_starts_on_id",
        "delegation",
        ["township_code", "starts_on", "id"],
        unique=False,
        schema="enforcement",
    )
    op.create_index("ix_delegation_starts_on_id", "delegation", ["starts_on", "id"], unique=False, schema="enforcement")


def downgrade() -> None:
    op.drop_index("ix_delegation_starts_on_id", table_name="delegation", schema="enforcement")
    op.drop_index("ix_delegation_township_code_starts_on_id", table_name="delegation", schema="enforcement")
    op.create_index(
        "ix_delegation_township_code_starts_on",
        "delegation",
        ["township_code", "starts_on"],
        unique=False,
        schema="enforcement",
    )
