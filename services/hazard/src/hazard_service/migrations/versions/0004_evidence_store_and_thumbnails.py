"""evidence store: photo bytes in hazard.evidence_object (the PostgreSQL store); a thumbnail key per photo"""

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    op.create_table(
        "evidence_object",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_evidence_object")),
        schema="hazard",
    )
    # Photos are compressed already: TOAST stores them out of line without trying to compress them again.
    op.execute("ALTER TABLE hazard.evidence_object ALTER COLUMN data SET STORAGE EXTERNAL")
    op.add_column("hazard_photo", sa.Column("thumbnail_key", sa.String(length=300), nullable=True), schema="hazard")


def downgrade() -> None:
    op.drop_column("hazard_photo", "thumbnail_key", schema="hazard")
    op.drop_table("evidence_object", schema="hazard")
