"""import_job for bulk historical imports of penalty cases"""

from alembic import op

from shared.imports.jobs import create_import_job_table

revision: str = "0009"
down_revision: str | None = "0008"


def upgrade() -> None:
    create_import_job_table("enforcement")


def downgrade() -> None:
    op.drop_table("import_job", schema="enforcement")
