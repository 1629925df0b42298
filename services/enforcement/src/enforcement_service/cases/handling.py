"""Who handles a case and may change it: the party, the acting unit, document numbers, and the checks
every change of a case passes before its step is recorded."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from enforcement_service.access import ActingUnit, acts_under_delegation
from enforcement_service.cases import domain, events, repository
from enforcement_service.cases.domain import CaseState, PenaltyItem, StageEntry
from enforcement_service.cases.exceptions import CaseNotFound
from enforcement_service.cases.mapping import apply_state, to_state
from enforcement_service.cases.models import CaseStageEntry, PenaltyCase
from enforcement_service.config import EnforcementSettings
from enforcement_service.delegations.domain import DelegationTerms, acts_of
from enforcement_service.delegations.service import authorise_township_act
from enforcement_service.enterprises import repository as enterprises
from shared import clock
from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.contracts.envelope import EventPayload
from shared.db import UnitOfWork
from shared.errors import Forbidden, NotFound
from shared.http.concurrency import check_version

DOCUMENT_LABELS = {"case": "立", "decision": "罚", "simplified": "简罚", "archive": "档"}


@dataclass(frozen=True)
class Party:
    """Who the case is against and where they are."""

    party_type: str
    party_name: str
    enterprise_id: uuid.UUID | None
    township_code: str
    industry_code: str | None


@dataclass(frozen=True)
class Handler:
    """In whose name a case is handled: the department, or the bureau for a delegated township."""

    unit_type: str
    unit_code: str
    delegated: bool
    delegated_township_code: str | None
    delegation_id: uuid.UUID | None

    @property
    def numbering_unit(self) -> str:
        """The unit whose document numbers the case's documents take (a delegated township numbers its own)."""
        return self.delegated_township_code or self.unit_code


async def party_of(
    uow: UnitOfWork,
    *,
    actor: Principal,
    party_type: str,
    party_name: str,
    enterprise_id: uuid.UUID | None,
    township_code: str | None,
    check_visible: bool,
) -> Party:
    """The party of a case; a township's reach is checked against its delegation instead (a clearer refusal)."""
    industry_code = None
    if enterprise_id is not None:
        enterprise = await enterprises.get(uow.session, enterprise_id)
        if enterprise is None:
            raise NotFound(f"enterprise {enterprise_id} not found")
        township_code, industry_code = enterprise.township_code, enterprise.industry_code
    assert township_code is not None  # the request schema requires an enterprise or a township
    if check_visible:
        Scope(actor).ensure_visible("party's township", division=township_code)
    return Party(party_type, party_name, enterprise_id, township_code, industry_code)


async def handler_for(
    uow: UnitOfWork,
    settings: EnforcementSettings,
    unit: ActingUnit,
    *,
    party: Party,
    on: date,
    acts: list[str],
    fine_fen: int,
    actor: Principal,
) -> Handler:
    """A township acts only under its delegation and in the bureau's name; a department in its own."""
    if not unit.is_township:
        return Handler(unit.unit_type, unit.unit_code, False, None, None)
    terms: DelegationTerms = await authorise_township_act(
        uow.session,
        township_code=unit.unit_code,
        party_township_code=party.township_code,
        on=on,
        recorded_on=clock.today() if acts_under_delegation(actor, delegated=True) else None,
        acts=acts,
        fine_fen=fine_fen,
    )
    return Handler("department", settings.bureau_code, True, unit.unit_code, uuid.UUID(terms.delegation_id))


async def document_number(
    uow: UnitOfWork, settings: EnforcementSettings, *, kind: str, unit_code: str, on: date
) -> str:
    """The next number of a kind of document of a unit in the year of `on` (e.g. 洪应急罚〔2026〕yjj-00001号)."""
    n = await repository.next_number(uow.session, kind=kind, unit_code=unit_code, year=on.year)
    return f"{settings.document_prefix}{DOCUMENT_LABELS[kind]}〔{on.year}〕{unit_code}-{n:05d}号"


def _ensure_may_act(principal: Principal, row: PenaltyCase) -> None:
    """Only the unit handling a case changes it (a city administrator may act for any)."""
    if principal.has_role(Role.CITY_ADMIN):
        return
    department_handles = principal.has_role(Role.DEPARTMENT_OFFICER) and principal.department == row.unit_code
    if row.delegated:
        township = principal.has_role(Role.TOWNSHIP_OFFICER) and row.delegated_township_code in principal.jurisdictions
        if township or department_handles:
            return
        raise Forbidden(f"the case is handled by township {row.delegated_township_code} under delegation")
    if department_handles:
        return
    raise Forbidden(f"the case is handled by {row.unit_code}")


async def load_for_change(
    uow: UnitOfWork,
    *,
    actor: Principal,
    case_id: uuid.UUID,
    if_match: str | None,
    on: date | None,
    items: Sequence[PenaltyItem] = (),
) -> PenaltyCase:
    """The case locked for a change, refused in this order: not visible (404), archived (409), not the handling
    unit (403), a township outside its delegation for the act on `on` (default: today) and `items` (403), stale
    version (409)."""
    row = await repository.get(uow.session, case_id, scope=Scope(actor), for_update=True)
    if row is None:
        raise CaseNotFound("case not found")
    domain.ensure_mutable(to_state(row))
    _ensure_may_act(actor, row)
    if acts_under_delegation(actor, delegated=row.delegated):
        assert row.delegated_township_code is not None  # a delegated case names its township
        today = clock.today()
        await authorise_township_act(
            uow.session,
            township_code=row.delegated_township_code,
            party_township_code=row.township_code,
            on=on or today,
            recorded_on=today,
            acts=acts_of(row.procedure, [i.kind.value for i in items]),
            fine_fen=domain.fine_total(items),
        )
    check_version(row.version, if_match)
    return row


EventOf = Callable[[PenaltyCase, StageEntry], EventPayload]


async def record_step(
    uow: UnitOfWork, row: PenaltyCase, state: CaseState, entry: StageEntry, event: EventOf = events.stage_changed
) -> None:
    """Write the new state to the row, add the step to its history and record the step's event, built from the
    row once the new state is on it (case.stage_changed when the step has no event of its own)."""
    apply_state(row, state)
    await uow.session.flush()
    uow.session.add(
        CaseStageEntry(
            case_id=row.id,
            action=entry.action,
            from_stage=entry.from_stage.value,
            to_stage=entry.to_stage.value,
            approver=entry.approver,
            opinion=entry.opinion,
            at=entry.at,
        )
    )
    uow.record_for(row, event(row, entry))
