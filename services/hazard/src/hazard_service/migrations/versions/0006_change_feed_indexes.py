"""change feed: hazards and risk points are read in (updated_at, id) order since a moment (updated_since)"""

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    op.create_index("ix_hazard_updated_at", "hazard", ["updated_at", "id"], unique=False, schema="hazard")
    op.create_index("ix_risk_point_updated_at", "risk_point", ["updated_at", "id"], unique=False, schema="hazard")


def downgrade() -> None:
    op.drop_index("ix_risk_point_updated_at", table_name="risk_point", schema="hazard")
    op.drop_index("ix_hazard_updated_at", table_name="hazard", schema="hazard")
