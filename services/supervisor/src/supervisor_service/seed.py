"""Loading the reference data and the demo data set (洪江市, invented enterprises and people).

Idempotent: ids are derived from the demo data's natural keys, rows that exist are skipped, and
each new row publishes the same events a user's action would, so other services learn about it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared import clock
from shared.auth.principal import system_principal
from shared.contracts.supervisor import EnterpriseRegisteredV1
from shared.db import ServiceDatabase, UnitOfWork
from supervisor_service.assignments.models import Assignment
from supervisor_service.assignments.service import record_ended, record_started
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.service import SNAPSHOT_FIELDS, snapshot
from supervisor_service.reference import repository as reference
from supervisor_service.reference.domain import industry_division
from supervisor_service.reference.models import Department, Jurisdiction
from supervisor_service.reference.service import import_bundled_reference_data
from supervisor_service.supervisors.models import Supervisor
from supervisor_service.supervisors.service import record_supervisor

DEMO_NAMESPACE = uuid.UUID("6f1d2c4e-5b1a-4c1e-9d57-3e0c8b2a9f10")


def demo_id(kind: str, key: str) -> uuid.UUID:
    """The stable id of a demo row, so re-running the seed finds what it loaded before."""
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


def demo_dataset() -> dict[str, Any]:
    """The bundled demo data set."""
    path = resources.files("shared") / "reference_data" / "demo_dataset.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass
class SeedOutcome:
    """What the seed did."""

    reference: dict[str, str] = field(default_factory=dict)
    enterprises: int = 0
    supervisors: int = 0
    assignments: int = 0
    skipped_demo: bool = False


async def _missing(
    session: AsyncSession, model: Any, kind: str, items: list[dict[str, Any]], key: str
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """The demo items of a kind that are not loaded yet, each with its stable id."""
    by_id = {demo_id(kind, item[key]): item for item in items}
    known = set(await session.scalars(select(model.id).where(model.id.in_(list(by_id)))))
    return [(row_id, item) for row_id, item in by_id.items() if row_id not in known]


async def seed(
    sessionmaker: async_sessionmaker[AsyncSession],
    database: ServiceDatabase,
    *,
    service: str,
    if_empty: bool,
    demo: bool = True,
) -> SeedOutcome:
    """Import the bundled reference data, then (when `demo`) the demo data set, unless if_empty and enterprises
    exist. Demo rows have ids derived from DEMO_NAMESPACE (see `demo_id`), which marks them as demo."""
    outcome = SeedOutcome()
    uow = UnitOfWork(sessionmaker, database, source=service, actor=system_principal(service))
    async with uow:
        session = uow.session
        for result in await import_bundled_reference_data(session):
            outcome.reference[result.kind] = f"{result.version} ({result.outcome})"
        if not demo or (if_empty and await session.scalar(select(func.count()).select_from(Enterprise))):
            outcome.skipped_demo = True
            await uow.commit()
            return outcome
        await _load_demo(uow, demo_dataset(), outcome)
        await uow.commit()
    return outcome


async def _load_demo(uow: UnitOfWork, data: dict[str, Any], outcome: SeedOutcome) -> None:
    session = uow.session
    sections = {i.code: i.parent_code for i in await reference.list_industries(session)}
    org_names = await reference.names(session, Department, {s["org_code"] for s in data["supervisors"]})
    org_names |= await reference.names(session, Jurisdiction, {s["org_code"] for s in data["supervisors"]})

    enterprises: list[Enterprise] = []
    for enterprise_id, item in await _missing(session, Enterprise, "enterprise", data["items"], "credit_code"):
        values = {f: item.get(f) for f in SNAPSHOT_FIELDS} | {
            "high_risk": bool(item.get("high_risk")),
            "industry_section": sections.get(item["industry_code"][:2]) or item["industry_code"][:1],
            "industry_division": industry_division(item["industry_code"]),
        }
        enterprises.append(Enterprise(id=enterprise_id, registered_on=clock.today(), **values))
    supervisors: list[Supervisor] = []
    for supervisor_id, item in await _missing(session, Supervisor, "supervisor", data["supervisors"], "code"):
        township = item["org_code"] if item["org_kind"] == "township" else None
        values = {f: item.get(f) for f in ("code", "name", "org_kind", "org_code", "position", "phone")}
        supervisors.append(
            Supervisor(id=supervisor_id, township_code=township, active=True, appointed_on=clock.today(), **values)
        )
    session.add_all([*enterprises, *supervisors])
    await session.flush()
    for enterprise in enterprises:
        uow.record_for(enterprise, EnterpriseRegisteredV1(**snapshot(enterprise)))
    for supervisor in supervisors:
        record_supervisor(uow, supervisor, org_names.get(supervisor.org_code), registered=True)
    outcome.enterprises, outcome.supervisors = len(enterprises), len(supervisors)
    await _load_assignments(uow, data["assignments"], outcome)


async def _load_assignments(uow: UnitOfWork, items: list[dict[str, Any]], outcome: SeedOutcome) -> None:
    session = uow.session
    missing = await _missing(session, Assignment, "assignment", items, "id")
    new = [item for _, item in missing]
    if not new:
        return
    enterprises = {
        e.credit_code: e
        for e in await session.scalars(
            select(Enterprise).where(Enterprise.credit_code.in_({a["enterprise_credit_code"] for a in new}))
        )
    }
    supervisors = {
        s.code: s
        for s in await session.scalars(
            select(Supervisor).where(Supervisor.code.in_({a["supervisor_code"] for a in new}))
        )
    }
    # Ended assignments first: each starts (v1) and ends (v2), keeping one active assignment per enterprise.
    for assignment_id, item in sorted(missing, key=lambda m: m[1]["end_date"] is None):
        enterprise = enterprises[item["enterprise_credit_code"]]
        supervisor = supervisors[item["supervisor_code"]]
        assignment = Assignment(
            id=assignment_id,
            supervisor_id=supervisor.id,
            enterprise=enterprise,
            start_date=date.fromisoformat(item["start_date"]),
            active=True,
        )
        session.add(assignment)
        await session.flush()
        record_started(uow, assignment, supervisor)
        if item["end_date"] is not None:
            assignment.active = False
            assignment.end_date = date.fromisoformat(item["end_date"])
            assignment.end_reason = item.get("end_reason")
            await session.flush()
            record_ended(uow, assignment, supervisor)
        outcome.assignments += 1
