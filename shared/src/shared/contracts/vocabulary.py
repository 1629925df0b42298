"""Codes more than one service publishes or reads, with the Chinese label an official reads for each."""

from __future__ import annotations

from enum import StrEnum


class RiskLevel(StrEnum):
    """Safety risk level (安全风险等级) of an enterprise or a risk point, highest first (红, 橙, 黄, 蓝)."""

    MAJOR = "major"
    LARGE = "large"
    GENERAL = "general"
    LOW = "low"


RISK_LEVEL_LABELS: dict[str, str] = {
    RiskLevel.MAJOR: "重大风险",
    RiskLevel.LARGE: "较大风险",
    RiskLevel.GENERAL: "一般风险",
    RiskLevel.LOW: "低风险",
}
"""The Chinese name of each risk level, as the API, the exports and the registry import print it."""

RISK_LEVEL_COLOURS: dict[str, str] = {
    RiskLevel.MAJOR: "#FF0000",
    RiskLevel.LARGE: "#FF8C00",
    RiskLevel.GENERAL: "#FFD700",
    RiskLevel.LOW: "#1E90FF",
}
"""The four colours (四色) a risk map paints each level in: red, orange, yellow, blue."""

RISK_LEVEL_OF_COLOUR: dict[str, RiskLevel] = {
    "red": RiskLevel.MAJOR,
    "orange": RiskLevel.LARGE,
    "yellow": RiskLevel.GENERAL,
    "blue": RiskLevel.LOW,
}
"""The colour codes risk points carried before the one vocabulary (risk_point.* v1), by the level each means."""

RISK_LEVEL_COLOUR_NAMES: dict[str, str] = {
    RiskLevel.MAJOR: "红",
    RiskLevel.LARGE: "橙",
    RiskLevel.GENERAL: "黄",
    RiskLevel.LOW: "蓝",
}
"""The Chinese name of each level's colour."""

RISK_LEVEL_WORDS: dict[str, RiskLevel] = {
    word: RiskLevel(level)
    for level, label in RISK_LEVEL_LABELS.items()
    for word in (
        label,
        label.removesuffix("风险"),
        RISK_LEVEL_COLOUR_NAMES[level],
        RISK_LEVEL_COLOUR_NAMES[level] + "色",
    )
}
"""Every Chinese word a spreadsheet may name a level by: 重大风险, 重大, 红, 红色 and so on."""
