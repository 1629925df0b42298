"""Whether a township may act under its delegation: scope, term and fine limit."""

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
