"""outbox published_at index leaves out unpublished rows"""

from shared.db.platform_migrations import index_all_outbox_rows_by_published_at, index_only_published_outbox_rows

revision: str = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    index_only_published_outbox_rows("enforcement")


def downgrade() -> None:
    index_all_outbox_rows_by_published_at("enforcement")
