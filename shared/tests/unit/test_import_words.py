"""The words import cells hold: yes/no columns and lists in one cell."""

from __future__ import annotations

import pytest

from shared.imports.words import cell_list, yes_or_no


@pytest.mark.parametrize(("cell", "flag"), [("是", True), ("有", True), (" YES ", True), ("1", True), ("否", False)])
def test_a_yes_or_no_word_reads_as_a_flag(cell: str, flag: bool) -> None:
    assert yes_or_no(cell) is flag


def test_another_word_is_left_for_the_model_to_refuse() -> None:
    assert yes_or_no("也许") == "也许"


def test_a_cell_lists_items_separated_as_offices_type_them() -> None:
    assert cell_list("李四、王五，赵六; 钱七  孙八") == ["李四", "王五", "赵六", "钱七", "孙八"]
    assert cell_list(["已是列表"]) == ["已是列表"]
