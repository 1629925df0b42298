"""outbox published_at index leaves out unpublished rows"""

from shared.db.platform_migrations import outbox_published_index_revision

revision: str = "0002"
down_revision: str | None = "0001"

upgrade, downgrade = outbox_published_index_revision("hazard")
