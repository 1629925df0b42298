"""The words offices write in import cells for a yes/no column and for a list in one cell."""

from __future__ import annotations

import re
from typing import Any

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "有"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "无", ""})


def yes_or_no(value: Any) -> Any:
    """True or False for a yes/no word (是/否, yes/no, 1/0), any other value unchanged for the model to refuse."""
    word = str(value).strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else value


def cell_list(value: Any) -> Any:
    """The items one cell lists, separated as an office types them (、，, ; or spaces); a non-text value as is."""
    return [item for item in re.split(r"[,，、;；\s]+", value) if item] if isinstance(value, str) else value
