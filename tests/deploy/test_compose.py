"""docker-compose.yml against the Compose Specification schema and the platform's conventions."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
SERVICES = ("hazard", "enforcement", "supervisor", "reporting")
KINDS = ("migrate", "api", "worker")


def compose_schema() -> dict[str, Any]:
    """The official Compose Specification schema, as vendored by check-jsonschema (no network)."""
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema: dict[str, Any] = json.loads(vendored.read_text(encoding="utf-8"))
    return schema


def schema_errors(document: Any) -> list[str]:
    """Every violation of the Compose Specification in a loaded compose document."""
    schema = compose_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)
    ]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as Compose sees it (YAML merge keys resolved)."""
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    return document


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    assert compose_schema()["title"] == "Compose Specification"
    assert schema_errors(compose) == []


def _misspell_key(doc: dict[str, Any]) -> None:
    doc["services"]["hazard-api"]["helthcheck"] = doc["services"]["hazard-api"].pop("healthcheck")


def _bad_condition(doc: dict[str, Any]) -> None:
    doc["services"]["hazard-api"]["depends_on"]["hazard-migrate"]["condition"] = "service_done"


def _bad_restart_type(doc: dict[str, Any]) -> None:
    doc["services"]["kafka"]["restart"] = 5


def _unknown_top_level(doc: dict[str, Any]) -> None:
    doc["service"] = {}


def _healthcheck_typo(doc: dict[str, Any]) -> None:
    doc["services"]["postgres"]["healthcheck"]["intervall"] = "5s"


@pytest.mark.parametrize(
    "break_it", [_misspell_key, _bad_condition, _bad_restart_type, _unknown_top_level, _healthcheck_typo]
)
def test_schema_check_catches_a_broken_file(
    compose: dict[str, Any], break_it: Callable[[dict[str, Any]], None]
) -> None:
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert schema_errors(broken)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_its_three_process_kinds_from_one_image(compose: dict[str, Any], service: str) -> None:
    images = set()
    for kind in KINDS:
        entry = compose["services"][f"{service}-{kind}"]
        assert entry["command"] == ["python", "-m", f"{service}_service.entrypoints.{kind}"]
        assert entry["build"]["dockerfile"] == "deploy/Dockerfile"
        assert entry["build"]["args"] == {"SERVICE": service}
        assert (REPO / entry["build"]["context"] / entry["build"]["dockerfile"]).is_file()
        images.add(entry["image"])
    assert len(images) == 1
    assert f"/{service}-service:" in images.pop()


@pytest.mark.parametrize("name", [f"{s}-{k}" for s in SERVICES for k in ("api", "worker")])
def test_api_and_worker_can_be_scaled(compose: dict[str, Any], name: str) -> None:
    entry = compose["services"][name]
    # A fixed name or a published host port would make a second replica fail to start.
    assert "container_name" not in entry
    assert "ports" not in entry
    assert "hostname" not in entry
    assert "healthcheck" in entry
    if name.endswith("-worker"):
        assert "9100/healthz" in " ".join(entry["healthcheck"]["test"])


@pytest.mark.parametrize("service", SERVICES)
def test_start_order(compose: dict[str, Any], service: str) -> None:
    services = compose["services"]
    assert services[f"{service}-migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services[f"{service}-migrate"]["restart"] == "no"
    # The hazard API also waits for its evidence bucket.
    evidence = {"evidence-init": {"condition": "service_completed_successfully"}} if service == "hazard" else {}
    assert services[f"{service}-api"]["depends_on"] == {
        f"{service}-migrate": {"condition": "service_completed_successfully"},
        **evidence,
    }
    assert services[f"{service}-worker"]["depends_on"] == {
        f"{service}-migrate": {"condition": "service_completed_successfully"},
        "topic-init": {"condition": "service_completed_successfully"},
    }
    assert services["topic-init"]["depends_on"] == {"kafka": {"condition": "service_healthy"}}


def test_every_dependency_exists_and_healthy_ones_have_a_healthcheck(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, entry in services.items():
        for target, rule in entry.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target}'s health"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_its_own_prefixed_settings(compose: dict[str, Any], service: str) -> None:
    prefix = service.upper() + "_"
    for kind in KINDS:
        env = compose["services"][f"{service}-{kind}"]["environment"]
        assert re.fullmatch(
            rf"postgresql://{service}:\$\{{{prefix}DB_PASSWORD:\?[^}}]+\}}@postgres:5432/safety",
            env[f"{prefix}DATABASE_URL"],
        )
        assert env[f"{prefix}KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env[f"{prefix}KAFKA_ENABLE_IDEMPOTENCE"] == "true"
        assert env[f"{prefix}API_HOST"] == "0.0.0.0"
        assert env[f"{prefix}API_PORT"] == "8000"
        assert env[f"{prefix}WORKER_METRICS_PORT"] == "9100"
        for variable in ("AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE"):
            assert variable in env
        # No process holds another service's credentials.
        others = [o.upper() + "_" for o in SERVICES if o != service]
        assert not [key for key in env if key.startswith(tuple(others))]


def test_api_healthcheck_asks_readiness(compose: dict[str, Any]) -> None:
    for service in SERVICES:
        test = " ".join(compose["services"][f"{service}-api"]["healthcheck"]["test"])
        assert "http://127.0.0.1:8000/readyz" in test


def test_kafka_runs_in_kraft_mode(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "zookeeper" not in COMPOSE_FILE.read_text(encoding="utf-8").lower()
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert compose["services"]["topic-init"]["image"] == kafka["image"]


def test_postgres_is_recent_and_initialised_from_deploy_sql(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    image, _, tag = postgres["image"].partition(":")
    assert image == "postgres"
    assert int(tag.split(".")[0].split("-")[0]) >= 16
    assert "./deploy/sql:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    for service in SERVICES:
        assert f"{service.upper()}_DB_PASSWORD" in postgres["environment"]


def test_gateway_is_the_only_published_port(compose: dict[str, Any]) -> None:
    published = {name for name, entry in compose["services"].items() if entry.get("ports")}
    assert published == {"gateway"}
    assert compose["services"]["gateway"]["ports"] == ["${GATEWAY_PORT:-8080}:8080"]


def test_bind_mount_sources_exist(compose: dict[str, Any]) -> None:
    for name, entry in compose["services"].items():
        for volume in entry.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"


def test_env_example_names_every_required_variable() -> None:
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", COMPOSE_FILE.read_text(encoding="utf-8")))
    example = (REPO / "deploy" / "compose.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert required
    assert required <= listed


def test_the_upward_report_is_configured_signed_and_has_its_simulator(compose: dict[str, Any]) -> None:
    """Both targets are set for the hazard API and worker (the API's /readyz watches them), each valid as the
    service reads it and signed with the key the simulator verifies."""
    from hazard_service.config import UpstreamTargetConfig

    for name in ("hazard-api", "hazard-worker"):
        raw = compose["services"][name]["environment"]["HAZARD_UPSTREAM_TARGETS"]
        targets = [UpstreamTargetConfig(**t) for t in json.loads(re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "x", raw))]
        assert {t.kind for t in targets} == {"national_direct_report", "provincial_one_list"}
        assert all(t.hmac_secret is not None and t.url == "http://upstream-simulator:8091" for t in targets)
        assert float(compose["services"][name]["environment"]["HAZARD_UPSTREAM_UNREACHABLE_AFTER_S"]) > 0
    simulator = compose["services"]["upstream-simulator"]
    assert simulator["command"][:3] == ["python", "-m", "hazard_service.upstream.simulator"]
    assert "hongjiang-hazard" in simulator["environment"]["UPSTREAM_SIMULATOR_SECRETS"]


def test_evidence_photos_live_in_the_object_store_every_replica_shares(compose: dict[str, Any]) -> None:
    """The hazard API keeps photos in MinIO (no folder on its read-only root filesystem), in the bucket the init
    job creates, and serves them at its own signed URLs (the bucket publishes no port); each setting is valid as
    the service reads it."""
    from hazard_service.config import HazardSettings

    env = compose["services"]["hazard-api"]["environment"]
    resolved = {k: re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "x", str(v)) for k, v in env.items()}
    photo = {k.removeprefix("HAZARD_").lower(): v for k, v in resolved.items() if k.startswith("HAZARD_PHOTO_")}
    settings = HazardSettings(database_url="postgresql://h@postgres/safety", kafka_bootstrap_servers="k:9092", **photo)
    assert settings.photo_store == "s3"
    assert settings.photo_s3_endpoint_url == "http://evidence-store:9000"
    assert not settings.photo_s3_presign
    assert settings.photo_url_secret is not None
    store, init = compose["services"]["evidence-store"], compose["services"]["evidence-init"]
    assert store["image"].startswith("minio/minio:RELEASE.")
    assert "evidence-data:/data" in store["volumes"]
    assert f"evidence/{settings.photo_s3_bucket}" in " ".join(init["command"])
    assert init["depends_on"] == {"evidence-store": {"condition": "service_healthy"}}
    assert "HAZARD_PHOTO_DIR" not in env
