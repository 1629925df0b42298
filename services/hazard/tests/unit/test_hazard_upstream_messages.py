"""The upstream messages without a database: every field mapped from the domain, nothing else sent, the
committed JSON Schemas equal to the classes, answers classified, and signatures checked."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hazard_service.config import UpstreamTargetConfig
from hazard_service.upstream import signing
from hazard_service.upstream.adapters import Delivered, Rejected, Retry, TargetClient, retry_after
from hazard_service.upstream.messages import (
    SCHEMAS,
    Enterprise,
    StandardFacts,
    Unmappable,
    hazard_record,
    json_schema,
    message_for,
    schema_path,
)
from shared import clock

HAZARD_ID = str(uuid.uuid4())
SNAPSHOT: dict[str, Any] = {
    "id": HAZARD_ID,
    "enterprise_id": str(uuid.uuid4()),
    "enterprise_name": "洪江市某机械厂",
    "township_code": "431281101000",
    "industry_code": "3311",
    "department_code": "yjj",
    "grade": "major",
    "category": "设备设施",
    "description": "粉尘除尘系统未防爆",
    "location": "二号车间",
    "reporter_name": "张三",
    "reported_by": "user-123",
    "reported_on": "2024-03-01",
    "status": "rectifying",
    "rectification_deadline": "2024-04-01",
    "original_deadline": "2024-03-20",
    "review_due_on": None,
    "standard_code": "gm_mem10_2023",
    "standard_version": "2023.1",
    "clause_code": "gm10-03-01",
    "ledger_number": "HJ-2024-001",
    "ledgered_on": "2024-03-02",
    "listed": True,
    "listing_level": "city_government",
    "closed_on": None,
    "funds_fen": 1_000_000,
    "responsible_person": "李四",
}
QUEUED = {
    "message_id": str(uuid.uuid4()),
    "event_type": "hazard.rectification_started",
    "occurred_at": "2024-03-05T08:00:00+00:00",
    "hazard": SNAPSHOT,
}
ENTERPRISE = Enterprise(credit_code="91431281MA4L000000", name="洪江市某机械厂")
STANDARD = StandardFacts(
    document_no="中华人民共和国应急管理部令第10号",
    name="工贸企业重大事故隐患判定标准",
    version="2023.1",
    article="第三条第（一）项",
    article_title="对承包、承租单位未统一协调管理",
)


def test_every_field_is_mapped_from_the_domain_and_nothing_else_is_sent() -> None:
    """Credit code, divisions, industry, grade, category, standard and article, deadlines and status; no
    reporter, no internal user id, department or funds."""
    record = hazard_record(SNAPSHOT, ENTERPRISE, STANDARD)
    national = message_for("national_direct_report", QUEUED, record, "NAT-000001")
    assert national == {
        "schemaVersion": "national_direct_report/1",
        "msgId": QUEUED["message_id"],
        "localId": HAZARD_ID,
        "remoteId": "NAT-000001",
        "changeType": "hazard.rectification_started",
        "occurredAt": "2024-03-05T08:00:00Z",
        "hazard": {
            "enterprise": {"credit_code": "91431281MA4L000000", "name": "洪江市某机械厂"},
            "division": {"code": "431281", "township_code": "431281101000"},
            "industry": {"code": "3311", "name": national["hazard"]["industry"]["name"]},
            "grade": {"code": "major", "name": "重大事故隐患"},
            "category": "设备设施",
            "description": "粉尘除尘系统未防爆",
            "location": "二号车间",
            "standard": {
                "document_no": "中华人民共和国应急管理部令第10号",
                "name": "工贸企业重大事故隐患判定标准",
                "version": "2023.1",
                "article": "第三条第（一）项",
                "article_title": "对承包、承租单位未统一协调管理",
            },
            "ledger_no": "HJ-2024-001",
            "ledgered_on": "2024-03-02",
            "reported_on": "2024-03-01",
            "deadlines": {"rectification": "2024-04-01", "original_rectification": "2024-03-20", "review_due": None},
            "status": {"code": "rectifying", "name": "整改中"},
            "listed": True,
            "listing_level": "city_government",
            "closed_on": None,
        },
    }
    assert national["hazard"]["industry"]["name"]
    provincial = message_for("provincial_one_list", QUEUED, record, None)
    assert provincial["record"] == national["hazard"]
    assert (provincial["requestId"], provincial["sourceId"], provincial["recordId"]) == (
        QUEUED["message_id"],
        HAZARD_ID,
        None,
    )
    text = json.dumps(provincial, ensure_ascii=False)
    for private in ("user-123", "张三", "李四", "yjj", "1000000"):
        assert private not in text


def test_a_hazard_that_cannot_be_mapped_is_refused_before_sending() -> None:
    """No credit code known, a standard without its issuing document, or a malformed credit code."""
    with pytest.raises(Unmappable, match="credit code"):
        hazard_record(SNAPSHOT, None, STANDARD)
    with pytest.raises(Unmappable, match="issuing document"):
        hazard_record(SNAPSHOT, ENTERPRISE, None)
    with pytest.raises(ValueError, match="credit_code"):
        Enterprise(credit_code="not-a-credit-code", name="x")


def test_committed_json_schemas_are_the_message_classes() -> None:
    """`python -m hazard_service.upstream.messages` was run after the last change to the classes."""
    for kind in SCHEMAS:
        assert json.loads(schema_path(kind).read_text("utf-8")) == json_schema(kind)
        assert json_schema(kind)["additionalProperties"] is False


def _answering(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> TargetClient:
    config = UpstreamTargetConfig(code="n", kind="national_direct_report", url="http://localhost")
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body, headers=headers))
    return TargetClient(config, transport)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (200, None, Delivered("NAT-1")),
        (503, None, Retry),
        (500, None, Retry),
        (408, None, Retry),
        (429, {"Retry-After": "30"}, Retry),
        (400, None, Rejected),
        (404, None, Rejected),
        (409, None, Rejected),
        (301, None, Rejected),
    ],
)
async def test_answers_are_delivered_retried_or_rejected(status: int, headers: Any, expected: Any) -> None:
    """Only what can succeed later is retried: no answer, 408, 429 and 5xx; other refusals are final."""
    client = _answering(status, {"id": "NAT-1"}, headers)
    outcome = await client.send({"msgId": "m"})
    await client.aclose()
    if isinstance(expected, Delivered):
        assert outcome == expected
    else:
        assert isinstance(outcome, expected)
    if status == 429:
        assert isinstance(outcome, Retry)
        assert outcome.after_s == 30


def test_retry_after_reads_seconds_and_dates() -> None:
    """Delta seconds, an HTTP date, or nothing usable."""
    with clock.frozen_at(datetime(2026, 12, 3, 12, 0, tzinfo=UTC)):
        assert retry_after("120") == 120
        assert retry_after("Thu, 03 Dec 2026 12:01:00 GMT") == 60
        assert retry_after("soon") is None
        assert retry_after(None) is None


def test_a_signature_covers_method_path_time_nonce_and_body() -> None:
    """The simulator's check accepts our headers once; a changed body, path, secret, stale time or replay fails."""
    body = b'{"a":1}'
    headers = signing.sign(key_id="k", secret="s", method="POST", path="/direct-report/hazards", body=body)
    seen: set[str] = set()

    def check(**overrides: Any) -> str:
        args: dict[str, Any] = {
            "secrets_by_key": {"k": "s"},
            "headers": headers,
            "method": "POST",
            "path": "/direct-report/hazards",
            "body": body,
            "seen_nonces": set(),
        }
        return signing.verify(**(args | overrides))

    assert check(seen_nonces=seen) == "k"
    for bad, reason in (
        ({"body": b'{"a":2}'}, "digest"),
        ({"path": "/one-list/records"}, "signature"),
        ({"secrets_by_key": {"k": "other"}}, "signature"),
        ({"seen_nonces": seen}, "nonce"),
        ({"headers": {k: v for k, v in headers.items() if k != signing.SIGNATURE}}, "missing"),
    ):
        with pytest.raises(signing.BadSignature, match=reason):
            check(**bad)
    with clock.frozen_at(clock.now().replace(year=2030)), pytest.raises(signing.BadSignature, match="skew"):
        check()
