"""Coverage rate arithmetic on exact integers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def coverage_rate(covered: int, eligible: int) -> Decimal | None:
    """covered / eligible rounded half-up to 4 decimal places; None when nothing is eligible."""
    if eligible == 0:
        return None
    return (Decimal(covered) / Decimal(eligible)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
