"""Pure rules of the platform: settings, jurisdiction, contracts compatibility, cursors, ETags."""

from __future__ import annotations

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from pydantic_settings import SettingsConfigDict
from starlette.responses import Response

from shared.auth.principal import Principal, Role, division_prefix
from shared.contracts.compatibility import breaking_changes
from shared.contracts.envelope import EventEnvelope, EventPayload
from shared.contracts.registry import EventRegistry
from shared.errors import ValidationFailed, VersionConflict
from shared.http.concurrency import check_version, etag, with_etag
from shared.http.pagination import decode_cursor, encode_cursor
from shared.messaging.consumer import _behind
from shared.settings import ConfigurationError, ServiceSettings, load_settings


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_", extra="ignore", frozen=True)


def test_missing_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DEMO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    with pytest.raises(ConfigurationError, match=r"^DEMO_DATABASE_URL \(or DATABASE_URL\): Field required"):
        load_settings(DemoSettings)


def test_invalid_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql://x@/db")
    monkeypatch.setenv("DEMO_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    monkeypatch.setenv("DEMO_API_PORT", "not-a-port")
    with pytest.raises(ConfigurationError, match=r"^DEMO_API_PORT: "):
        load_settings(DemoSettings)


def test_global_variables_are_fallbacks_and_prefixed_ones_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://global@/db")
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql://mine@/db")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    settings = load_settings(DemoSettings)
    assert settings.database_url == "postgresql+asyncpg://mine@/db"
    assert settings.kafka_bootstrap_servers == "kafka:9092"


def test_a_non_postgres_url_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_DATABASE_URL", "mysql://x@/db")
    monkeypatch.setenv("DEMO_KAFKA_BOOTSTRAP_SERVERS", "k:9092")
    with pytest.raises(ConfigurationError, match="DEMO_DATABASE_URL"):
        load_settings(DemoSettings)


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        ("431281000000", "431281"),
        ("431281100000", "431281100"),
        ("431281100201", "431281100201"),
        ("430000000000", "43"),
    ],
)
def test_division_prefix(code: str, prefix: str) -> None:
    assert division_prefix(code) == prefix


def test_a_township_officer_covers_only_their_township() -> None:
    officer = Principal(subject="t", roles=frozenset({Role.TOWNSHIP_OFFICER}), jurisdictions=("431281100000",))
    assert officer.covers("431281100000")
    assert officer.covers("431281100201")
    assert not officer.covers("431281101000")
    assert not officer.covers(None)
    assert officer.jurisdiction_prefixes() == ["431281100"]


def test_leaders_and_city_administrators_see_everything() -> None:
    for role in (Role.LEADER, Role.CITY_ADMIN):
        assert Principal(subject="x", roles=frozenset({role})).covers("431281105000")
    assert Principal(subject="x", roles=frozenset({Role.LEADER})).jurisdiction_prefixes() == []


def _schema(properties: dict[str, object], required: list[str]) -> dict[str, object]:
    return {"type": "object", "properties": properties, "required": required}


def test_adding_an_optional_field_is_compatible() -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    new = _schema({"a": {"type": "string"}, "b": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}, ["a"])
    assert breaking_changes(old, new) == []


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        (_schema({}, []), "a: removed"),
        (_schema({"a": {"type": "integer"}}, ["a"]), "a: type changed"),
        (_schema({"a": {"type": "string"}, "b": {"type": "string"}}, ["a", "b"]), "b: became required"),
    ],
)
def test_incompatible_changes_are_reported(new: dict[str, object], problem: str) -> None:
    old = _schema({"a": {"type": "string"}}, ["a"])
    assert any(p.startswith(problem) for p in breaking_changes(old, new))


def test_registry_upcasts_old_versions_to_the_newest() -> None:
    registry = EventRegistry()

    class ThingV1(EventPayload):
        name: str

    class ThingV2(EventPayload):
        full_name: str

    for cls, version in ((ThingV1, 1), (ThingV2, 2)):
        cls.event_type, cls.event_version, cls.aggregate_type, cls.topic = "thing.named", version, "thing", "t"
        registry.register(cls)
    registry.register_upcaster("thing.named", 1, lambda data: {"full_name": data["name"]})
    envelope = EventEnvelope.model_validate(
        {
            "event_id": "2b0c5d53-1d4e-4a53-9a7e-0b9d8f1f1c11",
            "event_type": "thing.named",
            "event_version": 1,
            "source": "test",
            "aggregate_type": "thing",
            "aggregate_id": "a",
            "aggregate_version": 1,
            "occurred_at": "2026-01-01T00:00:00Z",
            "correlation_id": "c",
            "data": {"name": "旧名"},
        }
    )
    decoded = registry.decode(envelope)
    assert isinstance(decoded, ThingV2)
    assert decoded.full_name == "旧名"


def test_cursor_round_trip_and_garbage_is_a_validation_error() -> None:
    assert decode_cursor(encode_cursor(["2026-01-01", "abc", 3])) == ["2026-01-01", "abc", 3]
    with pytest.raises(ValidationFailed):
        decode_cursor("%%%not-a-cursor")


def test_if_match_with_a_stale_version_conflicts() -> None:
    check_version(3, etag(3))
    check_version(3, None)
    with pytest.raises(VersionConflict):
        check_version(4, etag(3))
    with pytest.raises(ValidationFailed):
        check_version(4, "yesterday")


def test_a_resource_is_answered_with_its_version_as_etag() -> None:
    class Row:
        version = 7

    row = Row()
    response = Response()
    assert with_etag(row, response) is row
    assert response.headers["ETag"] == 'W/"7"'


class _Highwaters:
    """Stands in for a consumer's view of each partition's high watermark at its last fetch."""

    def __init__(self, highwaters: dict[TopicPartition, int]) -> None:
        self.highwaters = highwaters

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.highwaters.get(tp)


def _records(partition: int, *offsets: int) -> list[ConsumerRecord[bytes, bytes]]:
    return [
        ConsumerRecord(
            topic="t",
            partition=partition,
            offset=offset,
            timestamp=0,
            timestamp_type=0,
            key=None,
            value=b"",
            checksum=None,
            serialized_key_size=0,
            serialized_value_size=0,
            headers=[],
        )
        for offset in offsets
    ]


def test_a_consumer_keeps_filling_a_batch_only_while_the_broker_holds_more_than_it_read() -> None:
    records = _records(0, 5, 6, 7) + _records(1, 2)
    caught_up = _Highwaters({TopicPartition("t", 0): 8, TopicPartition("t", 1): 3})
    assert not _behind(caught_up, records)  # type: ignore[arg-type]
    one_partition_behind = _Highwaters({TopicPartition("t", 0): 8, TopicPartition("t", 1): 40})
    assert _behind(one_partition_behind, records)  # type: ignore[arg-type]
    unknown = _Highwaters({})
    assert not _behind(unknown, records)  # type: ignore[arg-type]
