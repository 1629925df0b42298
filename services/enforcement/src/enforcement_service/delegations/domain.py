"""Whether a township may act under its delegation: scope, term, revocation and fine limit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from enforcement_service.cases.exceptions import OutsideDelegation

# What a delegation can cover: the penalty item kinds, plus acts that are not penalties.
DELEGABLE_ACTS = frozenset(
    {
        "warning",
        "fine",
        "confiscation",
        "stop_production",
        "licence_suspension",
        "licence_revocation",
        "closure_referral",
        "detention_referral",
        "simplified_procedure",
        "general_procedure",
    }
)


@dataclass(frozen=True)
class DelegationTerms:
    """The published terms of one delegation."""

    delegation_id: str
    township_code: str
    scope: frozenset[str]
    starts_on: date
    ends_on: date
    max_fine_fen: int | None
    revoked_on: date | None = None


def acts_of(procedure: str, item_kinds: Sequence[str] = ()) -> list[str]:
    """What a township's act on a case needs its delegation to cover: the procedure and the penalty kinds."""
    return [f"{procedure}_procedure", *item_kinds]


def in_force(terms: DelegationTerms, on: date) -> bool:
    """Whether a delegation's term covers a day and it was not revoked by then (revocation takes effect on its day)."""
    return terms.starts_on <= on <= terms.ends_on and (terms.revoked_on is None or on < terms.revoked_on)


def relevant(delegations: Sequence[DelegationTerms], on: date) -> DelegationTerms | None:
    """The newest delegation in force on a day, else the newest one (so a refusal can name its term)."""
    newest_first = sorted(delegations, key=lambda t: (t.starts_on, t.delegation_id), reverse=True)
    return next((t for t in newest_first if in_force(t, on)), newest_first[0] if newest_first else None)


def check_within(
    terms: DelegationTerms | None,
    *,
    township_code: str,
    party_township_code: str,
    on: date,
    acts: Sequence[str],
    fine_fen: int,
) -> DelegationTerms:
    """The delegation that allows a township's act, or OutsideDelegation naming what is missing."""
    if terms is None:
        raise OutsideDelegation(f"township {township_code} holds no delegation of the bureau's enforcement powers")
    if party_township_code != terms.township_code:
        raise OutsideDelegation(
            f"the delegation covers parties in township {terms.township_code}, not in {party_township_code}"
        )
    if on < terms.starts_on or on > terms.ends_on:
        raise OutsideDelegation(f"the delegation runs from {terms.starts_on} to {terms.ends_on}; {on} is outside it")
    if terms.revoked_on is not None and on >= terms.revoked_on:
        raise OutsideDelegation(f"the delegation was revoked on {terms.revoked_on}")
    missing = sorted(set(acts) - terms.scope)
    if missing:
        raise OutsideDelegation(f"the delegation does not cover: {', '.join(missing)}")
    if terms.max_fine_fen is not None and fine_fen > terms.max_fine_fen:
        raise OutsideDelegation(
            f"the delegation allows fines up to {terms.max_fine_fen // 100} yuan; {fine_fen / 100:.2f} yuan exceeds it"
        )
    return terms


def check_township_act(
    delegations: Sequence[DelegationTerms],
    *,
    township_code: str,
    party_township_code: str,
    on: date,
    recorded_on: date | None,
    acts: Sequence[str],
    fine_fen: int,
) -> DelegationTerms:
    """The delegation covering a township's act on its date.

    A township recording its own act must still hold a delegation covering it on the day it records it (no
    backfilling once its power ended): `recorded_on`. The city administration entering a township's past act
    into the record (history) passes None: only the act's day is checked, so history stays enterable after
    the delegation of its time expired.
    """

    def covering(day: date) -> DelegationTerms:
        return check_within(
            relevant(delegations, day),
            township_code=township_code,
            party_township_code=party_township_code,
            on=day,
            acts=acts,
            fine_fen=fine_fen,
        )

    terms = covering(on)
    if recorded_on is not None and recorded_on != on:
        try:
            covering(recorded_on)
        except OutsideDelegation as refused:
            raise OutsideDelegation(f"on {recorded_on}, the day the act is recorded: {refused.detail}") from None
    return terms
