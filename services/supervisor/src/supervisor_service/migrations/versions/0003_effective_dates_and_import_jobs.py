"""effective dates: enterprise.registered_on and supervisor.appointed_on (existing rows: the regulator's day of
their creation); import_job for bulk historical imports"""

import sqlalchemy as sa
from alembic import op

from shared.imports.jobs import create_import_job_table

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    for table, column in (("enterprise", "registered_on"), ("supervisor", "appointed_on")):
        op.add_column(table, sa.Column(column, sa.Date(), nullable=True), schema="supervisor")
        op.execute(f"UPDATE supervisor.{table} SET {column} = (created_at AT TIME ZONE 'Asia/Shanghai')::date")
        op.alter_column(table, column, nullable=False, schema="supervisor")
    create_import_job_table("supervisor")


def downgrade() -> None:
    op.drop_table("import_job", schema="supervisor")
    op.drop_column("supervisor", "appointed_on", schema="supervisor")
    op.drop_column("enterprise", "registered_on", schema="supervisor")
