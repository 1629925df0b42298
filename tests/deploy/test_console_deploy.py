"""The web console in production: the gateway image carries its production build, the gateway serves it at / with
single-page-app fallback and a /config.json for OIDC sign-in (never the development sign-in), and Compose and
Kubernetes run that image with the identity provider the services verify tokens with."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
TEMPLATE = DEPLOY / "gateway" / "nginx.conf.template"
DOCKERFILE = DEPLOY / "Dockerfile.gateway"
CONSOLE_ROOT = "/usr/share/nginx/console"


def _location(pattern: str) -> str:
    """The body of the template's location block whose header matches `pattern`."""
    text = TEMPLATE.read_text(encoding="utf-8")
    match = re.search(rf"location {pattern} \{{\n(?P<body>.*?)\n\s*\}}", text, flags=re.DOTALL)
    assert match, f"no location {pattern} in the gateway template"
    return match["body"]


def test_config_json_names_same_origin_apis_and_oidc_sign_in() -> None:
    body = _location(re.escape("= /config.json"))
    served = re.search(r"return 200 '(?P<json>.*)';", body)
    assert served
    config = json.loads(served["json"])
    assert config == {
        "services": {"hazard": "", "enforcement": "", "supervisor": "", "reporting": ""},
        "auth": {
            "mode": "oidc",
            "issuer": "${GATEWAY_OIDC_ISSUER}",
            "client_id": "${GATEWAY_OIDC_CLIENT_ID}",
            "scope": "openid profile",
        },
    }
    assert "no-store" in body


def test_the_gateway_has_no_development_sign_in() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "/dev/token" not in text
    assert "/dev/users" not in text
    assert '"dev"' not in text


def test_every_other_path_is_the_single_page_app_and_assets_are_kept_long() -> None:
    spa = _location("/")
    assert f"root {CONSOLE_ROOT};" in spa
    assert "try_files $uri /index.html;" in spa
    assert 'Cache-Control "no-cache"' in spa
    assets = _location("/assets/")
    assert f"root {CONSOLE_ROOT};" in assets
    assert "try_files $uri =404;" in assets
    assert "immutable" in assets
    # Other API versions and documentation paths stay problem+json 404s, not the console's page.
    assert "return 404;" in _location("/api/")
    assert "return 404;" in _location("/docs/")
    assert "include /etc/nginx/mime.types;" in TEMPLATE.read_text(encoding="utf-8")


def _stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined, comments dropped), per stage."""
    lines = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8")).splitlines()
    stages: list[list[str]] = []
    for line in (line.strip() for line in lines):
        if line.startswith("FROM "):
            stages.append([])
        if stages and line and not line.startswith("#"):
            stages[-1].append(line)
    return stages


def test_the_gateway_image_builds_the_production_console_with_node_and_serves_it_with_nginx() -> None:
    build, serve = _stages()
    assert build[0].startswith("FROM ${NODE_IMAGE}")
    assert "ARG NODE_IMAGE=node:20-slim" in DOCKERFILE.read_text(encoding="utf-8")
    runs = " ".join(line for line in build if line.startswith("RUN "))
    assert "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci" in runs
    assert "npm run build " in runs + " "
    assert "build:embedded" not in DOCKERFILE.read_text(encoding="utf-8")
    assert serve[0].startswith("FROM ${NGINX_IMAGE}")
    assert f"COPY --from=console /web/dist {CONSOLE_ROOT}" in serve
    assert "COPY deploy/gateway/nginx.conf.template /etc/nginx/templates/nginx.conf.template" in serve
    assert "USER 101:101" in serve


def test_the_gateway_build_context_leaves_out_packages_builds_and_the_embedded_mode() -> None:
    ignored = (DEPLOY / "Dockerfile.gateway.dockerignore").read_text(encoding="utf-8").splitlines()
    for entry in ("**/node_modules", "web/dist", "web/dist-embedded", "web/.env.embedded", "**/.venv"):
        assert entry in ignored
    assert "**/node_modules" in (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()


def test_compose_runs_the_gateway_image_with_the_services_identity_provider() -> None:
    compose: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    gateway = compose["services"]["gateway"]
    assert gateway["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile.gateway"}
    assert gateway["image"].endswith("/gateway:${IMAGE_TAG:-latest}")
    env = gateway["environment"]
    assert env["GATEWAY_OIDC_ISSUER"].startswith("${AUTH_ISSUER:?")
    assert env["GATEWAY_OIDC_CLIENT_ID"].startswith("${AUTH_AUDIENCE:?")


def test_kubernetes_runs_the_gateway_image_with_the_services_identity_provider() -> None:
    documents = [d for d in yaml.safe_load_all((DEPLOY / "k8s" / "gateway.yaml").read_text(encoding="utf-8")) if d]
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "safety/gateway"
    env = {v["name"]: v for v in container["env"]}
    platform = next(yaml.safe_load_all((DEPLOY / "k8s" / "platform.yaml").read_text(encoding="utf-8")))
    for variable, setting in (("GATEWAY_OIDC_ISSUER", "AUTH_ISSUER"), ("GATEWAY_OIDC_CLIENT_ID", "AUTH_AUDIENCE")):
        reference = env[variable]["valueFrom"]["configMapKeyRef"]
        assert reference == {"name": platform["metadata"]["name"], "key": setting}
        assert setting in platform["data"]
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    assert "safety/gateway" in {image["name"] for image in kustomization["images"]}
