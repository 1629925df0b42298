"""delegation list indexes"""

import sqlalchemy as sa

from shared.db.platform_migrations import create_indexes, drop_indexes

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    # The new township index ends in id, so it also serves the keyset order the old one could not.
    drop_indexes("enforcement", "delegation", "ix_delegation_township_code_starts_on")
    create_indexes(
        "enforcement",
        "delegation",
        sa.Index("ix_delegation_township_code_starts_on_id", "township_code", "starts_on", "id"),
        sa.Index("ix_delegation_starts_on_id", "starts_on", "id"),
    )


def downgrade() -> None:
    drop_indexes("enforcement", "delegation", "ix_delegation_starts_on_id", "ix_delegation_township_code_starts_on_id")
    create_indexes(
        "enforcement", "delegation", sa.Index("ix_delegation_township_code_starts_on", "township_code", "starts_on")
    )
