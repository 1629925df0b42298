"""Importing the registry's history through its own use cases: each row is a registration or an assignment as
the API would make it, with its own effective date, all in one unit of work."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.errors import field_error
from shared.imports import ImportKind, RowFailed
from shared.imports.routes import RowUseCase
from supervisor_service.access import Scope, resolve_scope
from supervisor_service.assignments import service as assignments
from supervisor_service.assignments.models import Assignment
from supervisor_service.assignments.schemas import AssignmentCreate
from supervisor_service.enterprises import repository as enterprises_repository
from supervisor_service.enterprises import service as enterprises
from supervisor_service.imports.schemas import AssignmentRow, EnterpriseRow, SupervisorRow
from supervisor_service.rules import SupervisionRules
from supervisor_service.supervisors import repository as supervisors_repository
from supervisor_service.supervisors import service as supervisors


class _Rows:
    """How each kind's row is applied, with the caller's scope resolved once for the whole import."""

    def __init__(self, scope: Scope, rules: SupervisionRules) -> None:
        self.scope = scope
        self.rules = rules

    async def enterprise(self, uow: UnitOfWork, row: EnterpriseRow) -> str:
        """Register one enterprise on its registration day."""
        await enterprises.register_in(uow, self.scope, row)
        return "created"

    async def supervisor(self, uow: UnitOfWork, row: SupervisorRow) -> str:
        """Register one supervisor on their appointment day."""
        await supervisors.register_in(uow, self.scope, row)
        return "created"

    async def assignment(self, uow: UnitOfWork, row: AssignmentRow) -> str:
        """Assign from the start date and, for a past assignment, end it on its end date."""
        problem = row.end_problem()
        if problem:
            raise RowFailed(problem, errors=[field_error("end_date", problem)])
        supervisor = await supervisors_repository.get_by_code(uow.session, row.supervisor_code)
        if supervisor is None:
            raise RowFailed("unknown supervisor", errors=[field_error("supervisor_code", "no such supervisor")])
        enterprise = await enterprises_repository.get_by_credit_code(uow.session, row.credit_code)
        if enterprise is None:
            raise RowFailed("unknown enterprise", errors=[field_error("credit_code", "no such enterprise")])
        data = AssignmentCreate(supervisor_id=supervisor.id, enterprise_ids=[enterprise.id], start_date=row.start_date)
        (created,) = await assignments.assign_in(uow, self.scope, data, self.rules)
        if row.end_date is None:
            return "started"
        assignment = await uow.session.get(Assignment, created.id)
        assert assignment is not None, "the assignment was flushed in this transaction"
        await assignments.end_in(uow, assignment, row.end_date, row.end_reason)
        return "ended"


async def row_use_case(
    sessionmaker: async_sessionmaker[AsyncSession], actor: Principal, kind: ImportKind[Any], rules: SupervisionRules
) -> RowUseCase:
    """How a row of `kind` is applied as `actor`, with the actor's scope resolved once for the whole import."""
    async with sessionmaker() as session:
        rows = _Rows(await resolve_scope(session, actor), rules)
    apply: dict[str, RowUseCase] = {
        "enterprises": rows.enterprise,
        "supervisors": rows.supervisor,
        "assignments": rows.assignment,
    }
    return apply[kind.name]
