"""One vocabulary across services: a code a consumer reads from a producer's events comes from the contract."""

from __future__ import annotations

import uuid

import pytest

from hazard_service.config import DEFAULT_LISTING_LEVELS
from hazard_service.risks.schemas import RiskPointRead
from reporting_service.reference import LISTING_LEVEL_LABELS
from shared import clock
from shared.contracts.envelope import EventEnvelope
from shared.contracts.hazard import LISTING_LEVEL_NAMES, ListingLevel, RiskPointRegisteredV2, RiskPointUpdatedV2
from shared.contracts.registry import REGISTRY
from shared.contracts.vocabulary import RISK_LEVEL_COLOURS, RISK_LEVEL_LABELS, RiskLevel
from supervisor_service.enterprises.importing import RISK_WORDS, normalise
from supervisor_service.enterprises.schemas import EnterpriseRead


def test_hazard_lists_at_the_contracts_levels_with_the_contracts_names() -> None:
    assert {level.code: level.name for level in DEFAULT_LISTING_LEVELS} == LISTING_LEVEL_NAMES


def test_reporting_labels_every_listing_level_of_the_contract_and_no_other() -> None:
    assert set(LISTING_LEVEL_LABELS) == set(ListingLevel)
    assert set(LISTING_LEVEL_NAMES) == set(ListingLevel)


def test_hazard_and_supervisor_grade_risk_in_the_contracts_one_vocabulary() -> None:
    assert RiskPointRead.model_fields["level"].annotation is RiskLevel
    assert EnterpriseRead.model_fields["risk_level"].annotation == RiskLevel | None
    assert RiskPointRegisteredV2.model_fields["level"].annotation is RiskLevel
    assert set(RISK_WORDS.values()) == set(RiskLevel)
    assert set(RISK_LEVEL_LABELS) == set(RISK_LEVEL_COLOURS) == set(RiskLevel)


def test_a_risk_point_event_of_version_1_reads_its_colour_as_the_level() -> None:
    old = EventEnvelope(
        event_id=uuid.uuid4(),
        event_type="risk_point.updated",
        event_version=1,
        source="hazard",
        aggregate_type="risk_point",
        aggregate_id=str(uuid.uuid4()),
        aggregate_version=2,
        occurred_at=clock.now(),
        correlation_id="vocabulary-test",
        data={
            "risk_point_id": "p1",
            "enterprise_id": "e1",
            "township_code": "431281101000",
            "name": "液氨储罐区",
            "level": "orange",
            "previous_level": "red",
        },
    )
    read = REGISTRY.decode(old)
    assert isinstance(read, RiskPointUpdatedV2)
    assert (read.level, read.previous_level) == (RiskLevel.LARGE, RiskLevel.MAJOR)


@pytest.mark.parametrize(
    ("written", "level"),
    [("重大风险", "major"), ("较大", "large"), ("黄色", "general"), ("蓝", "low"), ("general", "general")],
)
def test_the_registry_import_reads_a_level_as_officials_write_it(written: str, level: str) -> None:
    # The label the console and the exports print is read back, as are the short word and the colour.
    assert normalise({"risk_level": written})["risk_level"] == level
