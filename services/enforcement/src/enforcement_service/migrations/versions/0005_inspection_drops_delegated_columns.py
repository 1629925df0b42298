"""inspection drops the delegated columns

A township inspects in its own name under its statutory duty of supervision (安全生产法 art. 9);
delegation (委托执法) covers penalties only, so an inspection was never delegated and the columns were
never set.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"


def upgrade() -> None:
    op.drop_column("inspection", "delegated_township_code", schema="enforcement")
    op.drop_column("inspection", "delegated", schema="enforcement")


def downgrade() -> None:
    # Every inspection was recorded undelegated; the default only fills the existing rows.
    op.add_column(
        "inspection",
        sa.Column("delegated", sa.Boolean(), nullable=False, server_default=sa.false()),
        schema="enforcement",
    )
    op.alter_column("inspection", "delegated", server_default=None, schema="enforcement")
    op.add_column(
        "inspection", sa.Column("delegated_township_code", sa.String(length=12), nullable=True), schema="enforcement"
    )
