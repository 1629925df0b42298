"""initial schema"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.platform_migrations import create_indexes, create_platform_tables, drop_platform_tables, drop_tables

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    create_platform_tables("reporting")
    op.create_table(
        "aggregate_state",
        sa.Column("aggregate_type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("aggregate_type", "aggregate_id", name=op.f("pk_aggregate_state")),
        schema="reporting",
    )
    op.create_table(
        "event_log",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("event_type", sa.String(length=128), nullable=False),
        sa.Column("event_version", sa.Integer(), nullable=False),
        sa.Column("aggregate_type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=128), nullable=False),
        sa.Column("aggregate_version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_log")),
        schema="reporting",
    )
    create_indexes(
        "reporting",
        "event_log",
        sa.Index("ix_event_log_event_type_occurred_at", "event_type", "occurred_at"),
        sa.Index("ix_event_log_seq", "seq", unique=True),
    )
    op.create_table(
        "projection_freshness",
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("last_applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events_applied", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_projection_freshness")),
        schema="reporting",
    )
    op.create_table(
        "stat_detail_day",
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=False),
        sa.Column("campaign_code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=96), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "period",
            "township_code",
            "department_code",
            "industry_code",
            "campaign_code",
            "indicator",
            name=op.f("pk_stat_detail_day"),
        ),
        schema="reporting",
    )
    create_indexes(
        "reporting",
        "stat_detail_day",
        sa.Index("ix_stat_detail_day_campaign_code_period", "campaign_code", "period"),
        sa.Index("ix_stat_detail_day_department_code_period", "department_code", "period"),
        sa.Index("ix_stat_detail_day_industry_code_period", "industry_code", "period"),
        sa.Index("ix_stat_detail_day_township_code_period", "township_code", "period"),
    )
    # The daily and the monthly counters have one shape.
    for rollup in ("stat_rollup_day", "stat_rollup_month"):
        op.create_table(
            rollup,
            sa.Column("grp", sa.String(length=16), nullable=False),
            sa.Column("key", sa.String(length=64), nullable=False),
            sa.Column("period", sa.Date(), nullable=False),
            sa.Column("indicator", sa.String(length=96), nullable=False),
            sa.Column("value", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("grp", "key", "period", "indicator", name=op.f(f"pk_{rollup}")),
            schema="reporting",
        )
    op.create_table(
        "supplementary_figure",
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=128), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("period_start", "period_end", "indicator", name=op.f("pk_supplementary_figure")),
        schema="reporting",
    )
    create_indexes("reporting", "supplementary_figure", sa.Index("ix_supplementary_figure_period_end", "period_end"))


def downgrade() -> None:
    drop_tables(
        "reporting",
        "supplementary_figure",
        "stat_rollup_month",
        "stat_rollup_day",
        "stat_detail_day",
        "projection_freshness",
        "event_log",
        "aggregate_state",
    )
    drop_platform_tables("reporting")
