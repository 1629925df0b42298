"""Legal time limits and thresholds of penalty procedures, keyed by the date they take effect.

Which rule set governs a case is decided by its filing date (the procedural rule in force when the
case was filed). Values are defaults; deployments override any of them by settings
(`ENFORCEMENT_PROCEDURE_RULE_OVERRIDES`), never by editing code.

Sources of the defaults:
- 《行政处罚法》(2021): decide within 90 days of filing unless a rule says otherwise (art. 60); a hearing
  is asked within 5 days of the notice and noticed 7 days ahead (art. 64); the decision is served
  within 7 days when the party is absent (art. 61); the fine is paid within 15 days (art. 67); late
  payment adds 3% of the fine a day, never more than the fine (art. 72).
- 《安全生产违法行为行政处罚办法》(原安监总局令第15号, the sector rule until 2026-01-31): decide within
  30 days of filing, extendable with approval (to at most 90 days in total here).
- 应急管理部令第18号 (from 2026-02-01): the 90-day limit of the law applies, extendable once by 30 days
  with approval. The exact figures should be confirmed against the published text; they are
  configuration for that reason.
- Simplified procedure (art. 51 of the law): a warning, or a fine up to 200 yuan for a person or
  3,000 yuan for a unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from shared.rules import DatedRules


@dataclass(frozen=True)
class ProcedureRules:
    """The limits and thresholds of one procedural rule set."""

    code: str
    title: str
    effective_from: date
    decide_days: int
    decide_extension_days: int
    hearing_request_days: int
    hearing_notice_days: int
    service_days: int
    payment_days: int
    late_charge_rate_per_day: Decimal
    late_charge_cap_ratio: Decimal
    simplified_person_max_fen: int
    simplified_unit_max_fen: int
    legal_review_fine_fen: int
    collective_discussion_fine_fen: int
    nearing_days: int

    def decide_by(self, filed_on: date, *, extended: bool = False) -> date:
        """The last day a decision may be made for a case filed on `filed_on`."""
        days = self.decide_days + (self.decide_extension_days if extended else 0)
        return filed_on + timedelta(days=days)

    def hearing_request_by(self, notified_on: date) -> date:
        """The last day the party may ask for a hearing after being notified."""
        return notified_on + timedelta(days=self.hearing_request_days)

    def earliest_hearing_on(self, hearing_noticed_on: date) -> date:
        """The earliest day a hearing may be held when the party is told on `hearing_noticed_on`."""
        return hearing_noticed_on + timedelta(days=self.hearing_notice_days)

    def service_by(self, decided_on: date) -> date:
        """The last day the decision may be served."""
        return decided_on + timedelta(days=self.service_days)

    def pay_by(self, served_on: date) -> date:
        """The last day the fine may be paid without a late charge."""
        return served_on + timedelta(days=self.payment_days)

    def simplified_max_fen(self, party_type: str) -> int:
        """The largest fine the simplified procedure allows for a person or a unit."""
        return self.simplified_person_max_fen if party_type == "person" else self.simplified_unit_max_fen


STATUTORY_DEFAULTS: dict[str, Any] = {
    "hearing_request_days": 5,
    "hearing_notice_days": 7,
    "service_days": 7,
    "payment_days": 15,
    "late_charge_rate_per_day": Decimal("0.03"),
    "late_charge_cap_ratio": Decimal("1"),
    "simplified_person_max_fen": 200_00,
    "simplified_unit_max_fen": 3_000_00,
    # 较大数额罚款 that needs legal review and collective discussion; an assumed local threshold.
    "legal_review_fine_fen": 50_000_00,
    "collective_discussion_fine_fen": 50_000_00,
    "nearing_days": 3,
}

PROCEDURE_RULES: DatedRules[ProcedureRules] = DatedRules(
    [
        ProcedureRules(
            code="2021_law_sector_rule",
            title="《行政处罚法》(2021) + 《安全生产违法行为行政处罚办法》(15号令)",
            effective_from=date(2021, 7, 15),
            decide_days=30,
            decide_extension_days=60,
            **STATUTORY_DEFAULTS,
        ),
        ProcedureRules(
            code="mem_order_18",
            title="《行政处罚法》(2021) + 应急管理部令第18号",
            effective_from=date(2026, 2, 1),
            decide_days=90,
            decide_extension_days=30,
            **STATUTORY_DEFAULTS,
        ),
    ]
)


def procedure_rules(overrides: Mapping[str, Mapping[str, Any]]) -> DatedRules[ProcedureRules]:
    """The dated rule sets with a deployment's `{rule_code: {field: value}}` overrides applied."""
    return PROCEDURE_RULES.with_overrides(overrides)


def late_charge_fen(
    *,
    rules: ProcedureRules,
    fine_fen: int,
    pay_by: date,
    payments: Sequence[tuple[date, int]],
    as_of: date,
) -> int:
    """The late charge (加处罚款) accrued by `as_of`, exact to the fen.

    Each day after `pay_by` adds `rate` of the fine still unpaid at the start of that day; a payment
    on a day counts from that day (paying on day N stops the charge from day N). The total never
    exceeds `cap_ratio` × the fine. Fractions of a fen are rounded half up once, on the total.
    Payments reduce the fine before they reduce the charge.
    """
    if fine_fen <= 0 or as_of <= pay_by:
        return 0
    cap = Decimal(fine_fen) * rules.late_charge_cap_ratio
    paid_by_day: dict[date, int] = {}
    for paid_on, amount in payments:
        paid_by_day[paid_on] = paid_by_day.get(paid_on, 0) + amount
    outstanding = fine_fen
    for paid_on in sorted(d for d in paid_by_day if d <= pay_by):
        outstanding -= paid_by_day[paid_on]
    total = Decimal(0)
    day = pay_by + timedelta(days=1)
    while day <= as_of and outstanding > 0 and total < cap:
        outstanding -= paid_by_day.get(day, 0)
        if outstanding <= 0:
            break
        total += Decimal(outstanding) * rules.late_charge_rate_per_day
        day += timedelta(days=1)
    total = min(total, cap)
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
