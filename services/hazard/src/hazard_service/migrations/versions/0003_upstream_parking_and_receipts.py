"""upstream outbox: parked and discarded messages, the target's answer and receipt; target contact"""

import sqlalchemy as sa
from alembic import op

from shared.db.platform_migrations import create_indexes, drop_indexes

revision: str = "0003"
down_revision: str | None = "0002"

OUTBOX_COLUMNS = (
    sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("answer_status", sa.Integer(), nullable=True),
    sa.Column("answer_body", sa.Text(), nullable=True),
    sa.Column("discarded_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("discarded_by", sa.String(length=128), nullable=True),
    sa.Column("receipt_status", sa.String(length=16), nullable=True),
    sa.Column("receipt_reason", sa.Text(), nullable=True),
    sa.Column("receipt_at", sa.DateTime(timezone=True), nullable=True),
)
STATE_COLUMNS = (
    sa.Column("last_contact_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("receipts_cursor", sa.String(length=128), nullable=True),
)


def upgrade() -> None:
    for column in OUTBOX_COLUMNS:
        op.add_column("upstream_outbox", column, schema="hazard")
    for column in STATE_COLUMNS:
        op.add_column("upstream_target_state", column, schema="hazard")
    drop_indexes("hazard", "upstream_outbox", "ix_upstream_outbox_pending")
    create_indexes(
        "hazard",
        "upstream_outbox",
        sa.Index(
            "ix_upstream_outbox_pending",
            "target",
            "id",
            postgresql_where=sa.text("sent_at IS NULL AND parked_at IS NULL"),
        ),
        sa.Index(
            "ix_upstream_outbox_parked",
            "target",
            "id",
            postgresql_where=sa.text("parked_at IS NOT NULL AND discarded_at IS NULL"),
        ),
        sa.Index("ix_upstream_outbox_sent_at", "sent_at", postgresql_where=sa.text("sent_at IS NOT NULL")),
    )


def downgrade() -> None:
    drop_indexes(
        "hazard",
        "upstream_outbox",
        "ix_upstream_outbox_sent_at",
        "ix_upstream_outbox_parked",
        "ix_upstream_outbox_pending",
    )
    create_indexes(
        "hazard",
        "upstream_outbox",
        sa.Index("ix_upstream_outbox_pending", "target", "id", postgresql_where=sa.text("sent_at IS NULL")),
    )
    for column in STATE_COLUMNS:
        op.drop_column("upstream_target_state", column.name, schema="hazard")
    for column in OUTBOX_COLUMNS:
        op.drop_column("upstream_outbox", column.name, schema="hazard")
