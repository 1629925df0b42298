"""The one scoping pattern: the SQL condition and its Python mirror agree."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, MetaData, String, Table, Uuid
from sqlalchemy.dialects import postgresql

from shared.auth.principal import Principal, Role
from shared.auth.scope import Scope
from shared.errors import NotFound

THING = Table("thing", MetaData(), Column("township_code", String), Column("enterprise_id", Uuid))
TOWNSHIP = "431281101000"
ENTERPRISE = uuid.uuid4()


def _sql(scope: Scope, **kwargs: object) -> str:
    condition = scope.where(division=THING.c.township_code, enterprise=THING.c.enterprise_id, **kwargs)
    return str(condition.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def test_everything_roles_reach_everything() -> None:
    scope = Scope(Principal("a", frozenset({Role.CITY_ADMIN})))
    assert _sql(scope) == "true"
    assert scope.admits(division="439999000000")


def test_jurisdiction_is_a_prefix_and_a_township_can_be_an_equality() -> None:
    scope = Scope(Principal("t", frozenset({Role.TOWNSHIP_OFFICER}), jurisdictions=(TOWNSHIP,)))
    assert "LIKE '431281101' || '%%'" in _sql(scope)
    assert "IN ('431281101000')" in _sql(scope, township_level=True)
    assert scope.admits(division="431281101203")
    assert not scope.admits(division="431281102000")


def test_an_enterprise_reaches_only_itself_whatever_its_jurisdictions() -> None:
    principal = Principal("e", frozenset({Role.ENTERPRISE}), jurisdictions=(TOWNSHIP,), enterprise_id=str(ENTERPRISE))
    scope = Scope(principal)
    assert "LIKE" not in _sql(scope)
    assert scope.admits(division="431281102000", enterprise=ENTERPRISE)
    assert not scope.admits(division=TOWNSHIP, enterprise=uuid.uuid4())


def test_no_role_reaches_nothing_and_outside_is_not_found() -> None:
    scope = Scope(Principal("n", frozenset(), jurisdictions=(TOWNSHIP,)))
    assert _sql(scope) == "false"
    with pytest.raises(NotFound, match="hazard not found"):
        scope.ensure_visible("hazard", division=TOWNSHIP)


def test_a_services_own_reach_widens_the_scope() -> None:
    scope = Scope(Principal("s", frozenset({Role.SUPERVISOR})), jurisdiction_roles=(Role.TOWNSHIP_OFFICER,))
    assert _sql(scope) == "false"
    assert "thing.enterprise_id IN" in _sql(scope, extra=[THING.c.enterprise_id.in_([ENTERPRISE])])
    assert scope.admits(extra=True)
