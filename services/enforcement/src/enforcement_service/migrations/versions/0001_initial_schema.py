"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 20:49:05.674082
"""

from collections.abc import Sequence

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
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables("enforcement")
    op.create_table(
        "case_lead",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("hazard_id", sa.String(length=64), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_lead")),
        sa.UniqueConstraint("hazard_id", "deadline", name="uq_case_lead_hazard_id_deadline"),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "case_lead",
        sa.Index("ix_case_lead_status_opened_on_id", "status", "opened_on", "id"),
        sa.Index("ix_case_lead_township_code_opened_on_id", "township_code", "opened_on", "id"),
    )
    op.create_table(
        "crackdown_action",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("patrols", sa.Integer(), nullable=False),
        sa.Column("persons_deployed", sa.Integer(), nullable=False),
        sa.Column("sites_stopped", sa.Integer(), nullable=False),
        sa.Column("seizures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("seizure_value_fen", sa.BigInteger(), nullable=False),
        sa.Column("campaign_code", sa.String(length=64), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crackdown_action")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "crackdown_action",
        sa.Index("ix_crackdown_action_acted_on_id", "acted_on", "id"),
        sa.Index("ix_crackdown_action_township_code_acted_on", "township_code", "acted_on"),
        sa.Index("ix_crackdown_action_unit_code_acted_on", "unit_code", "acted_on"),
    )
    op.create_table(
        "delegation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("scope", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("max_fine_fen", sa.BigInteger(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=False),
        sa.Column("document_title", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement", "delegation", sa.Index("ix_delegation_township_code_starts_on", "township_code", "starts_on")
    )
    op.create_table(
        "document_sequence",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "unit_code", "year", name=op.f("pk_document_sequence")),
        schema="enforcement",
    )
    op.create_table(
        "enforcement_plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=100), nullable=True),
        sa.Column("months", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_plan")),
        sa.UniqueConstraint("year", "unit_type", "unit_code", name="uq_enforcement_plan_year_unit"),
        schema="enforcement",
    )
    create_enterprise_view("enforcement", village_and_employee_count=False)
    op.create_table(
        "exposure",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("enterprise_ids", postgresql.ARRAY(sa.String(length=36)), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposure")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "exposure",
        sa.Index("ix_exposure_published_on_id", "published_on", "id"),
        sa.Index("ix_exposure_township_code_published_on", "township_code", "published_on"),
    )
    op.create_table(
        "inspection",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("leader_name", sa.String(length=100), nullable=True),
        sa.Column("leader_post", sa.String(length=100), nullable=True),
        sa.Column("team_members", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("persons_deployed", sa.Integer(), nullable=False),
        sa.Column("enterprise_ids", postgresql.ARRAY(sa.String(length=36)), nullable=False),
        sa.Column("findings_count", sa.Integer(), nullable=False),
        sa.Column("major_findings_count", sa.Integer(), nullable=False),
        sa.Column("campaign_code", sa.String(length=64), nullable=True),
        sa.Column("delegated", sa.Boolean(), nullable=False),
        sa.Column("delegated_township_code", sa.String(length=12), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "inspection",
        sa.Index("ix_inspection_inspected_on_id", "inspected_on", "id"),
        sa.Index("ix_inspection_kind_inspected_on_id", "kind", "inspected_on", "id"),
        sa.Index("ix_inspection_township_code_inspected_on_id", "township_code", "inspected_on", "id"),
        sa.Index("ix_inspection_unit_code_inspected_on_id", "unit_code", "inspected_on", "id"),
    )
    op.create_table(
        "interview",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("enterprise_ids", postgresql.ARRAY(sa.String(length=36)), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("hazard_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "interview",
        sa.Index("ix_interview_held_on_id", "held_on", "id"),
        sa.Index("ix_interview_township_code_held_on", "township_code", "held_on"),
        sa.Index("ix_interview_unit_code_held_on", "unit_code", "held_on"),
    )
    op.create_table(
        "penalty_case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("procedure", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("party_type", sa.String(length=8), nullable=False),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("delegated", sa.Boolean(), nullable=False),
        sa.Column("delegated_township_code", sa.String(length=12), nullable=True),
        sa.Column("delegation_id", sa.Uuid(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("rule_set", sa.String(length=32), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("decide_by", sa.Date(), nullable=False),
        sa.Column("decide_extended", sa.Boolean(), nullable=False),
        sa.Column("officers", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("proposed_items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("legal_reviewed_on", sa.Date(), nullable=True),
        sa.Column("collective_discussed_on", sa.Date(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("hearing_request_by", sa.Date(), nullable=True),
        sa.Column("hearing_requested_on", sa.Date(), nullable=True),
        sa.Column("hearing_on", sa.Date(), nullable=True),
        sa.Column("hearing_held_on", sa.Date(), nullable=True),
        sa.Column("hearing_waived", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_number", sa.String(length=64), nullable=True),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fine_total_fen", sa.BigInteger(), nullable=False),
        sa.Column("service_by", sa.Date(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("pay_by", sa.Date(), nullable=True),
        sa.Column("fine_paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("late_charge_paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("court_enforcement_requested_on", sa.Date(), nullable=True),
        sa.Column("court", sa.String(length=200), nullable=True),
        sa.Column("executed_on", sa.Date(), nullable=True),
        sa.Column("execution_how", sa.String(length=32), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("archive_number", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_case")),
        sa.UniqueConstraint("case_number", name="uq_penalty_case_case_number"),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "penalty_case",
        sa.Index("ix_penalty_case_decide_by_open", "decide_by", postgresql_where="decided_on IS NULL"),
        sa.Index(
            "ix_penalty_case_delegated_township_filed_on",
            "delegated_township_code",
            "filed_on",
            postgresql_where="delegated",
        ),
        sa.Index("ix_penalty_case_enterprise_id_filed_on", "enterprise_id", "filed_on"),
        sa.Index("ix_penalty_case_filed_on_id", "filed_on", "id"),
        sa.Index(
            "ix_penalty_case_hearing_request_by_open", "hearing_request_by", postgresql_where="stage = 'notified'"
        ),
        sa.Index("ix_penalty_case_pay_by_open", "pay_by", postgresql_where="stage = 'served'"),
        sa.Index("ix_penalty_case_procedure_filed_on_id", "procedure", "filed_on", "id"),
        sa.Index("ix_penalty_case_service_by_open", "service_by", postgresql_where="stage = 'decided'"),
        sa.Index("ix_penalty_case_stage_filed_on_id", "stage", "filed_on", "id"),
        sa.Index("ix_penalty_case_township_code_filed_on_id", "township_code", "filed_on", "id"),
        sa.Index("ix_penalty_case_township_code_stage_filed_on_id", "township_code", "stage", "filed_on", "id"),
        sa.Index("ix_penalty_case_unit_code_filed_on_id", "unit_code", "filed_on", "id"),
    )
    op.create_table(
        "typical_case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_typical_case")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement",
        "typical_case",
        sa.Index("ix_typical_case_published_on_id", "published_on", "id"),
        sa.Index("ix_typical_case_township_code_published_on", "township_code", "published_on"),
    )
    op.create_table(
        "case_clock_warning",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("clock", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("emitted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.penalty_case.id"],
            name=op.f("fk_case_clock_warning_case_id_penalty_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "clock", "due_on", "status", name=op.f("pk_case_clock_warning")),
        schema="enforcement",
    )
    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column("collected_by", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("attachments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.penalty_case.id"],
            name=op.f("fk_case_evidence_case_id_penalty_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_evidence")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement", "case_evidence", sa.Index("ix_case_evidence_case_id_created_at", "case_id", "created_at")
    )
    op.create_table(
        "case_payment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("fine_part_fen", sa.BigInteger(), nullable=False),
        sa.Column("late_charge_part_fen", sa.BigInteger(), nullable=False),
        sa.Column("receipt_number", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.penalty_case.id"],
            name=op.f("fk_case_payment_case_id_penalty_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_payment")),
        schema="enforcement",
    )
    create_indexes("enforcement", "case_payment", sa.Index("ix_case_payment_case_id_paid_on", "case_id", "paid_on"))
    op.create_table(
        "case_stage_entry",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_stage", sa.String(length=32), nullable=False),
        sa.Column("to_stage", sa.String(length=32), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement.penalty_case.id"],
            name=op.f("fk_case_stage_entry_case_id_penalty_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_stage_entry")),
        schema="enforcement",
    )
    create_indexes("enforcement", "case_stage_entry", sa.Index("ix_case_stage_entry_case_id_id", "case_id", "id"))
    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("grade_suggestion", sa.String(length=16), nullable=False),
        sa.Column("standard_code", sa.String(length=64), nullable=True),
        sa.Column("clause", sa.String(length=64), nullable=True),
        sa.Column("rectify_by", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["enforcement.inspection.id"],
            name=op.f("fk_inspection_finding_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_finding")),
        schema="enforcement",
    )
    create_indexes(
        "enforcement", "inspection_finding", sa.Index("ix_inspection_finding_inspection_id", "inspection_id")
    )


def downgrade() -> None:
    drop_tables(
        "enforcement",
        "inspection_finding",
        "case_stage_entry",
        "case_payment",
        "case_evidence",
        "case_clock_warning",
        "typical_case",
        "penalty_case",
        "interview",
        "inspection",
        "exposure",
        "enterprise_view",
        "enforcement_plan",
        "document_sequence",
        "delegation",
        "crackdown_action",
        "case_lead",
    )
    drop_platform_tables("enforcement")
