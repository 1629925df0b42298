"""penalty case carries its campaign code

A case may belong to a campaign (专项行动, campaigns.json), so a campaign's fines and measures are counted.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"


def upgrade() -> None:
    op.add_column("penalty_case", sa.Column("campaign_code", sa.String(length=64), nullable=True), schema="enforcement")


def downgrade() -> None:
    op.drop_column("penalty_case", "campaign_code", schema="enforcement")
