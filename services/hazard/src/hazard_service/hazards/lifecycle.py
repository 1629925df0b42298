"""The lifecycle actions of the state machine, taken by one use case: the machine decides the status an
action leads to, and the action's step (in `general` or `major`) changes the hazard and says what it records."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from hazard_service.config import HazardSettings
from hazard_service.hazards import general, major
from hazard_service.hazards.changes import Change, begin, finish
from hazard_service.hazards.domain import Action
from hazard_service.hazards.models import Hazard
from shared.auth.principal import Principal
from shared.db import UnitOfWork

Step = Callable[[UnitOfWork, HazardSettings, Hazard, Any], Awaitable[Change]]

STEPS: dict[Action, Step] = {
    Action.START_RECTIFICATION: general.start_rectification,
    Action.MARK_RECTIFIED: general.mark_rectified,
    Action.VERIFY: general.verify,
    Action.REJECT_VERIFICATION: general.reject_verification,
    Action.CLOSE: general.close,
    Action.WITHDRAW: general.withdraw,
    Action.JUDGE: major.judge,
    Action.LEDGER: major.ledger,
    Action.LIST: major.list_for_supervision,
    Action.ACCEPT_PLAN: major.accept_plan,
    Action.ASSESS: major.assess,
    Action.APPLY_ACCEPTANCE: major.apply_acceptance,
    Action.PASS_REVIEW: major.pass_review,
    Action.REJECT_REVIEW: general.reject_review,
}


async def take_action(
    *,
    uow: UnitOfWork,
    actor: Principal,
    settings: HazardSettings,
    hazard_id: uuid.UUID,
    if_match: str | None,
    action: Action,
    data: Any,
) -> Hazard:
    """Take a lifecycle action on a hazard the actor may see, at the version If-Match names; the hazard moves to
    the status the state machine decides, with its timeline entry and event (409 when not allowed now)."""
    async with uow:
        hazard, target = await begin(uow, actor, hazard_id, if_match, action)
        change = await STEPS[action](uow, settings, hazard, data)
        await finish(uow, actor, settings, hazard, change, to=target)
        return hazard
