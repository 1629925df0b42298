"""The gateway's routing table, and (where nginx is installed) the real nginx routing with it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "gateway" / "nginx.conf.template"
SERVICES = ("hazard", "enforcement", "supervisor", "reporting")


def _served_resources(service: str) -> set[str]:
    """The first path segments under /api/v1/ that a service's app serves, from its OpenAPI document."""
    package = f"{service}_service"
    settings_cls = getattr(importlib.import_module(f"{package}.config"), f"{service.capitalize()}Settings")
    settings = settings_cls(
        database_url="postgresql+asyncpg://gateway@127.0.0.1/unused",
        kafka_bootstrap_servers="127.0.0.1:9",
        auth_hs256_key_file=REPO / "README.md",
    )
    app = importlib.import_module(f"{package}.main").create_app(settings)
    return {path.split("/")[3] for path in app.openapi()["paths"] if path.startswith("/api/v1/")}


# Who owns which resource, read from the services themselves so the gateway cannot drift from them.
EXPECTED = {f"/api/v1/{resource}": service for service in SERVICES for resource in _served_resources(service)}

ROUTE_LINE = re.compile(r"^\s*~\^(?P<prefix>/api/v1/[a-z0-9-]+)\(\?:/\|\$\)\s+(?P<service>[a-z]+);\s*$")


def routing_map() -> list[str]:
    """The body lines of the `map $uri $api_service` block."""
    text = TEMPLATE.read_text(encoding="utf-8")
    match = re.search(r"map \$uri \$api_service \{\n(?P<body>.*?)\n\s*\}", text, flags=re.DOTALL)
    assert match, "the routing table (map $uri $api_service) is missing"
    return [line for line in match["body"].splitlines() if line.strip()]


def routes() -> list[tuple[str, str]]:
    """(prefix, service) in the order nginx tries them."""
    table = []
    for line in routing_map():
        if line.strip() == 'default "";':
            continue
        match = ROUTE_LINE.match(line)
        assert match, f"unexpected routing line: {line!r}"
        table.append((match["prefix"], match["service"]))
    return table


def route(path: str) -> str | None:
    """The service nginx picks for a path: the first regex entry that matches, as nginx does."""
    for line in routing_map():
        match = ROUTE_LINE.match(line)
        if match and re.search(line.strip().split()[0][1:], path):
            return match["service"]
    return None


def test_routing_table_covers_every_prefix_with_its_owner() -> None:
    table = routes()
    prefixes = [prefix for prefix, _ in table]
    assert len(prefixes) == len(set(prefixes)), "a prefix is routed twice"
    assert dict(table) == EXPECTED


def test_every_route_points_to_a_known_service() -> None:
    assert {service for _, service in routes()} <= set(SERVICES)


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/hazards", "hazard"),
        ("/api/v1/hazards/42/rectification", "hazard"),
        ("/api/v1/cases/7", "enforcement"),
        ("/api/v1/case-leads", "enforcement"),
        ("/api/v1/plans/2026", "enforcement"),
        ("/api/v1/typical-cases", "enforcement"),
        ("/api/v1/hazard-standards/import", "hazard"),
        ("/api/v1/coverage/townships", "supervisor"),
        ("/api/v1/reference/industries", "supervisor"),
        ("/api/v1/statistics/freshness", "reporting"),
        ("/api/v1/enforcement-plans", None),
        ("/api/v1/casesx", None),
        ("/api/v1/hazard", None),
        ("/api/v2/hazards", None),
        ("/api/v1/", None),
        ("/hazards", None),
    ],
)
def test_paths_reach_their_owner_and_nothing_else(path: str, service: str | None) -> None:
    assert route(path) == service


def test_upstream_names_match_compose_and_kubernetes() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "proxy_pass http://$api_service-api${GATEWAY_UPSTREAM_SUFFIX}:8000;" in text
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    k8s_services = {
        (d["metadata"]["name"], d["spec"]["ports"][0]["port"])
        for path in (REPO / "deploy" / "k8s").glob("*.yaml")
        for d in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if d and d["kind"] == "Service"
    }
    for service in SERVICES:
        assert f"{service}-api" in compose["services"]
        assert (f"{service}-api", 8000) in k8s_services


def test_template_variables_are_the_ones_the_entrypoint_fills() -> None:
    variables = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", TEMPLATE.read_text(encoding="utf-8")))
    assert variables == {
        "NGINX_LOCAL_RESOLVERS",
        "GATEWAY_UPSTREAM_SUFFIX",
        "GATEWAY_OIDC_ISSUER",
        "GATEWAY_OIDC_CLIENT_ID",
    }
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    env = compose["services"]["gateway"]["environment"]
    assert env["NGINX_ENTRYPOINT_LOCAL_RESOLVERS"] == "1"
    assert env["GATEWAY_UPSTREAM_SUFFIX"] == ""
    assert variables <= {*env, "NGINX_LOCAL_RESOLVERS"}
    pattern = env["NGINX_ENVSUBST_FILTER"]
    for variable in variables:
        assert re.search(pattern, variable)
    # nginx's own variables must survive the substitution.
    assert not re.search(pattern, "api_service")
    assert not re.search(pattern, "uri")


# ---------------------------------------------------------------------------------------
# The real nginx: a stub DNS server gives each "<service>-api" its own loopback address,
# where a stub HTTP server reports which address it was reached on.


DOCS_LOCATION = re.compile(r"location ~ (?P<regex>\^/docs/\(\?<docs_service>(?P<services>[a-z|]+)\)/\S+) \{")


def docs_upstream(path: str) -> tuple[str, str] | None:
    """(service, path on the service) the gateway's docs location sends a path to, as nginx matches it."""
    match = DOCS_LOCATION.search(TEMPLATE.read_text(encoding="utf-8"))
    assert match, "the /docs/<service>/ location is missing"
    found = re.match(match["regex"].replace("(?<", "(?P<"), path)
    if not found:
        return None
    return found["docs_service"], "/" + found["docs_page"] if found["docs_page"] else "/docs"


def test_docs_of_every_service_are_routed() -> None:
    match = DOCS_LOCATION.search(TEMPLATE.read_text(encoding="utf-8"))
    assert match
    assert set(match["services"].split("|")) == set(SERVICES)


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/docs/hazard/", ("hazard", "/docs")),
        ("/docs/enforcement/redoc", ("enforcement", "/redoc")),
        ("/docs/supervisor/openapi.json", ("supervisor", "/openapi.json")),
        ("/docs/reporting/docs-assets/swagger-ui-bundle.js", ("reporting", "/docs-assets/swagger-ui-bundle.js")),
        ("/docs/hazard/api/v1/hazards", None),
        ("/docs/hazard/docs-assets/../metrics", None),
        ("/docs/hazard/metrics", None),
        ("/docs/billing/", None),
    ],
)
def test_docs_paths_reach_only_the_documentation(path: str, upstream: tuple[str, str] | None) -> None:
    assert docs_upstream(path) == upstream
