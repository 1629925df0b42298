"""Events built from their row state the row as stored: days as ISO text, ids as text."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from enforcement_service.payloads import from_row
from shared.contracts.enforcement import DelegationRevokedV1, TypicalCasePublishedV1


def test_an_event_takes_the_rows_fields_as_the_contract_carries_them() -> None:
    case_id = uuid.uuid4()
    row = SimpleNamespace(
        id=uuid.uuid4(),
        case_id=case_id,
        unit_type="department",
        unit_code="yjj",
        township_code=None,
        published_on=date(2026, 4, 1),
        title="典型案例",
        channel="洪江发布",
        summary="not in the contract",
    )
    event = from_row(TypicalCasePublishedV1, row, typical_case_id="t-1")
    assert event.model_dump() == {
        "typical_case_id": "t-1",
        "case_id": str(case_id),
        "unit_type": "department",
        "unit_code": "yjj",
        "township_code": None,
        "published_on": "2026-04-01",
        "title": "典型案例",
        "channel": "洪江发布",
    }


def test_what_the_event_names_itself_wins_over_the_row() -> None:
    row = SimpleNamespace(id=uuid.uuid4(), township_code="431281101000", revoked_on=date(2026, 5, 1), reason="row")
    event = from_row(DelegationRevokedV1, row, delegation_id="d-1", reason="收回")
    assert (event.delegation_id, event.revoked_on, event.reason) == ("d-1", "2026-05-01", "收回")
