"""import_job for bulk historical imports of hazards"""

from alembic import op

from shared.imports.jobs import create_import_job_table

revision: str = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    create_import_job_table("hazard")


def downgrade() -> None:
    op.drop_table("import_job", schema="hazard")
