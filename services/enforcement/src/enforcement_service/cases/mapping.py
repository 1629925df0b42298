"""Copying between case rows (SQLAlchemy) and the pure domain state."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from enforcement_service.cases.domain import CaseState, ExecutionHow, ItemKind, Outcome, PenaltyItem, Procedure, Stage
from enforcement_service.cases.models import PenaltyCase

_ITEM_FIELDS = ("items", "proposed_items")
_ENUMS: dict[str, Any] = {
    "procedure": Procedure,
    "stage": Stage,
    "outcome": Outcome,
    "execution_how": ExecutionHow,
}
STATE_FIELDS = tuple(f.name for f in fields(CaseState))


def items_json(items: list[PenaltyItem]) -> list[dict[str, Any]]:
    """Domain items as stored in JSONB."""
    return [
        {
            "item_id": i.item_id,
            "kind": i.kind.value,
            "amount_fen": i.amount_fen,
            "confiscated_items": i.confiscated_items,
            "value_fen": i.value_fen,
            "licence": i.licence,
            "suspension_days": i.suspension_days,
            "persons": i.persons,
            "outcome": i.outcome,
            "outcome_by": i.outcome_by,
            "outcome_on": i.outcome_on.isoformat() if i.outcome_on else None,
        }
        for i in items
    ]


def items_from_json(rows: list[dict[str, Any]]) -> list[PenaltyItem]:
    """Stored JSONB items as domain items."""
    return [
        PenaltyItem(
            item_id=r["item_id"],
            kind=ItemKind(r["kind"]),
            amount_fen=r.get("amount_fen"),
            confiscated_items=list(r.get("confiscated_items") or []),
            value_fen=r.get("value_fen"),
            licence=r.get("licence"),
            suspension_days=r.get("suspension_days"),
            persons=r.get("persons"),
            outcome=r.get("outcome"),
            outcome_by=r.get("outcome_by"),
            outcome_on=date.fromisoformat(r["outcome_on"]) if r.get("outcome_on") else None,
        )
        for r in rows
    ]


def to_state(row: PenaltyCase) -> CaseState:
    """The domain state of a case row."""
    values: dict[str, Any] = {}
    for name in STATE_FIELDS:
        value = getattr(row, name)
        if name in _ITEM_FIELDS:
            value = items_from_json(value or [])
        elif name in _ENUMS and value is not None:
            value = _ENUMS[name](value)
        elif name == "officers":
            value = list(value or [])
        values[name] = value
    return CaseState(**values)


def apply_state(row: PenaltyCase, state: CaseState) -> None:
    """Write the domain state back to the row (only what changed, so the version bumps once)."""
    for name in STATE_FIELDS:
        value = getattr(state, name)
        if name in _ITEM_FIELDS:
            value = items_json(value)
        elif name in _ENUMS and value is not None:
            value = value.value
        if getattr(row, name) != value:
            setattr(row, name, value)
