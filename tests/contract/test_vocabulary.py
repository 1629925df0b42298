"""One vocabulary across services: a code a consumer reads from a producer's events comes from the contract."""

from __future__ import annotations

from hazard_service.config import DEFAULT_LISTING_LEVELS
from reporting_service.reference import LISTING_LEVEL_LABELS
from shared.contracts.hazard import LISTING_LEVEL_NAMES, ListingLevel


def test_hazard_lists_at_the_contracts_levels_with_the_contracts_names() -> None:
    assert {level.code: level.name for level in DEFAULT_LISTING_LEVELS} == LISTING_LEVEL_NAMES


def test_reporting_labels_every_listing_level_of_the_contract_and_no_other() -> None:
    assert set(LISTING_LEVEL_LABELS) == set(ListingLevel)
    assert set(LISTING_LEVEL_NAMES) == set(ListingLevel)
