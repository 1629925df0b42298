"""Importing hazards through the hazard's own use cases: each row is reported, then rectified, verified and
closed on its own days, exactly as the API would take those steps, all in one unit of work."""

from __future__ import annotations

from typing import Any

from hazard_service.config import HazardSettings
from hazard_service.hazards import creation, lifecycle
from hazard_service.hazards.domain import Action, Grade
from hazard_service.hazards.schemas import Close, HazardCreate, MarkRectified, StartRectification, Verify
from hazard_service.imports import repository
from hazard_service.imports.schemas import HazardRow
from shared.auth.principal import Principal
from shared.db import UnitOfWork
from shared.errors import field_error
from shared.imports import RowFailed


class HazardSteps:
    """One row's closed loop, taken as `actor` with the service's settings."""

    def __init__(self, actor: Principal, settings: HazardSettings) -> None:
        self.actor = actor
        self.settings = settings

    async def apply(self, uow: UnitOfWork, row: HazardRow) -> str:
        """Report the hazard, then take each later step the row dates; the outcome is its last status."""
        problem = row.order_problem()
        if problem:
            raise RowFailed(problem[1], errors=[field_error(*problem)])
        enterprise_id = await repository.enterprise_by_credit_code(uow.session, row.credit_code)
        if enterprise_id is None:
            raise RowFailed("unknown enterprise", errors=[field_error("credit_code", "no such enterprise")])
        funds = int(row.funds_spent_yuan * 100) if row.funds_spent_yuan is not None else None
        report = HazardCreate(
            enterprise_id=enterprise_id,
            grade=Grade.GENERAL,
            deadline=row.deadline,
            **row.model_dump(
                include={"source", "description", "reported_on", "category", "location", "department_code"}
                | {"campaign_codes", "reporter_name", "reporting_unit"}
            ),
        )
        hazard = await creation.report_hazard(uow=uow, actor=self.actor, settings=self.settings, data=report)
        steps: list[tuple[Action, Any]] = []
        if row.deadline is not None:
            steps.append((Action.START_RECTIFICATION, StartRectification(deadline=row.deadline)))
        if row.rectified_on is not None:
            steps.append((Action.MARK_RECTIFIED, MarkRectified(rectified_on=row.rectified_on, funds_spent_fen=funds)))
        if row.closed_on is not None:
            steps.append((Action.VERIFY, Verify(verified_on=row.verified_on or row.closed_on)))
            steps.append((Action.CLOSE, Close(closed_on=row.closed_on)))
        for action, data in steps:
            hazard = await lifecycle.take_action(
                uow=uow,
                actor=self.actor,
                settings=self.settings,
                hazard_id=hazard.id,
                if_match=None,
                action=action,
                data=data,
            )
        return hazard.status
