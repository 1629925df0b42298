"""Request and response bodies of the delegation API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.http.list_rows import ListRows
from shared.http.pagination import Page
from shared.validation import Fen


class DelegableAct(StrEnum):
    """What a delegation may cover."""

    WARNING = "warning"
    FINE = "fine"
    CONFISCATION = "confiscation"
    STOP_PRODUCTION = "stop_production"
    LICENCE_SUSPENSION = "licence_suspension"
    LICENCE_REVOCATION = "licence_revocation"
    CLOSURE_REFERRAL = "closure_referral"
    DETENTION_REFERRAL = "detention_referral"
    SIMPLIFIED_PROCEDURE = "simplified_procedure"
    GENERAL_PROCEDURE = "general_procedure"


class DelegationCreate(BaseModel):
    """A published written delegation (委托书) to a township."""

    township_code: str = Field(pattern=r"^\d{9}000$")
    scope: list[DelegableAct] = Field(min_length=1)
    max_fine_fen: Fen | None = None
    starts_on: date
    ends_on: date
    document_number: str = Field(min_length=1, max_length=100)
    document_title: str = Field(min_length=1, max_length=200)
    published_on: date

    @model_validator(mode="after")
    def _term(self) -> DelegationCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if self.published_on > self.starts_on:
            raise ValueError("a delegation is published before its term starts")
        return self


class DelegationRevoke(BaseModel):
    """Revocation of a delegation."""

    revoked_on: date
    reason: str = Field(min_length=1, max_length=2000)


class DelegationRead(BaseModel):
    """A delegation as returned."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    township_code: str
    scope: list[DelegableAct]
    max_fine_fen: int | None
    starts_on: date
    ends_on: date
    document_number: str
    document_title: str
    published_on: date
    revoked_on: date | None
    revocation_reason: str | None
    version: int
    created_at: datetime


DelegationPage = Page[DelegationRead]
DELEGATION_ROWS = ListRows(DelegationRead)
