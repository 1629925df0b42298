"""plan list keyset indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 03:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_enforcement_plan_year_approved_on_id",
        "enforcement_plan",
        ["year", "approved_on", "id"],
        unique=False,
        schema="enforcement",
    )
    op.create_index(
        "ix_enforcement_plan_unit_code_approved_on_id",
        "enforcement_plan",
        ["unit_code", "approved_on", "id"],
        unique=False,
        schema="enforcement",
    )


def downgrade() -> None:
    op.drop_index("ix_enforcement_plan_unit_code_approved_on_id", table_name="enforcement_plan", schema="enforcement")
    op.drop_index("ix_enforcement_plan_year_approved_on_id", table_name="enforcement_plan", schema="enforcement")
