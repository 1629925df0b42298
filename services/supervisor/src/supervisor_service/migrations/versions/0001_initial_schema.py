"""initial schema"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.platform_migrations import create_indexes, create_platform_tables, drop_platform_tables, drop_tables

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    create_platform_tables("supervisor")
    # The trigram index on enterprise names needs pg_trgm (created in the first schema of the search_path).
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "department",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("supervised_industry_codes", postgresql.ARRAY(sa.String(length=8)), nullable=False),
        sa.Column("hosted_by", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("dataset_version", sa.String(length=64), nullable=False),
        sa.Column("retired_in_version", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_department")),
        schema="supervisor",
    )
    op.create_table(
        "enterprise",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("industry_code", sa.String(length=8, collation="C"), nullable=False),
        sa.Column("industry_section", sa.String(length=1), nullable=False),
        sa.Column("industry_division", sa.String(length=2), nullable=True),
        sa.Column("township_code", sa.String(length=12, collation="C"), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("employee_count", sa.Integer(), nullable=False),
        sa.Column("high_risk", sa.Boolean(), nullable=False),
        sa.Column("risk_level", sa.String(length=16), nullable=True),
        sa.Column("supervising_department", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprise_credit_code")),
        schema="supervisor",
    )
    create_indexes(
        "supervisor",
        "enterprise",
        sa.Index("ix_enterprise_employee_count", "employee_count"),
        sa.Index("ix_enterprise_industry_code", "industry_code"),
        sa.Index("ix_enterprise_industry_division_name", "industry_division", "name", "id"),
        sa.Index("ix_enterprise_industry_section_name", "industry_section", "name", "id"),
        sa.Index("ix_enterprise_name_id", "name", "id"),
        sa.Index("ix_enterprise_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )
    # Two-character Chinese searches (木业, 超市) are shorter than a trigram: index the name's bigrams.
    op.execute(
        """
        CREATE FUNCTION supervisor.name_bigrams(name text) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}')
              FROM generate_series(1, char_length(name) - 1) AS i $$
        """
    )
    op.execute(
        "CREATE INDEX ix_enterprise_name_bigrams ON supervisor.enterprise "
        "USING gin (supervisor.name_bigrams(lower(name)))"
    )
    create_indexes(
        "supervisor",
        "enterprise",
        sa.Index("ix_enterprise_risk_level_name", "risk_level", "name", "id"),
        sa.Index("ix_enterprise_status", "status"),
        sa.Index("ix_enterprise_supervising_department_name", "supervising_department", "name", "id"),
        sa.Index("ix_enterprise_township_code_name", "township_code", "name", "id"),
    )
    op.create_table(
        "industry",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=8), nullable=True),
        sa.Column("dataset_version", sa.String(length=64), nullable=False),
        sa.Column("retired_in_version", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_industry")),
        schema="supervisor",
    )
    op.create_table(
        "jurisdiction",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=True),
        sa.Column("dataset_version", sa.String(length=64), nullable=False),
        sa.Column("retired_in_version", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_jurisdiction")),
        schema="supervisor",
    )
    create_indexes("supervisor", "jurisdiction", sa.Index("ix_jurisdiction_parent_code", "parent_code"))
    op.create_table(
        "reference_dataset",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("kind", "version", name=op.f("pk_reference_dataset")),
        schema="supervisor",
    )
    op.create_table(
        "supervisor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("org_kind", sa.String(length=16), nullable=False),
        sa.Column("org_code", sa.String(length=16), nullable=False),
        sa.Column("township_code", sa.String(length=12, collation="C"), nullable=True),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor")),
        sa.UniqueConstraint("code", name=op.f("uq_supervisor_code")),
        schema="supervisor",
    )
    create_indexes(
        "supervisor",
        "supervisor",
        sa.Index("ix_supervisor_name_id", "name", "id"),
        sa.Index("ix_supervisor_org_code_name", "org_code", "name", "id"),
        sa.Index("ix_supervisor_township_code", "township_code"),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["supervisor.enterprise.id"], name=op.f("fk_assignment_enterprise_id_enterprise")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["supervisor.supervisor.id"], name=op.f("fk_assignment_supervisor_id_supervisor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        schema="supervisor",
    )
    create_indexes(
        "supervisor",
        "assignment",
        sa.Index("ix_assignment_active_supervisor", "supervisor_id", postgresql_where=sa.text("active")),
        sa.Index("ix_assignment_enterprise_start", "enterprise_id", "start_date"),
        sa.Index("ix_assignment_supervisor_start", "supervisor_id", "start_date"),
        sa.Index("uq_assignment_active_enterprise", "enterprise_id", unique=True, postgresql_where=sa.text("active")),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("checked_items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["supervisor.enterprise.id"], name=op.f("fk_visit_enterprise_id_enterprise")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["supervisor.supervisor.id"], name=op.f("fk_visit_supervisor_id_supervisor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
        schema="supervisor",
    )
    create_indexes(
        "supervisor",
        "visit",
        sa.Index("ix_visit_enterprise_visited_on", "enterprise_id", "visited_on", "id"),
        sa.Index("ix_visit_supervisor_visited_on", "supervisor_id", "visited_on", "id"),
        sa.Index("ix_visit_township_visited_on", "township_code", "visited_on"),
    )
    op.create_table(
        "visit_finding",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("grade_suggestion", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("photo_refs", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("clause_code", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["supervisor.visit.id"], name=op.f("fk_visit_finding_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_finding")),
        schema="supervisor",
    )
    create_indexes("supervisor", "visit_finding", sa.Index("ix_visit_finding_visit_id", "visit_id", "position"))


def downgrade() -> None:
    drop_tables(
        "supervisor",
        "visit_finding",
        "visit",
        "assignment",
        "supervisor",
        "reference_dataset",
        "jurisdiction",
        "industry",
        "enterprise",
        "department",
    )
    # The bigram index went with the enterprise table, so nothing uses the function any more.
    op.execute("DROP FUNCTION supervisor.name_bigrams(text)")
    drop_platform_tables("supervisor")
