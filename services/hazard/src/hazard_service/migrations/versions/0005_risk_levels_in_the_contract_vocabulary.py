"""risk levels in the contract's one vocabulary: a risk point's red, orange, yellow, blue become major, large,
general, low (shared.contracts.vocabulary.RiskLevel, which the supervisor's enterprise registry already used)"""

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"

# The pairs are written out rather than imported: a migration keeps meaning what it meant when written.
COLOUR_TO_LEVEL = (("red", "major"), ("orange", "large"), ("yellow", "general"), ("blue", "low"))


def _rename(pairs: tuple[tuple[str, str], ...]) -> None:
    cases = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in pairs)
    olds = ", ".join(f"'{old}'" for old, _ in pairs)
    op.execute(f"UPDATE hazard.risk_point SET level = CASE level {cases} END WHERE level IN ({olds})")


def upgrade() -> None:
    _rename(COLOUR_TO_LEVEL)


def downgrade() -> None:
    _rename(tuple((new, old) for old, new in COLOUR_TO_LEVEL))
