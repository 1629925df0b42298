"""`safety token`: development callers that differ in role or jurisdiction never share a subject."""

from __future__ import annotations

import argparse

from safety_stack.cli import development_subject


def _args(*roles: str, **extra: str | None) -> argparse.Namespace:
    values: dict[str, object] = {"department": None, "enterprise_id": None, "supervisor_id": None}
    values.update(extra)
    return argparse.Namespace(role=list(roles), **values)


def test_each_role_and_jurisdiction_gets_its_own_subject() -> None:
    township_a = development_subject(_args("township_officer"), ["431281101000"])
    township_b = development_subject(_args("township_officer"), ["431281102000"])
    admin = development_subject(_args("city_admin"), ["431281000000"])
    officer = development_subject(_args("department_officer", department="yjj"), ["431281000000"])
    assert len({township_a, township_b, admin, officer}) == 4
    assert township_a == development_subject(_args("township_officer"), ["431281101000"])
