"""initial schema"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.platform_migrations import (
    create_enterprise_view,
    create_indexes,
    create_platform_tables,
    drop_platform_tables,
    drop_tables,
)

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    create_platform_tables("hazard")
    create_enterprise_view("hazard", village_and_employee_count=True)
    op.create_table(
        "hazard",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_reference", sa.String(length=128), nullable=True),
        sa.Column("campaign_codes", postgresql.ARRAY(sa.String(length=64)), server_default="{}", nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reporter_name", sa.String(length=100), nullable=True),
        sa.Column("reporting_unit", sa.String(length=200), nullable=True),
        sa.Column("reported_by", sa.String(length=128), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("funds_fen", sa.BigInteger(), nullable=True),
        sa.Column("funds_spent_fen", sa.BigInteger(), nullable=True),
        sa.Column("rectification_deadline", sa.Date(), nullable=True),
        sa.Column("original_deadline", sa.Date(), nullable=True),
        sa.Column("responsible_person", sa.String(length=100), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("emergency_plan", sa.Text(), nullable=True),
        sa.Column("standard_code", sa.String(length=64), nullable=True),
        sa.Column("standard_version", sa.String(length=32), nullable=True),
        sa.Column("clause_code", sa.String(length=64), nullable=True),
        sa.Column("ledger_number", sa.String(length=64), nullable=True),
        sa.Column("ledgered_on", sa.Date(), nullable=True),
        sa.Column("listed", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("listing_level", sa.String(length=64), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("deferral_pending", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("overdue", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("was_overdue", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("escalation_step", sa.String(length=32), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
        schema="hazard",
    )
    create_indexes(
        "hazard",
        "hazard",
        sa.Index("ix_hazard_campaign_codes", "campaign_codes", postgresql_using="gin"),
        sa.Index("ix_hazard_closed_on", "closed_on", "id", postgresql_where=sa.text("closed_on IS NOT NULL")),
        sa.Index("ix_hazard_created_at", "created_at", "id"),
        sa.Index("ix_hazard_deadline", "rectification_deadline", "id"),
        sa.Index(
            "ix_hazard_deadline_key", sa.literal_column("coalesce(rectification_deadline, DATE '9999-12-31')"), "id"
        ),
        sa.Index("ix_hazard_enterprise_id_reported_on", "enterprise_id", "reported_on", "id"),
        sa.Index("ix_hazard_grade_status_reported_on", "grade", "status", "reported_on", "id"),
        sa.Index("ix_hazard_listed", "reported_on", "id", postgresql_where=sa.text("listed")),
        sa.Index(
            "ix_hazard_open_rectification_deadline",
            "rectification_deadline",
            postgresql_where=sa.text("status = 'rectifying'"),
        ),
        sa.Index(
            "ix_hazard_open_review_due_on", "review_due_on", postgresql_where=sa.text("status = 'acceptance_applied'")
        ),
        sa.Index("ix_hazard_overdue", "reported_on", "id", postgresql_where=sa.text("overdue")),
        sa.Index("ix_hazard_reported_on_id", "reported_on", "id"),
        sa.Index("ix_hazard_source_reported_on", "source", "reported_on", "id"),
        sa.Index("ix_hazard_status_reported_on", "status", "reported_on", "id"),
        sa.Index("ix_hazard_township_code_reported_on", "township_code", "reported_on", "id"),
        sa.Index("uq_hazard_source_reference", "source_reference", unique=True),
    )
    op.create_table(
        "hazard_deferral",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("current_deadline", sa.Date(), nullable=False),
        sa.Column("requested_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_deferral")),
        schema="hazard",
    )
    create_indexes("hazard", "hazard_deferral", sa.Index("ix_hazard_deferral_hazard_id", "hazard_id", "created_at"))
    op.create_table(
        "hazard_listing",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("level", sa.String(length=64), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("responsible_unit", sa.String(length=200), nullable=False),
        sa.Column("handing_unit", sa.String(length=200), nullable=False),
        sa.Column("supervising_unit", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("receipt_signed_by", sa.String(length=100), nullable=True),
        sa.Column("receipt_signed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_listing")),
        sa.UniqueConstraint("hazard_id", name=op.f("uq_hazard_listing_hazard_id")),
        schema="hazard",
    )
    create_indexes("hazard", "hazard_listing", sa.Index("ix_hazard_listing_level_listed_on", "level", "listed_on"))
    op.create_table(
        "hazard_notice",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_notice")),
        schema="hazard",
    )
    create_indexes("hazard", "hazard_notice", sa.Index("ix_hazard_notice_hazard_id", "hazard_id", "published_on"))
    op.create_table(
        "hazard_overdue",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("deadline_kind", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_overdue")),
        sa.UniqueConstraint(
            "hazard_id", "deadline_kind", "deadline", name=op.f("uq_hazard_overdue_hazard_id_deadline_kind_deadline")
        ),
        schema="hazard",
    )
    op.create_table(
        "hazard_photo",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_photo")),
        schema="hazard",
    )
    create_indexes("hazard", "hazard_photo", sa.Index("ix_hazard_photo_hazard_id", "hazard_id", "uploaded_at"))
    op.create_table(
        "hazard_timeline",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("hazard_version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("actor_roles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_timeline")),
        schema="hazard",
    )
    create_indexes("hazard", "hazard_timeline", sa.Index("ix_hazard_timeline_hazard_id", "hazard_id", "id"))
    op.create_table(
        "judgment_standard",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=True),
        sa.Column("issuer_document", sa.String(length=200), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("industries", postgresql.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=True),
        sa.Column("scope_note", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("code", "version", name=op.f("pk_judgment_standard")),
        schema="hazard",
    )
    op.create_table(
        "risk_point",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=True),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("hazard_factors", sa.Text(), nullable=True),
        sa.Column("possible_accidents", sa.Text(), nullable=True),
        sa.Column("control_measures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("responsible_person", sa.String(length=100), nullable=False),
        sa.Column("responsible_phone", sa.String(length=32), nullable=True),
        sa.Column("responsible_unit", sa.String(length=200), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_point")),
        schema="hazard",
    )
    create_indexes(
        "hazard",
        "risk_point",
        sa.Index("ix_risk_point_enterprise_id", "enterprise_id", "id"),
        sa.Index("ix_risk_point_level", "level", "id"),
        sa.Index("ix_risk_point_township_code_level", "township_code", "level", "id"),
    )
    op.create_table(
        "upstream_mapping",
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=True),
        sa.Column("sync_status", sa.String(length=16), nullable=False),
        sa.Column("last_event_type", sa.String(length=64), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("target", "hazard_id", name=op.f("pk_upstream_mapping")),
        schema="hazard",
    )
    create_indexes("hazard", "upstream_mapping", sa.Index("ix_upstream_mapping_sync_status", "target", "sync_status"))
    op.create_table(
        "upstream_outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upstream_outbox")),
        sa.UniqueConstraint("target", "message_id", name=op.f("uq_upstream_outbox_target_message_id")),
        schema="hazard",
    )
    create_indexes(
        "hazard",
        "upstream_outbox",
        sa.Index("ix_upstream_outbox_hazard_id", "hazard_id", "id"),
        sa.Index("ix_upstream_outbox_pending", "target", "id", postgresql_where=sa.text("sent_at IS NULL")),
    )
    op.create_table(
        "upstream_target_state",
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alerting", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_upstream_target_state")),
        schema="hazard",
    )
    op.create_table(
        "judgment_clause",
        sa.Column("standard_code", sa.String(length=64), nullable=False),
        sa.Column("standard_version", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("industries", postgresql.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("confidence", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["standard_code", "standard_version"],
            ["hazard.judgment_standard.code", "hazard.judgment_standard.version"],
            name=op.f("fk_judgment_clause_standard_code_judgment_standard"),
        ),
        sa.PrimaryKeyConstraint("standard_code", "standard_version", "code", name=op.f("pk_judgment_clause")),
        schema="hazard",
    )
    create_indexes(
        "hazard", "judgment_clause", sa.Index("ix_judgment_clause_industries", "industries", postgresql_using="gin")
    )


def downgrade() -> None:
    drop_tables(
        "hazard",
        "judgment_clause",
        "upstream_target_state",
        "upstream_outbox",
        "upstream_mapping",
        "risk_point",
        "judgment_standard",
        "hazard_timeline",
        "hazard_photo",
        "hazard_overdue",
        "hazard_notice",
        "hazard_listing",
        "hazard_deferral",
        "hazard",
        "enterprise_view",
    )
    drop_platform_tables("hazard")
