"""plan list keyset indexes"""

import sqlalchemy as sa

from shared.db.platform_migrations import create_indexes, drop_indexes

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    create_indexes(
        "enforcement",
        "enforcement_plan",
        sa.Index("ix_enforcement_plan_year_approved_on_id", "year", "approved_on", "id"),
        sa.Index("ix_enforcement_plan_unit_code_approved_on_id", "unit_code", "approved_on", "id"),
    )


def downgrade() -> None:
    drop_indexes(
        "enforcement",
        "enforcement_plan",
        "ix_enforcement_plan_unit_code_approved_on_id",
        "ix_enforcement_plan_year_approved_on_id",
    )
