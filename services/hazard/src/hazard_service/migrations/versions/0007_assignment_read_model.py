"""assignment read model: a resident supervisor reports hazards only at the enterprises assigned to them

Kept from supervisor.events (assignment.started / assignment.ended) by the hazard.assignment-projection group.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"


def upgrade() -> None:
    op.create_table(
        "assignment_view",
        sa.Column("assignment_id", sa.Uuid(), nullable=False),
        sa.Column("supervisor_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("aggregate_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_assignment_view")),
        schema="hazard",
    )
    op.create_index(
        "ix_assignment_view_supervisor_id_enterprise_id",
        "assignment_view",
        ["supervisor_id", "enterprise_id"],
        unique=False,
        schema="hazard",
    )


def downgrade() -> None:
    op.drop_index("ix_assignment_view_supervisor_id_enterprise_id", table_name="assignment_view", schema="hazard")
    op.drop_table("assignment_view", schema="hazard")
