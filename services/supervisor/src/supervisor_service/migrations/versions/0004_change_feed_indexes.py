"""change feed: enterprises, supervisors and assignments are read in (updated_at, id) order since a moment
(updated_since)"""

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"

TABLES = ("enterprise", "supervisor", "assignment")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at", "id"], unique=False, schema="supervisor")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_updated_at", table_name=table, schema="supervisor")
