"""schemathesis against every operation of the four services' OpenAPI documents, as the city administrator and
as a township officer of 431281101000: no 5xx, no status and no body outside what the operation documents.

Generation is bounded (`MAX_EXAMPLES` per operation and caller) and seeded (`SEED`), so a failure reproduces
with the same seed; the report of a failure carries a curl command. Path parameters naming a seeded item take
its id (the inside one), so the generated bodies reach real items instead of stopping at a 404.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from functools import cache
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shared.testing.helpers import token
from shared.testing.plugin import Stack

from .conftest import CITY, INSIDE, Service, openapi_documents

SEED = 20260301
MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
CALLERS: dict[str, dict[str, Any]] = {
    "city_admin": {"jurisdictions": [CITY], "department": "yjj"},
    "township_officer": {"jurisdictions": [INSIDE]},
}
DOCUMENTS = openapi_documents()

# Operations whose fuzzing exposes a defect in a service: they fail today and must pass once it is fixed.
KNOWN_DEFECTS: dict[str, str] = {}

CASES_RUN: Counter[str] = Counter()
OPERATIONS_RUN: dict[str, set[str]] = {}


@cache
def _schema(service: str) -> Any:
    return schemathesis.openapi.from_dict(DOCUMENTS[service])


def _params() -> list[Any]:
    params = []
    for service, document in DOCUMENTS.items():
        for path, operations in document["paths"].items():
            for method in operations:
                for caller in CALLERS:
                    case_id = f"{service} {method.upper()} {path} {caller}"
                    reason = KNOWN_DEFECTS.get(case_id)
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    params.append(pytest.param(service, method, path, caller, id=case_id, marks=marks))
    return params


def fuzz(service: Service, method: str, path: str, headers: dict[str, str]) -> int:
    """Run the bounded, seeded cases of one operation (synchronously: schemathesis sends with requests)."""
    operation = _schema(service.name)[path][method.upper()]
    fixed = {**service.global_params, **service.inside}
    path_parameters = {name: value for name, value in fixed.items() if f"{{{name}}}" in path}
    sent = 0
    session = requests.Session()

    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found, with its curl
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters or None))
    def run(case: Any) -> None:
        nonlocal sent
        response = case.call(base_url=service.base_url, headers=headers, session=session, timeout=60)
        sent += 1
        case.validate_response(response, checks=CHECKS)

    with session:
        run()
    return sent


@pytest.mark.parametrize(("service_name", "method", "path", "caller"), _params())
async def test_fuzz(
    service_name: str, method: str, path: str, caller: str, services: dict[str, Service], stack: Stack
) -> None:
    service = services[service_name]
    headers = token(stack, [caller], **CALLERS[caller])
    sent = await asyncio.to_thread(fuzz, service, method, path, headers)
    CASES_RUN[service_name] += sent
    OPERATIONS_RUN.setdefault(service_name, set()).add(f"{method} {path}")


def test_fuzz_summary() -> None:
    """Per service, how many operations and cases the fuzzing above ran (printed for the CI log)."""
    for name in DOCUMENTS:
        operations = len(OPERATIONS_RUN.get(name, ()))
        print(f"fuzz {name}: {operations} operations, {CASES_RUN[name]} cases (seed {SEED})")
    assert sum(CASES_RUN.values()) > 0 or not OPERATIONS_RUN
