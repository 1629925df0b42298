"""Township delegation checks, who grants delegations, and the case lead life cycle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from enforcement_service.access import acts_under_delegation, ensure_may_delegate
from enforcement_service.cases.exceptions import OutsideDelegation
from enforcement_service.delegations.domain import (
    DelegationTerms,
    acts_of,
    check_township_act,
    check_within,
    in_force,
    relevant,
)
from enforcement_service.leads import domain as leads
from shared.auth.principal import Principal
from shared.errors import Forbidden, IllegalTransition, ValidationFailed

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


def terms(delegation_id: str, starts_on: date, ends_on: date, revoked_on: date | None = None) -> DelegationTerms:
    return replace(TERMS, delegation_id=delegation_id, starts_on=starts_on, ends_on=ends_on, revoked_on=revoked_on)


def act(delegations: list[DelegationTerms], on: date, recorded_on: date | None, acts: list[str] | None = None) -> str:
    return check_township_act(
        delegations,
        township_code=TOWNSHIP,
        party_township_code=TOWNSHIP,
        on=on,
        recorded_on=recorded_on,
        acts=acts or acts_of("general"),
        fine_fen=0,
    ).delegation_id


def test_a_delegation_is_in_force_within_its_term_until_the_day_it_is_revoked() -> None:
    revoked = terms("d", date(2026, 1, 1), date(2026, 12, 31), revoked_on=date(2026, 6, 1))
    assert [in_force(revoked, d) for d in (date(2025, 12, 31), date(2026, 1, 1), date(2026, 5, 31))] == [
        False,
        True,
        True,
    ]
    assert not in_force(revoked, date(2026, 6, 1))
    assert not in_force(TERMS, date(2027, 1, 1))


def test_the_delegation_in_force_is_chosen_else_the_newest() -> None:
    old = terms("old", date(2025, 1, 1), date(2025, 12, 31))
    new = terms("new", date(2026, 1, 1), date(2026, 12, 31), revoked_on=date(2026, 6, 1))
    assert relevant([new, old], date(2025, 6, 1)) is old
    assert relevant([old, new], date(2026, 3, 1)) is new
    assert relevant([old, new], date(2026, 7, 1)) is new
    assert relevant([], date(2026, 7, 1)) is None


def test_history_entered_by_the_city_administration_needs_only_the_acts_day_covered() -> None:
    """recorded_on None: the city administration enters a township's past act; its delegation then may have
    expired or been revoked since, but the act's own day must still be covered."""
    term_2023 = terms("d2023", date(2023, 1, 1), date(2023, 12, 31), revoked_on=date(2023, 10, 1))
    assert act([term_2023], date(2023, 5, 10), None) == "d2023"
    with pytest.raises(OutsideDelegation, match="revoked on 2023-10-01"):
        act([term_2023], date(2023, 11, 1), None)
    with pytest.raises(OutsideDelegation, match="the day the act is recorded"):
        act([term_2023], date(2023, 5, 10), date(2026, 3, 1))


def test_a_township_acts_only_while_it_still_holds_a_delegation_covering_the_act() -> None:
    revoked = terms("d", date(2026, 1, 1), date(2026, 12, 31), revoked_on=date(2026, 6, 1))
    assert act([revoked], date(2026, 5, 20), date(2026, 5, 31)) == "d"
    with pytest.raises(OutsideDelegation, match="revoked on 2026-06-01"):
        act([revoked], date(2026, 6, 1), date(2026, 6, 1))
    # An act dated inside the term cannot be recorded once the delegation ended.
    with pytest.raises(OutsideDelegation, match=r"on 2026-06-02, the day the act is recorded: .*revoked on 2026-06-01"):
        act([revoked], date(2026, 5, 20), date(2026, 6, 2))
    expired = terms("d", date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(OutsideDelegation, match="2026-07-01 is outside it"):
        act([expired], date(2026, 6, 30), date(2026, 7, 1))
    # A renewed delegation lets the township go on: the act falls in the old term, the record in the new.
    renewed = terms("renewed", date(2026, 7, 1), date(2026, 12, 31))
    assert act([expired, renewed], date(2026, 6, 30), date(2026, 7, 1)) == "d"


def test_the_penalty_a_township_proposes_must_lie_in_its_delegation() -> None:
    assert acts_of("general", ["fine", "stop_production"]) == ["general_procedure", "fine", "stop_production"]
    assert acts_of("simplified") == ["simplified_procedure"]
    with pytest.raises(OutsideDelegation, match="does not cover: stop_production"):
        act([TERMS], date(2026, 5, 1), date(2026, 5, 1), acts_of("general", ["fine", "stop_production"]))


def test_only_the_city_administration_or_the_bureau_grants_within_its_jurisdiction() -> None:
    city = "431281000000"
    admin = Principal("a", frozenset({"city_admin"}))
    bureau = Principal("b", frozenset({"department_officer"}), jurisdictions=(city,), department="yjj")
    ensure_may_delegate(admin, bureau_code="yjj", township_code=TOWNSHIP)
    ensure_may_delegate(bureau, bureau_code="yjj", township_code=TOWNSHIP)
    other_department = Principal("c", frozenset({"department_officer"}), jurisdictions=(city,), department="zjj")
    township = Principal("d", frozenset({"township_officer"}), jurisdictions=(TOWNSHIP,))
    for principal in (other_department, township):
        with pytest.raises(Forbidden, match=r"city administration or an officer of the bureau \(yjj\)"):
            ensure_may_delegate(principal, bureau_code="yjj", township_code=TOWNSHIP)
    elsewhere = Principal("e", frozenset({"department_officer"}), jurisdictions=("431281102000",), department="yjj")
    with pytest.raises(Forbidden, match=f"township {TOWNSHIP} lies outside the caller's jurisdiction"):
        ensure_may_delegate(elsewhere, bureau_code="yjj", township_code=TOWNSHIP)


def test_only_a_township_officer_acts_on_a_delegated_case_under_the_delegation() -> None:
    township = Principal("t", frozenset({"township_officer"}), jurisdictions=(TOWNSHIP,))
    bureau = Principal("b", frozenset({"department_officer"}), department="yjj")
    admin = Principal("a", frozenset({"city_admin", "township_officer"}))
    assert acts_under_delegation(township, delegated=True)
    assert not acts_under_delegation(township, delegated=False)
    assert not acts_under_delegation(bureau, delegated=True)
    assert not acts_under_delegation(admin, delegated=True)


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
