"""Legal clocks keyed by filing date, configurable values, and late charges exact to the fen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from enforcement_service.cases.rules import PROCEDURE_RULES, late_charge_fen

BOOK = PROCEDURE_RULES
OLD = BOOK.by("2021_law_sector_rule")
NEW = BOOK.by("mem_order_18")


@pytest.mark.parametrize(
    ("filed_on", "code"),
    [
        (date(2025, 6, 1), "2021_law_sector_rule"),
        (date(2026, 1, 31), "2021_law_sector_rule"),
        (date(2026, 2, 1), "mem_order_18"),
        (date(2027, 3, 1), "mem_order_18"),
        (date(2019, 1, 1), "2021_law_sector_rule"),
    ],
)
def test_the_rule_in_force_on_the_filing_date_governs_the_case(filed_on: date, code: str) -> None:
    assert BOOK.on(filed_on).code == code


def test_a_case_filed_before_2026_02_01_must_be_decided_within_30_days_extendable_to_90() -> None:
    rules = BOOK.on(date(2026, 1, 20))
    assert rules.decide_by(date(2026, 1, 20)) == date(2026, 2, 19)
    assert rules.decide_by(date(2026, 1, 20), extended=True) == date(2026, 4, 20)


def test_a_case_filed_on_or_after_2026_02_01_has_90_days_extendable_by_30() -> None:
    rules = BOOK.on(date(2026, 2, 1))
    assert rules.decide_by(date(2026, 2, 1)) == date(2026, 5, 2)
    assert rules.decide_by(date(2026, 2, 1), extended=True) == date(2026, 6, 1)


@pytest.mark.parametrize("rules", [OLD, NEW])
def test_hearing_service_and_payment_periods(rules) -> None:  # type: ignore[no-untyped-def]
    assert rules.hearing_request_by(date(2026, 3, 2)) == date(2026, 3, 7)
    assert rules.earliest_hearing_on(date(2026, 3, 5)) == date(2026, 3, 12)
    assert rules.service_by(date(2026, 3, 10)) == date(2026, 3, 17)
    assert rules.pay_by(date(2026, 3, 1)) == date(2026, 3, 16)
    assert rules.simplified_max_fen("person") == 20_000
    assert rules.simplified_max_fen("unit") == 300_000


def test_values_are_configurable_per_rule_set() -> None:
    book = PROCEDURE_RULES.with_overrides(
        {"mem_order_18": {"decide_days": 60, "late_charge_rate_per_day": "0.02", "simplified_unit_max_fen": 100_000}}
    )
    new = book.by("mem_order_18")
    assert new.decide_by(date(2026, 3, 1)) == date(2026, 4, 30)
    assert new.late_charge_rate_per_day == Decimal("0.02")
    assert new.simplified_max_fen("unit") == 100_000
    assert book.by("2021_law_sector_rule").decide_days == 30


def test_an_unknown_override_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown rule fields"):
        PROCEDURE_RULES.with_overrides({"mem_order_18": {"decide_in": 3}})


def test_the_effective_date_itself_is_configurable() -> None:
    book = PROCEDURE_RULES.with_overrides({"mem_order_18": {"effective_from": "2026-03-01"}})
    assert book.on(date(2026, 2, 15)).code == "2021_law_sector_rule"
    assert book.on(date(2026, 3, 1)).code == "mem_order_18"


PAY_BY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("fine_fen", "as_of", "payments", "expected_fen"),
    [
        # 10,000 yuan, 4 days late: 4 x 300 yuan.
        (1_000_000, date(2026, 3, 20), [], 120_000),
        # Not late on the last day of the period.
        (1_000_000, date(2026, 3, 16), [], 0),
        # 1 day late.
        (1_000_000, date(2026, 3, 17), [], 30_000),
        # 33 days late: 99% of the fine.
        (1_000_000, date(2026, 4, 18), [], 990_000),
        # 34 days late would be 102%: capped at the fine.
        (1_000_000, date(2026, 4, 19), [], 1_000_000),
        # Long after: still the fine.
        (1_000_000, date(2027, 1, 1), [], 1_000_000),
        # 333.33 yuan: 999.99 fen a day; one day rounds half up to 10.00 yuan.
        (33_333, date(2026, 3, 17), [], 1_000),
        # Three days: 2999.97 fen -> 3000 fen (rounded once on the total).
        (33_333, date(2026, 3, 19), [], 3_000),
        # 0.17 yuan one day: 0.51 fen -> 1 fen; 0.16 yuan: 0.48 fen -> 0.
        (17, date(2026, 3, 17), [], 1),
        (16, date(2026, 3, 17), [], 0),
        # 1,000 yuan, half paid on the 2nd late day: 3,000 + 1,500 + 3 x 1,500 fen.
        (100_000, date(2026, 3, 21), [(date(2026, 3, 18), 50_000)], 9_000),
        # Paid in full on the 3rd late day: two days accrue (paying on a day stops that day's charge).
        (100_000, date(2026, 4, 30), [(date(2026, 3, 19), 100_000)], 6_000),
        # Paid in full within the period: nothing.
        (100_000, date(2026, 4, 30), [(date(2026, 3, 10), 100_000)], 0),
        # Part paid within the period: the rest accrues 3% a day.
        (100_000, date(2026, 3, 18), [(date(2026, 3, 1), 40_000)], 3_600),
        # 200 yuan simplified fine, 10 days late.
        (20_000, date(2026, 3, 26), [], 6_000),
    ],
)
def test_late_charge_is_exact_to_the_fen(
    fine_fen: int, as_of: date, payments: list[tuple[date, int]], expected_fen: int
) -> None:
    assert late_charge_fen(rules=NEW, fine_fen=fine_fen, pay_by=PAY_BY, payments=payments, as_of=as_of) == expected_fen


def test_late_charge_rate_and_cap_follow_configuration() -> None:
    book = PROCEDURE_RULES.with_overrides(
        {"mem_order_18": {"late_charge_rate_per_day": "0.01", "late_charge_cap_ratio": "0.5"}}
    )
    rules = book.by("mem_order_18")
    assert late_charge_fen(rules=rules, fine_fen=100_000, pay_by=PAY_BY, payments=[], as_of=date(2026, 3, 26)) == 10_000
    assert late_charge_fen(rules=rules, fine_fen=100_000, pay_by=PAY_BY, payments=[], as_of=date(2026, 6, 1)) == 50_000


def test_late_charge_is_rounded_once_on_the_total_not_each_day() -> None:
    def charge(fine_fen: int, as_of: date, payments: list[tuple[date, int]] | None = None) -> int:
        return late_charge_fen(rules=NEW, fine_fen=fine_fen, pay_by=PAY_BY, payments=payments or [], as_of=as_of)

    # 3% of 50 fen is 1.5 fen a day: two days are exactly 3 fen (3% a day). Rounding each day half up
    # would charge 2 + 2 = 4 fen (4% a day); truncating each day 1 + 1 = 2 fen (2% a day).
    assert charge(50, date(2026, 3, 17)) == 2
    assert charge(50, date(2026, 3, 18)) == 3
    # 0.48 fen a day: three days are 1.44 fen -> 1 fen; rounding each day would never charge anything.
    assert charge(16, date(2026, 3, 19)) == 1
    # The unpaid fine is the base: 1.5 + 0.75 + 0.75 fen after 25 fen paid on the 2nd late day.
    assert charge(50, date(2026, 3, 19), [(date(2026, 3, 18), 25)]) == 3
    # 34 days would be 51 fen: capped at the fine.
    assert charge(50, date(2026, 4, 19)) == 50
