"""The outgoing message of each upstream target, one versioned schema per target, mapped from the domain.

Each message carries exactly the fields below and nothing else (`extra="forbid"`); the JSON Schema files in
`upstream/contract/` are generated from these classes (`python -m hazard_service.upstream.messages`) and a
test keeps them equal. Both targets share the hazard record; the envelope around it is each target's own.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hazard_service.reference import GRADE_LABELS, STATUS_LABELS, industry_name

CONTRACT_DIR = Path(__file__).parent / "contract"
CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
# Every change of a hazard (`shared.contracts.hazard`) but the upstream sync's own.
CHANGE_TYPES = Literal[
    "hazard.acceptance_applied",
    "hazard.assessed",
    "hazard.closed",
    "hazard.deferral_approved",
    "hazard.deferral_rejected",
    "hazard.deferral_requested",
    "hazard.escalated",
    "hazard.judged",
    "hazard.ledgered",
    "hazard.listed",
    "hazard.listing_receipt_signed",
    "hazard.notice_published",
    "hazard.overdue",
    "hazard.plan_accepted",
    "hazard.rectification_rejected",
    "hazard.rectification_started",
    "hazard.rectified",
    "hazard.reported",
    "hazard.reviewed",
    "hazard.verified",
    "hazard.withdrawn",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Enterprise(_Strict):
    """The enterprise by its 统一社会信用代码 (GB 32100)."""

    credit_code: str = Field(pattern=CREDIT_CODE, description="统一社会信用代码, 18 characters.")
    name: str = Field(min_length=1, max_length=200)


class Division(_Strict):
    """Where the enterprise is: county by GB/T 2260, township by the statistical division code."""

    code: str = Field(pattern=r"^\d{6}$", description="GB/T 2260 administrative division code (county).")
    township_code: str = Field(pattern=r"^\d{12}$", description="统计用区划代码 of the township (12 digits).")


class Industry(_Strict):
    """The enterprise's industry by GB/T 4754-2017."""

    code: str = Field(pattern=r"^([A-T]|\d{2,4})$", description="GB/T 4754-2017 section, division, group or class.")
    name: str


class Coded(_Strict):
    """A code and its official label."""

    code: str
    name: str


class Standard(_Strict):
    """The judgment standard (重大事故隐患判定标准) and the article the hazard was judged under."""

    document_no: str = Field(min_length=1, description="The issuing document, e.g. 中华人民共和国应急管理部令第10号.")
    name: str
    version: str
    article: str = Field(min_length=1, description="条款, e.g. 第三条第（一）项.")
    article_title: str


class Deadlines(_Strict):
    """The rectification deadline (as deferred, if it was) and the one first set, and the review's due day."""

    rectification: date | None
    original_rectification: date | None
    review_due: date | None


class HazardRecord(_Strict):
    """A major hazard as both targets receive it."""

    enterprise: Enterprise
    division: Division
    industry: Industry
    grade: Coded
    category: str | None = Field(max_length=64, description="The hazard's category (隐患类别), if given.")
    description: str
    location: str | None
    standard: Standard
    ledger_no: str | None
    ledgered_on: date | None
    reported_on: date
    deadlines: Deadlines
    status: Coded
    listed: bool
    listing_level: str | None
    closed_on: date | None


class NationalMessageV1(_Strict):
    """应急管理部重大事故隐患直报系统, POST /direct-report/hazards."""

    schemaVersion: Literal["national_direct_report/1"] = "national_direct_report/1"
    msgId: uuid.UUID = Field(description="Unique per message; the target deduplicates by it.")
    localId: uuid.UUID = Field(description="Our id of the hazard.")
    remoteId: str | None = Field(description="The target's id of the hazard, once it gave one.")
    changeType: CHANGE_TYPES
    occurredAt: datetime
    hazard: HazardRecord


class ProvincialMessageV1(_Strict):
    """湖南省一单四制系统, POST /one-list/records."""

    schemaVersion: Literal["provincial_one_list/1"] = "provincial_one_list/1"
    requestId: uuid.UUID = Field(description="Unique per message; the target deduplicates by it.")
    sourceSystem: Literal["hongjiang-hazard"] = "hongjiang-hazard"
    sourceId: uuid.UUID = Field(description="Our id of the hazard.")
    recordId: str | None = Field(description="The target's id of the record, once it gave one.")
    action: CHANGE_TYPES
    occurredAt: datetime
    record: HazardRecord


SCHEMAS: dict[str, type[NationalMessageV1] | type[ProvincialMessageV1]] = {
    "national_direct_report": NationalMessageV1,
    "provincial_one_list": ProvincialMessageV1,
}


@dataclass(frozen=True)
class StandardFacts:
    """What the standards tables say of the standard version and clause a hazard cites."""

    document_no: str | None
    name: str
    version: str
    article: str | None
    article_title: str


class Unmappable(Exception):
    """The hazard lacks a fact the message requires (e.g. no credit code known): the message is parked."""


def hazard_record(
    snapshot: dict[str, Any], enterprise: Enterprise | None, standard: StandardFacts | None
) -> HazardRecord:
    """Map a hazard's stored snapshot, its enterprise and its standard to the record both targets receive."""
    if enterprise is None:
        raise Unmappable("the enterprise's credit code is not known (no supervisor event for it yet)")
    if standard is None or not standard.document_no or not standard.article:
        raise Unmappable(
            f"the standard {snapshot.get('standard_code')} / clause {snapshot.get('clause_code')} "
            "has no issuing document or article in the standards tables"
        )
    township = snapshot["township_code"]
    industry = snapshot.get("industry_code")
    if not industry:
        raise Unmappable("the hazard has no industry code")
    return HazardRecord(
        enterprise=enterprise,
        division=Division(code=township[:6], township_code=township),
        industry=Industry(code=industry, name=industry_name(industry)),
        grade=Coded(code=snapshot["grade"], name=GRADE_LABELS.get(snapshot["grade"], snapshot["grade"])),
        category=snapshot.get("category"),
        description=snapshot["description"],
        location=snapshot.get("location"),
        standard=Standard(
            document_no=standard.document_no,
            name=standard.name,
            version=standard.version,
            article=standard.article,
            article_title=standard.article_title,
        ),
        ledger_no=snapshot.get("ledger_number"),
        ledgered_on=snapshot.get("ledgered_on"),
        reported_on=snapshot["reported_on"],
        deadlines=Deadlines(
            rectification=snapshot.get("rectification_deadline"),
            original_rectification=snapshot.get("original_deadline"),
            review_due=snapshot.get("review_due_on"),
        ),
        status=Coded(code=snapshot["status"], name=STATUS_LABELS.get(snapshot["status"], snapshot["status"])),
        listed=bool(snapshot.get("listed")),
        listing_level=snapshot.get("listing_level"),
        closed_on=snapshot.get("closed_on"),
    )


def message_for(kind: str, queued: dict[str, Any], record: HazardRecord, external_id: str | None) -> dict[str, Any]:
    """The body a target of `kind` receives for one queued change, as JSON."""
    common = {"occurredAt": queued["occurred_at"]}
    if kind == "national_direct_report":
        message: BaseModel = NationalMessageV1(
            msgId=queued["message_id"],
            localId=queued["hazard"]["id"],
            remoteId=external_id,
            changeType=queued["event_type"],
            hazard=record,
            **common,
        )
    else:
        message = ProvincialMessageV1(
            requestId=queued["message_id"],
            sourceId=queued["hazard"]["id"],
            recordId=external_id,
            action=queued["event_type"],
            record=record,
            **common,
        )
    return message.model_dump(mode="json")


def json_schema(kind: str) -> dict[str, Any]:
    """The published JSON Schema of a target's message."""
    schema = SCHEMAS[kind].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{kind}.v1.schema.json", **schema}


def schema_path(kind: str) -> Path:
    """Where a target's JSON Schema is committed."""
    return CONTRACT_DIR / f"{kind}.v1.schema.json"


def main() -> None:
    """Write the JSON Schema files (after a change to the message classes)."""
    for kind in SCHEMAS:
        schema_path(kind).write_text(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
