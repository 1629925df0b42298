"""Labels of codes: a map must name exactly its enum's codes, and a document's enums get the labels wherever
they stand (component, property, query parameter)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

import pytest

from shared.contracts.labels import Labels, label_codes


class Phase(StrEnum):
    """Test enum."""

    BEFORE = "before"
    AFTER = "after"


def test_a_map_is_put_in_the_enums_order_and_must_name_every_code_and_no_other() -> None:
    assert list(label_codes(Phase, {"after": "整改后", "before": "整改前"})) == ["before", "after"]
    assert label_codes(Literal["csv", "xlsx"], {"xlsx": "Excel", "csv": "CSV"}) == {"csv": "CSV", "xlsx": "Excel"}
    with pytest.raises(ValueError, match="missing \\['after'\\]"):
        label_codes(Phase, {"before": "整改前"})
    with pytest.raises(ValueError, match="unknown \\['during'\\]"):
        label_codes(Phase, {"before": "整改前", "after": "整改后", "during": "整改中"})


def test_two_enums_with_the_same_codes_must_not_disagree_on_their_labels() -> None:
    with pytest.raises(ValueError, match="Other"):
        Labels({"Phase": {"before": "整改前", "after": "整改后"}, "Other": {"after": "之后", "before": "之前"}})


def test_every_enum_of_a_document_is_described_wherever_it_stands() -> None:
    labels = Labels({"Phase": label_codes(Phase, {"before": "整改前", "after": "整改后"})})
    document: dict[str, Any] = {
        "components": {"schemas": {"Phase": {"type": "string", "enum": ["before", "after"], "description": "When."}}},
        "paths": {"/x": {"get": {"parameters": [{"schema": {"anyOf": [{"enum": ["after", "before"]}]}}]}}},
        "other": {"enum": ["unknown"]},
    }
    labels.describe(document)
    component = document["components"]["schemas"]["Phase"]
    assert component["x-enum-descriptions"] == ["整改前", "整改后"]
    assert component["description"] == "When.\n\n- `before`: 整改前\n- `after`: 整改后"
    parameter = document["paths"]["/x"]["get"]["parameters"][0]["schema"]["anyOf"][0]
    assert parameter["x-enum-descriptions"] == ["整改后", "整改前"]
    assert "x-enum-descriptions" not in document["other"]
