"""Request and response bodies of case leads."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from enforcement_service.leads.domain import LeadStatus
from shared.http.list_rows import ListRows
from shared.http.pagination import Page
from shared.validation import ActDate


class LeadAccept(BaseModel):
    """Acceptance of a lead."""

    accepted_on: ActDate
    note: str | None = Field(default=None, max_length=4000)


class LeadDismiss(BaseModel):
    """Dismissal of a lead with its reason."""

    dismissed_on: ActDate
    reason: str = Field(min_length=1, max_length=4000)


class LeadRead(BaseModel):
    """A lead as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    source: str
    hazard_id: str | None
    deadline: date | None
    enterprise_id: uuid.UUID | None
    township_code: str
    summary: str
    status: LeadStatus
    opened_on: date
    decided_by: str | None
    decided_on: date | None
    note: str | None
    case_id: uuid.UUID | None
    version: int
    created_at: datetime


LeadPage = Page[LeadRead]
LEAD_ROWS = ListRows(LeadRead)
