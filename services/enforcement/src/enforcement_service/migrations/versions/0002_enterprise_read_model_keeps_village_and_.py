"""enterprise read model keeps village and employee count"""

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"


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
