"""enterprise read model keeps village and employee count

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:40:53.852129
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "enterprise_view", sa.Column("village_code", sa.String(length=12), nullable=True), schema="enforcement"
    )
    # Rows that exist already get 0 until the enterprise's next event; the default is only for them.
    op.add_column(
        "enterprise_view",
        sa.Column("employee_count", sa.Integer(), nullable=False, server_default="0"),
        schema="enforcement",
    )
    op.alter_column("enterprise_view", "employee_count", server_default=None, schema="enforcement")


def downgrade() -> None:
    op.drop_column("enterprise_view", "employee_count", schema="enforcement")
    op.drop_column("enterprise_view", "village_code", schema="enforcement")
