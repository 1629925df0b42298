"""A case lead: opened, then accepted or dismissed with a reason; never a case by itself."""

from __future__ import annotations

from enum import StrEnum

from shared.errors import IllegalTransition, ValidationFailed, field_error


class LeadStatus(StrEnum):
    """Where a lead stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


def accept(status: LeadStatus) -> LeadStatus:
    """open -> accepted."""
    if status is not LeadStatus.OPEN:
        raise IllegalTransition(f"the lead is {status.value}; only an open lead can be accepted")
    return LeadStatus.ACCEPTED


def dismiss(status: LeadStatus, reason: str) -> LeadStatus:
    """open -> dismissed, with a reason."""
    if status is not LeadStatus.OPEN:
        raise IllegalTransition(f"the lead is {status.value}; only an open lead can be dismissed")
    if not reason.strip():
        raise ValidationFailed("a dismissal gives its reason", errors=[field_error("reason", "required")])
    return LeadStatus.DISMISSED


def opens_lead(grade: str) -> bool:
    """Only an overdue major hazard opens a lead."""
    return grade == "major"
