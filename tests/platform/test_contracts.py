"""The published language: every event has a committed JSON Schema snapshot, and the code's schema
differs from it only by additions a consumer can ignore."""

from __future__ import annotations

import json

import pytest

import shared.contracts.catalog  # noqa: F401  (registers every published event)
from shared.contracts.compatibility import SNAPSHOT_DIR, breaking_changes, current_schemas
from shared.contracts.registry import REGISTRY
from shared.contracts.topics import ALL_TOPICS

PUBLISHED = {name: schema for name, schema in current_schemas().items() if not name.startswith("counter")}


def test_every_published_event_has_a_snapshot() -> None:
    missing = sorted(name for name in PUBLISHED if not (SNAPSHOT_DIR / name).exists())
    assert not missing, f"run `make snapshots` and commit: {missing}"


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_the_code_matches_its_snapshot(name: str) -> None:
    snapshot = json.loads((SNAPSHOT_DIR / name).read_text(encoding="utf-8"))
    problems = breaking_changes(snapshot, PUBLISHED[name])
    assert not problems, f"{name} changed incompatibly; add a V{name.split('.v')[1].split('.')[0]}+1 class: {problems}"
    assert snapshot == PUBLISHED[name], f"{name}: additive change not snapshotted; run `make snapshots`"


def test_every_snapshot_belongs_to_a_published_event() -> None:
    orphans = sorted(p.name for p in SNAPSHOT_DIR.glob("*.json") if p.name not in PUBLISHED)
    assert not orphans, f"snapshots of events no longer in the code (keep old versions' classes): {orphans}"


def test_every_event_goes_to_a_known_topic() -> None:
    for (event_type, _), cls in REGISTRY.classes.items():
        if cls.__module__.startswith("shared.contracts."):
            assert cls.topic in ALL_TOPICS, event_type
