"""A case row and the domain state convert both ways without loss."""

from __future__ import annotations

from datetime import date

from enforcement_service.cases import domain
from enforcement_service.cases.domain import ItemKind, Outcome, PenaltyItem
from enforcement_service.cases.mapping import apply_state, to_state
from enforcement_service.cases.models import PenaltyCase
from enforcement_service.cases.rules import PROCEDURE_RULES

RULES = PROCEDURE_RULES.on(date(2026, 3, 2))


def test_state_survives_a_round_trip_through_the_row() -> None:
    state = domain.new_general_case(party_type="unit", filed_on=date(2026, 3, 2), rules=RULES)
    state.officers = ["李四", "王五"]
    state.outcome = Outcome.PENALTY
    state.items = [
        PenaltyItem(kind=ItemKind.FINE, amount_fen=123_45),
        PenaltyItem(
            kind=ItemKind.DETENTION_REFERRAL,
            persons=2,
            outcome="detained",
            outcome_by="公安局",
            outcome_on=date(2026, 4, 1),
        ),
    ]
    row = PenaltyCase()
    apply_state(row, state)
    assert row.items[1]["outcome_on"] == "2026-04-01"
    assert row.stage == "filed"
    assert to_state(row) == state
