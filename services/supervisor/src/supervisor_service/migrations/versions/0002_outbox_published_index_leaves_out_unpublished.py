"""outbox published_at index leaves out unpublished rows"""

from shared.db.platform_migrations import index_all_outbox_rows_by_published_at, index_only_published_outbox_rows

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    index_only_published_outbox_rows("supervisor")


def downgrade() -> None:
    index_all_outbox_rows_by_published_at("supervisor")
