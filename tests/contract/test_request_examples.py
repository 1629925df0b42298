"""The main request bodies carry a realistic example in the OpenAPI documents (so /docs shows a filled-in
body), and every example is a body the API accepts: it validates against the model that declares it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from enforcement_service.cases.schemas import CaseCreate, DecisionRecord
from enforcement_service.inspections.schemas import InspectionCreate
from hazard_service.hazards.schemas import ApplyAcceptance, HazardCreate, MarkRectified, StartRectification
from safety_stack.openapi_export import SERVICES, service_app
from supervisor_service.assignments.schemas import AssignmentCreate
from supervisor_service.enterprises.schemas import EnterpriseCreate
from supervisor_service.supervisors.schemas import SupervisorCreate
from supervisor_service.visits.schemas import VisitCreate

# (service, path of a POST, the model of its body)
MAIN_REQUESTS: list[tuple[str, str, type[BaseModel]]] = [
    ("hazard", "/api/v1/hazards", HazardCreate),
    ("hazard", "/api/v1/hazards/{hazard_id}/rectification", StartRectification),
    ("hazard", "/api/v1/hazards/{hazard_id}/rectified", MarkRectified),
    ("hazard", "/api/v1/hazards/{hazard_id}/acceptance-application", ApplyAcceptance),
    ("enforcement", "/api/v1/cases", CaseCreate),
    ("enforcement", "/api/v1/cases/{case_id}/decision", DecisionRecord),
    ("enforcement", "/api/v1/inspections", InspectionCreate),
    ("supervisor", "/api/v1/enterprises", EnterpriseCreate),
    ("supervisor", "/api/v1/supervisors", SupervisorCreate),
    ("supervisor", "/api/v1/assignments", AssignmentCreate),
    ("supervisor", "/api/v1/visits", VisitCreate),
]


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    """Each service's OpenAPI document."""
    return {service: service_app(service).openapi() for service in SERVICES}


@pytest.mark.parametrize(("service", "path", "model"), MAIN_REQUESTS, ids=[p for _, p, _ in MAIN_REQUESTS])
def test_a_main_request_body_has_examples_the_api_accepts(
    documents: dict[str, dict[str, Any]], service: str, path: str, model: type[BaseModel]
) -> None:
    document = documents[service]
    body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": f"#/components/schemas/{model.__name__}"}, "the operation takes another body"
    examples = document["components"]["schemas"][model.__name__].get("examples")
    assert examples, f"{model.__name__} has no example in the {service} document"
    for example in examples:
        # As a client sends it: JSON text, parsed by the same model the route validates with.
        model.model_validate_json(json.dumps(example, ensure_ascii=False))
