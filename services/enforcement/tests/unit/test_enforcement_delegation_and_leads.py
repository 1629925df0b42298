"""Township delegation checks and the case lead life cycle."""

from __future__ import annotations

from datetime import date

import pytest

from enforcement_service.cases.exceptions import OutsideDelegation
from enforcement_service.delegations.domain import DelegationTerms, check_within
from enforcement_service.leads import domain as leads
from shared.errors import IllegalTransition, ValidationFailed

TOWNSHIP = "431281101000"
TERMS = DelegationTerms(
    delegation_id="d1",
    township_code=TOWNSHIP,
    scope=frozenset({"simplified_procedure", "general_procedure", "warning", "fine"}),
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 12, 31),
    max_fine_fen=1_000_000,
)


def check(terms: DelegationTerms | None = TERMS, **overrides: object) -> DelegationTerms:
    values: dict[str, object] = {
        "township_code": TOWNSHIP,
        "party_township_code": TOWNSHIP,
        "on": date(2026, 5, 1),
        "acts": ["fine"],
        "fine_fen": 100_000,
    }
    values.update(overrides)
    return check_within(terms, **values)  # type: ignore[arg-type]


def test_an_act_within_scope_term_and_limit_is_allowed() -> None:
    assert check() is TERMS


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"acts": ["fine", "stop_production"]}, "does not cover: stop_production"),
        ({"on": date(2027, 1, 1)}, "runs from 2026-01-01 to 2026-12-31"),
        ({"party_township_code": "431281102000"}, "not in 431281102000"),
        ({"fine_fen": 1_000_001}, "up to 10000 yuan"),
    ],
)
def test_acts_outside_the_delegation_are_refused_with_the_reason(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(OutsideDelegation, match=reason):
        check(**overrides)


def test_no_delegation_or_a_revoked_one_refuses() -> None:
    with pytest.raises(OutsideDelegation, match="holds no delegation"):
        check(None)
    revoked = DelegationTerms(**{**TERMS.__dict__, "revoked_on": date(2026, 4, 1)})
    with pytest.raises(OutsideDelegation, match="revoked on 2026-04-01"):
        check(revoked)


def test_a_lead_is_accepted_or_dismissed_once() -> None:
    assert leads.accept(leads.LeadStatus.OPEN) is leads.LeadStatus.ACCEPTED
    assert leads.dismiss(leads.LeadStatus.OPEN, "已整改完毕") is leads.LeadStatus.DISMISSED
    with pytest.raises(IllegalTransition):
        leads.accept(leads.LeadStatus.DISMISSED)
    with pytest.raises(IllegalTransition):
        leads.dismiss(leads.LeadStatus.ACCEPTED, "x")
    with pytest.raises(ValidationFailed):
        leads.dismiss(leads.LeadStatus.OPEN, "  ")


def test_only_a_major_hazard_opens_a_lead() -> None:
    assert leads.opens_lead("major")
    assert not leads.opens_lead("general")
