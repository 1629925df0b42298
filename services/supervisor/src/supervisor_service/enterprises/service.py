"""Use cases of the enterprise registry."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared import clock
from shared.auth.principal import Principal
from shared.contracts.supervisor import EnterpriseRegisteredV1, EnterpriseStatusChangedV1, EnterpriseUpdatedV1
from shared.db import UnitOfWork
from shared.errors import Forbidden, ValidationFailed, field_error
from shared.http.concurrency import check_version
from shared.http.list_rows import FoundRows, change_cursor
from shared.http.pagination import PageParams
from supervisor_service.access import Scope, resolve_scope
from supervisor_service.assignments.service import end_active_assignment
from supervisor_service.enterprises import repository
from supervisor_service.enterprises.domain import EnterpriseStatus, status_change_problem
from supervisor_service.enterprises.exceptions import (
    DuplicateCreditCode,
    EnterpriseNotFound,
    IllegalStatusChange,
    ImportRejected,
)
from supervisor_service.enterprises.importing import ParsedFile, normalise
from supervisor_service.enterprises.models import Enterprise
from supervisor_service.enterprises.schemas import (
    EnterpriseCreate,
    EnterpriseFilters,
    EnterpriseUpdate,
    ImportReport,
    ImportRowError,
)
from supervisor_service.listing import next_cursor, position
from supervisor_service.reference import service as reference
from supervisor_service.reference.domain import industry_division

SNAPSHOT_FIELDS = (
    "name",
    "credit_code",
    "industry_code",
    "township_code",
    "village_code",
    "address",
    "longitude",
    "latitude",
    "employee_count",
    "high_risk",
    "risk_level",
    "status",
    "supervising_department",
)


def snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's state as carried by enterprise.registered / enterprise.updated."""
    return {
        "enterprise_id": str(enterprise.id),
        **{f: getattr(enterprise, f) for f in SNAPSHOT_FIELDS},
        "registered_on": enterprise.registered_on.isoformat(),
    }


def _values(data: EnterpriseCreate, section: str) -> dict[str, Any]:
    """Registry columns from a registration body and the section of its industry; the registration day only
    when the body names one (an omitted day keeps the registry's)."""
    values = data.model_dump(mode="json", exclude={"registered_on"})
    if data.registered_on is not None:
        values["registered_on"] = data.registered_on
    return values | {"industry_section": section, "industry_division": industry_division(data.industry_code)}


def _new(data: EnterpriseCreate, section: str) -> Enterprise:
    values = {"registered_on": clock.today()} | _values(data, section)
    return Enterprise(id=uuid.uuid4(), status=EnterpriseStatus.OPERATING.value, **values)


async def register_enterprise(*, uow: UnitOfWork, actor: Principal, data: EnterpriseCreate) -> Enterprise:
    """Enter an enterprise in the registry and publish enterprise.registered."""
    async with uow:
        enterprise = await register_in(uow, await resolve_scope(uow.session, actor), data)
        await uow.commit()
        return enterprise


async def register_in(uow: UnitOfWork, scope: Scope, data: EnterpriseCreate) -> Enterprise:
    """Register an enterprise inside the caller's open unit of work (a registration or one row of an import)."""
    await reference.check_township(uow.session, data.township_code, data.village_code)
    await reference.check_department(uow.session, data.supervising_department)
    section = await reference.industry_section(uow.session, data.industry_code)
    if not scope.can_manage_place(data.township_code, data.industry_code, section):
        raise Forbidden("the enterprise's township or industry is outside your jurisdiction")
    duplicate = DuplicateCreditCode(f"an enterprise with credit code {data.credit_code} is already registered")
    if await repository.get_by_credit_code(uow.session, data.credit_code):
        raise duplicate
    enterprise = _new(data, section)
    uow.session.add(enterprise)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise duplicate from None
    uow.record_for(enterprise, EnterpriseRegisteredV1(**snapshot(enterprise)))
    return enterprise


async def _managed(uow: UnitOfWork, scope: Scope, enterprise_id: uuid.UUID, if_match: str | None) -> Enterprise:
    """The enterprise locked for change: 404 when not visible, 403 when visible but not manageable,
    409 when If-Match names another version."""
    enterprise = await repository.get(uow.session, enterprise_id, visible=scope.visible_enterprises(), lock=True)
    if enterprise is None:
        raise EnterpriseNotFound(f"enterprise {enterprise_id} not found")
    if not scope.can_manage(enterprise):
        raise Forbidden("you may not change this enterprise")
    check_version(enterprise.version, if_match)
    return enterprise


async def update_enterprise(
    *, uow: UnitOfWork, actor: Principal, enterprise_id: uuid.UUID, data: EnterpriseUpdate, if_match: str | None
) -> Enterprise:
    """Change registry fields (optimistic concurrency via If-Match) and publish enterprise.updated."""
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        enterprise = await _managed(uow, scope, enterprise_id, if_match)
        changes = data.model_dump(exclude_unset=True, mode="json")
        if data.registered_on is not None:
            changes["registered_on"] = data.registered_on
        required_fields = ("name", "credit_code", "industry_code", "township_code", "employee_count", "high_risk")
        for required in (*required_fields, "registered_on"):
            if required in changes and changes[required] is None:
                raise ValidationFailed("missing value", errors=[field_error(required, "may not be null")])
        changes = {k: v for k, v in changes.items() if getattr(enterprise, k) != v}
        if not changes:
            return enterprise
        if "township_code" in changes or "village_code" in changes:
            await reference.check_township(
                uow.session,
                changes.get("township_code", enterprise.township_code),
                changes.get("village_code", enterprise.village_code),
            )
        if "supervising_department" in changes:
            await reference.check_department(uow.session, changes["supervising_department"])
        if "industry_code" in changes:
            changes["industry_section"] = await reference.industry_section(uow.session, changes["industry_code"])
            changes["industry_division"] = industry_division(changes["industry_code"])
        if "credit_code" in changes:
            other = await repository.get_by_credit_code(uow.session, changes["credit_code"])
            if other is not None and other.id != enterprise.id:
                raise DuplicateCreditCode(f"an enterprise with credit code {changes['credit_code']} already exists")
        for key, value in changes.items():
            setattr(enterprise, key, value)
        if not scope.can_manage(enterprise):
            raise Forbidden("the new township or industry is outside your jurisdiction")
        await uow.session.flush()
        uow.record_for(enterprise, EnterpriseUpdatedV1(**snapshot(enterprise)))
        await uow.commit()
        return enterprise


async def change_status(
    *,
    uow: UnitOfWork,
    actor: Principal,
    enterprise_id: uuid.UUID,
    target: EnterpriseStatus,
    reason: str | None,
    if_match: str | None,
) -> Enterprise:
    """Suspend, resume or close an enterprise; closing also ends its active assignment."""
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        enterprise = await _managed(uow, scope, enterprise_id, if_match)
        current = EnterpriseStatus(enterprise.status)
        problem = status_change_problem(current, target)
        if problem:
            raise IllegalStatusChange(problem, current_status=current.value)
        enterprise.status = target.value
        await uow.session.flush()
        uow.record_for(
            enterprise,
            EnterpriseStatusChangedV1(
                enterprise_id=str(enterprise.id),
                previous_status=current.value,
                status=target.value,
                reason=reason,
                township_code=enterprise.township_code,
                industry_code=enterprise.industry_code,
            ),
        )
        if target == EnterpriseStatus.CLOSED:
            await end_active_assignment(uow, enterprise, end_date=clock.today(), reason="enterprise closed")
        await uow.commit()
        return enterprise


async def get_enterprise(*, session: AsyncSession, scope: Scope, enterprise_id: uuid.UUID) -> Enterprise:
    """One enterprise, if it lies in the caller's scope (404 otherwise)."""
    enterprise = await repository.get(session, enterprise_id, visible=scope.visible_enterprises())
    if enterprise is None:
        raise EnterpriseNotFound(f"enterprise {enterprise_id} not found")
    return enterprise


async def list_enterprises(
    *, session: AsyncSession, scope: Scope, filters: EnterpriseFilters, page: PageParams
) -> FoundRows:
    """Enterprises in the caller's scope matching the filters, ordered by name (keyset pagination)."""
    conditions = [scope.visible_enterprises(), *repository.filter_conditions(filters)]
    total = await repository.count(session, conditions) if page.include_total else None
    if filters.updated_since is not None:
        rows = await repository.changes(session, conditions, cursor=page.cursor, limit=page.limit)
        return rows[: page.limit], change_cursor(rows, page.limit), total
    after = position(page, str)
    rows = await repository.page(session, conditions, after=after, limit=page.limit, searching=bool(filters.q))
    cursor = next_cursor(rows, page.limit, lambda row: [row.name, str(row.id)])
    return rows[: page.limit], cursor, total


def _row_errors(line: int, exc: PydanticValidationError) -> list[ImportRowError]:
    return [
        ImportRowError(line=line, field=".".join(str(p) for p in e["loc"]) or None, reason=str(e["msg"]))
        for e in exc.errors()
    ]


async def import_enterprises(
    *, uow: UnitOfWork, actor: Principal, parsed: ParsedFile, dry_run: bool, skip_invalid: bool
) -> ImportReport:
    """Validate every row of an import file and, unless a dry run, apply it in one transaction.

    Rows are matched by credit code: new ones are registered, changed ones updated, identical
    ones left alone, so importing the same file twice changes nothing the second time. Unless
    skip_invalid, a single bad row rejects the whole file.
    """
    errors: list[ImportRowError] = []
    valid: list[tuple[int, EnterpriseCreate, str]] = []
    seen: dict[str, int] = {}
    async with uow:
        scope = await resolve_scope(uow.session, actor)
        jurisdictions, industries, departments = await repository.reference_codes(uow.session)
        for row in parsed.rows:
            try:
                data = EnterpriseCreate.model_validate(normalise(row.values))
            except PydanticValidationError as exc:
                errors.extend(_row_errors(row.line, exc))
                continue
            problems = _reference_problems(data, jurisdictions, industries, departments)
            section = _section(data.industry_code, industries)
            if not problems and section and not scope.can_manage_place(data.township_code, data.industry_code, section):
                problems.append(("township_code", "outside your jurisdiction"))
            if data.credit_code in seen:
                problems.append(("credit_code", f"same credit code as line {seen[data.credit_code]}"))
            else:
                seen[data.credit_code] = row.line
            if problems:
                errors.extend(ImportRowError(line=row.line, field=f, reason=r) for f, r in problems)
                continue
            assert section is not None
            valid.append((row.line, data, section))
        existing = await repository.by_credit_codes(uow.session, [d.credit_code for _, d, _ in valid])
        created = updated = unchanged = 0
        to_apply: list[tuple[EnterpriseCreate, str, Enterprise | None]] = []
        for line, data, section in valid:
            current = existing.get(data.credit_code)
            if current is not None and not scope.can_manage(current):
                errors.append(
                    ImportRowError(line=line, field="credit_code", reason="registered outside your jurisdiction")
                )
                continue
            if current is None:
                created += 1
            elif _differs(current, data, section):
                updated += 1
            else:
                unchanged += 1
                continue
            to_apply.append((data, section, current))
        errors.sort(key=lambda e: e.line)
        invalid_lines = len({e.line for e in errors})
        report = ImportReport(
            dry_run=dry_run,
            applied=False,
            rows=len(parsed.rows),
            created=created,
            updated=updated,
            unchanged=unchanged,
            invalid=invalid_lines,
            errors=errors,
            format=parsed.format,
        )
        if dry_run:
            return report
        if errors and not skip_invalid:
            raise ImportRejected(
                f"{invalid_lines} of {len(parsed.rows)} rows are invalid; nothing was imported",
                errors=[e.model_dump() for e in errors],
            )
        for data, section, current in to_apply:
            if current is None:
                enterprise = _new(data, section)
                uow.session.add(enterprise)
                await uow.session.flush()
                uow.record_for(enterprise, EnterpriseRegisteredV1(**snapshot(enterprise)))
            else:
                for key, value in _values(data, section).items():
                    setattr(current, key, value)
                await uow.session.flush()
                uow.record_for(current, EnterpriseUpdatedV1(**snapshot(current)))
        await uow.commit()
        return report.model_copy(update={"applied": True})


def _section(industry_code: str, industries: dict[str, str | None]) -> str | None:
    if industry_code.isalpha():
        return industry_code if industry_code in industries else None
    division = industry_division(industry_code)
    return industries.get(division) if division else None


def _reference_problems(
    data: EnterpriseCreate,
    jurisdictions: dict[str, tuple[str, str | None]],
    industries: dict[str, str | None],
    departments: set[str],
) -> list[tuple[str, str]]:
    problems = []
    township = jurisdictions.get(data.township_code)
    if township is None or township[0] != "township":
        problems.append(("township_code", "not a known township"))
    elif data.village_code is not None and jurisdictions.get(data.village_code, ("", None))[1] != data.township_code:
        problems.append(("village_code", "not a village of the township"))
    if _section(data.industry_code, industries) is None:
        problems.append(("industry_code", "unknown GB/T 4754 section or division"))
    if data.supervising_department is not None and data.supervising_department not in departments:
        problems.append(("supervising_department", "not a known department"))
    return problems


def _differs(current: Enterprise, data: EnterpriseCreate, section: str) -> bool:
    return any(getattr(current, k) != v for k, v in _values(data, section).items())
