"""Pure rules of the enterprise registry: credit code, status changes, size bands."""

from __future__ import annotations

from enum import StrEnum

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class EnterpriseStatus(StrEnum):
    """Whether the enterprise is producing."""

    OPERATING = "operating"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class SizeBand(StrEnum):
    """Employee-count bands used by the list filter: micro <10, small 10-99, medium 100-299, large 300+."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


SIZE_BANDS: dict[SizeBand, tuple[int, int | None]] = {
    SizeBand.MICRO: (0, 9),
    SizeBand.SMALL: (10, 99),
    SizeBand.MEDIUM: (100, 299),
    SizeBand.LARGE: (300, None),
}

ALLOWED_STATUS_CHANGES: dict[EnterpriseStatus, frozenset[EnterpriseStatus]] = {
    EnterpriseStatus.OPERATING: frozenset({EnterpriseStatus.SUSPENDED, EnterpriseStatus.CLOSED}),
    EnterpriseStatus.SUSPENDED: frozenset({EnterpriseStatus.OPERATING, EnterpriseStatus.CLOSED}),
    EnterpriseStatus.CLOSED: frozenset(),
}


def credit_code_problem(code: str) -> str | None:
    """Why a unified social credit code (GB 32100-2015) is invalid, or None when it is valid."""
    if len(code) != 18:
        return "must be 18 characters"
    bad = [c for c in code if c not in CREDIT_CODE_CHARSET]
    if bad:
        return f"contains characters not allowed in a credit code: {''.join(sorted(set(bad)))}"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the administrative division code"
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    expected = CREDIT_CODE_CHARSET[(31 - total % 31) % 31]
    if code[17] != expected:
        return f"check character should be {expected}"
    return None


def status_change_problem(current: EnterpriseStatus, target: EnterpriseStatus) -> str | None:
    """Why an enterprise cannot move from `current` to `target`, or None when it can."""
    if current == target:
        return f"the enterprise is already {current.value}"
    if target not in ALLOWED_STATUS_CHANGES[current]:
        return f"a {current.value} enterprise cannot become {target.value}"
    return None
