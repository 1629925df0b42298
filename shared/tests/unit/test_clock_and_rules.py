"""The one clock and the one date-keyed rule type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic_settings import SettingsConfigDict

from shared import clock
from shared.reference_data.supervision import SUPERVISION_RULES
from shared.rules import DatedRules, NoRuleInForce
from shared.settings import ConfigurationError, ServiceSettings, load_settings


def test_today_is_the_regulators_day_not_the_hosts() -> None:
    # 2023-06-30 17:30 UTC is already 1 July in Beijing: the half-year has ended there.
    with clock.frozen_at(datetime(2023, 6, 30, 17, 30, tzinfo=UTC)):
        assert clock.today() == date(2023, 7, 1)
        assert clock.now() == datetime(2023, 6, 30, 17, 30, tzinfo=UTC)
        assert clock.now().tzinfo is UTC
        assert clock.local_now().utcoffset() == timedelta(hours=8)


def test_local_date_of_a_stored_instant() -> None:
    assert clock.local_date(datetime(2023, 12, 31, 16, 0, tzinfo=UTC)) == date(2024, 1, 1)
    assert clock.local_date(datetime(2023, 12, 31, 15, 59, tzinfo=UTC)) == date(2023, 12, 31)


def test_the_zone_is_a_setting() -> None:
    try:
        clock.set_timezone("UTC")
        with clock.frozen_at(datetime(2023, 6, 30, 17, 30, tzinfo=UTC)):
            assert clock.today() == date(2023, 6, 30)
    finally:
        clock.set_timezone(clock.DEFAULT_TIMEZONE)


def test_frozen_clock_needs_a_zone_and_restores_the_real_one() -> None:
    with pytest.raises(ValueError, match="time zone"), clock.frozen_at(datetime(2023, 1, 1)):
        pass
    with clock.frozen_at(datetime(2000, 1, 1, tzinfo=timezone(timedelta(hours=8)))):
        assert clock.today() == date(2000, 1, 1)
    assert clock.now().year >= 2026


class ZoneSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ZONE_", extra="ignore", frozen=True)


def test_unknown_timezone_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZONE_DATABASE_URL", "postgresql://x@/db")
    monkeypatch.setenv("ZONE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigurationError, match=r"^ZONE_TIMEZONE \(or TIMEZONE\): "):
        load_settings(ZoneSettings)
    monkeypatch.setenv("TIMEZONE", "Asia/Urumqi")
    assert load_settings(ZoneSettings).timezone == "Asia/Urumqi"


@dataclass(frozen=True)
class Limit:
    effective_from: date
    days: int
    rate: Decimal = Decimal("0.03")
    code: str = ""


LIMITS = DatedRules([Limit(date(2026, 2, 1), 90, code="new"), Limit(date(2021, 7, 15), 30, code="old")])


def test_the_rule_in_force_is_the_latest_that_took_effect() -> None:
    assert LIMITS.on(date(2026, 1, 31)).days == 30
    assert LIMITS.on(date(2026, 2, 1)).days == 90
    assert LIMITS.on(date(2030, 1, 1)).days == 90


def test_before_every_rule_the_earliest_applies_unless_the_set_refuses() -> None:
    assert LIMITS.on(date(2000, 1, 1)).days == 30
    strict = DatedRules([Limit(date(2016, 1, 1), 10)], before_first="error")
    with pytest.raises(NoRuleInForce):
        strict.on(date(2015, 12, 31))


def test_overrides_apply_to_every_entry_or_by_code_with_types_kept() -> None:
    everywhere = LIMITS.with_overrides({"days": 45, "rate": None})
    assert [e.days for e in everywhere.entries] == [45, 45]
    by_code = LIMITS.with_overrides({"new": {"rate": "0.05", "effective_from": "2026-03-01"}})
    assert by_code.by("new").rate == Decimal("0.05")
    assert by_code.on(date(2026, 2, 15)).code == "old"
    assert by_code.by("old") == LIMITS.by("old")
    with pytest.raises(ValueError, match="unknown rule fields: dayz"):
        LIMITS.with_overrides({"dayz": 1})


def test_supervision_programme_threshold_is_declared_once() -> None:
    assert SUPERVISION_RULES.on(date(2023, 6, 30)).coverage_min_employees == 3
