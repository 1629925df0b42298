"""change feed: an inspection keeps when it last changed (updated_at, existing rows: their created_at); cases and
inspections are read in (updated_at, id) order since a moment (updated_since)"""

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    op.add_column(
        "inspection",
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        schema="enforcement",
    )
    op.execute("UPDATE enforcement.inspection SET updated_at = created_at")
    op.create_index("ix_inspection_updated_at", "inspection", ["updated_at", "id"], unique=False, schema="enforcement")
    op.create_index(
        "ix_penalty_case_updated_at", "penalty_case", ["updated_at", "id"], unique=False, schema="enforcement"
    )


def downgrade() -> None:
    op.drop_index("ix_penalty_case_updated_at", table_name="penalty_case", schema="enforcement")
    op.drop_index("ix_inspection_updated_at", table_name="inspection", schema="enforcement")
    op.drop_column("inspection", "updated_at", schema="enforcement")
