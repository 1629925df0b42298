"""deploy/k8s against the Kubernetes JSON schemas (offline) and the platform's conventions."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
MANIFESTS = DEPLOY / "k8s"
SERVICES = ("hazard", "enforcement", "supervisor", "reporting")
NAMESPACE = "safety"
TOPIC_PARTITIONS = 12
# The oldest Kubernetes release we support and a current one; strict schemas reject
# unknown fields, which is where typos in manifests hide.
KUBERNETES_VERSIONS = ("1.29", "1.34")


def load_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every resource in deploy/k8s, with the file it came from."""
    documents = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document is not None:
                documents.append((path.name, document))
    return documents


DOCUMENTS = load_documents()


def validate(document: dict[str, Any], version: str) -> None:
    """Raise unless the resource is valid for that Kubernetes version; unknown kinds fail too."""
    kubernetes_validate.validate(document, version, strict=True)


def by_kind(kind: str) -> list[dict[str, Any]]:
    """All resources of one kind."""
    return [document for _, document in DOCUMENTS if document["kind"] == kind]


def find(kind: str, name: str) -> dict[str, Any]:
    """The one resource of that kind and name."""
    matches = [d for d in by_kind(kind) if d["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    """The pod template of every workload, named after its owner."""
    for document in by_kind("Deployment") + by_kind("Job"):
        yield document["metadata"]["name"], document["spec"]["template"]["spec"]


def kustomization() -> dict[str, Any]:
    """deploy/kustomization.yaml."""
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text(encoding="utf-8"))
    return loaded


def test_there_are_manifests() -> None:
    assert len(DOCUMENTS) > 20


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(
    ("source", "document"),
    DOCUMENTS,
    ids=[f"{src}:{doc['kind']}/{doc['metadata']['name']}" for src, doc in DOCUMENTS],
)
def test_manifest_is_valid_kubernetes(source: str, document: dict[str, Any], version: str) -> None:
    validate(document, version)


def _unknown_container_field(doc: dict[str, Any]) -> None:
    doc["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"


def _string_replicas(doc: dict[str, Any]) -> None:
    doc["spec"]["replicas"] = "three"


def _probe_without_handler_port(doc: dict[str, Any]) -> None:
    del doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["port"]


def _missing_selector(doc: dict[str, Any]) -> None:
    del doc["spec"]["selector"]


def _misplaced_resources(doc: dict[str, Any]) -> None:
    container = doc["spec"]["template"]["spec"]["containers"][0]
    container["resource"] = container.pop("resources")


@pytest.mark.parametrize(
    "break_it",
    [_unknown_container_field, _string_replicas, _probe_without_handler_port, _missing_selector, _misplaced_resources],
)
def test_schema_check_catches_a_broken_deployment(break_it: Callable[[dict[str, Any]], None]) -> None:
    broken = copy.deepcopy(find("Deployment", "hazard-api"))
    break_it(broken)
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(broken, KUBERNETES_VERSIONS[-1])


def test_an_unknown_kind_is_not_silently_accepted() -> None:
    with pytest.raises(kubernetes_validate.SchemaNotFoundError):
        validate({"apiVersion": "apps/v1", "kind": "Deplyment", "metadata": {"name": "x"}}, KUBERNETES_VERSIONS[-1])


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_its_resources(service: str) -> None:
    expected = {
        ("ConfigMap", f"{service}-config"),
        ("Secret", f"{service}-secrets"),
        ("Job", f"{service}-migrate"),
        ("Deployment", f"{service}-api"),
        ("Deployment", f"{service}-worker"),
        ("Service", f"{service}-api"),
        ("HorizontalPodAutoscaler", f"{service}-api"),
        ("HorizontalPodAutoscaler", f"{service}-worker"),
    }
    present = {(d["kind"], d["metadata"]["name"]) for src, d in DOCUMENTS if src == f"{service}.yaml"}
    assert expected <= present


@pytest.mark.parametrize("service", SERVICES)
def test_each_process_kind_runs_its_entrypoint(service: str) -> None:
    for kind, workload in (("migrate", "Job"), ("api", "Deployment"), ("worker", "Deployment")):
        containers = find(workload, f"{service}-{kind}")["spec"]["template"]["spec"]["containers"]
        assert [c["command"] for c in containers] == [["python", "-m", f"{service}_service.entrypoints.{kind}"]]
        assert containers[0]["image"].startswith(f"safety/{service}-service:")


@pytest.mark.parametrize("service", SERVICES)
def test_api_probes_and_service(service: str) -> None:
    deployment = find("Deployment", f"{service}-api")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8000}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["port"] in ports

    service_resource = find("Service", f"{service}-api")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = service_resource["spec"]["selector"]
    assert selector.items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert [(p["port"], p["targetPort"]) for p in service_resource["spec"]["ports"]] == [(8000, "http")]
    # The worker must never receive API traffic.
    worker_labels = find("Deployment", f"{service}-worker")["spec"]["template"]["metadata"]["labels"]
    assert not selector.items() <= worker_labels.items()


@pytest.mark.parametrize("service", SERVICES)
def test_settings_follow_the_env_conventions(service: str) -> None:
    prefix = service.upper() + "_"
    data = find("ConfigMap", f"{service}-config")["data"]
    assert data[f"{prefix}API_HOST"] == "0.0.0.0"
    assert data[f"{prefix}API_PORT"] == "8000"
    assert data[f"{prefix}WORKER_METRICS_PORT"] == "9100"
    assert data[f"{prefix}KAFKA_ENABLE_IDEMPOTENCE"] == "true"
    assert data[f"{prefix}KAFKA_BOOTSTRAP_SERVERS"]
    secret = find("Secret", f"{service}-secrets")["stringData"]
    assert secret[f"{prefix}DATABASE_URL"].startswith(f"postgresql://{service}:")
    platform = find("ConfigMap", "platform-config")["data"]
    assert {"AUTH_JWKS_URL", "AUTH_ISSUER", "AUTH_AUDIENCE"} <= platform.keys()
    worker = find("Deployment", f"{service}-worker")["spec"]["template"]["spec"]["containers"][0]
    assert {p["name"]: p["containerPort"] for p in worker["ports"]} == {"metrics": 9100}
    # The worker's own health (a consumer ended or stalled), not the metrics page, decides its liveness.
    assert worker["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}


def test_every_container_has_requests_limits_and_runs_unprivileged() -> None:
    for owner, spec in pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True, owner
        assert spec["securityContext"]["runAsUser"] != 0, owner
        # Service links would inject <NAME>_API_PORT=tcp://... over the service's own setting.
        assert spec["enableServiceLinks"] is False, owner
        for container in spec["containers"]:
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= container["resources"][bound].keys(), owner
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, owner
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], owner


def test_autoscalers_target_existing_deployments() -> None:
    deployments = {d["metadata"]["name"] for d in by_kind("Deployment")}
    autoscalers = by_kind("HorizontalPodAutoscaler")
    targets = set()
    for hpa in autoscalers:
        assert hpa["apiVersion"] == "autoscaling/v2"
        ref = hpa["spec"]["scaleTargetRef"]
        assert (ref["apiVersion"], ref["kind"]) == ("apps/v1", "Deployment")
        assert ref["name"] in deployments
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        targets.add(ref["name"])
    for service in SERVICES:
        assert {f"{service}-api", f"{service}-worker"} <= targets
        # A consumer beyond the partition count gets no partition.
        worker = find("HorizontalPodAutoscaler", f"{service}-worker")
        assert worker["spec"]["maxReplicas"] <= TOPIC_PARTITIONS
    # The autoscaler owns the replica count; a fixed one would reset it at every apply.
    for name in targets:
        assert "replicas" not in find("Deployment", name)["spec"]


def test_referenced_configmaps_and_secrets_exist() -> None:
    configmaps = {d["metadata"]["name"] for d in by_kind("ConfigMap")}
    configmaps |= {g["name"] for g in kustomization().get("configMapGenerator", [])}
    secrets = {d["metadata"]["name"] for d in by_kind("Secret")}
    for owner, spec in pod_specs():
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps, owner
        for container in spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configmaps, owner
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, owner
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("configMapKeyRef")
                if ref:
                    assert ref["name"] in configmaps, owner
                    data = find("ConfigMap", ref["name"])["data"]
                    assert ref["key"] in data, owner


def test_everything_lives_in_the_declared_namespace() -> None:
    find("Namespace", NAMESPACE)
    for _, document in DOCUMENTS:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == NAMESPACE
    assert kustomization()["namespace"] == NAMESPACE
    gateway = find("Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]
    env = {v["name"]: v.get("value") for v in gateway["env"]}
    assert env["GATEWAY_UPSTREAM_SUFFIX"] == f".{NAMESPACE}.svc.cluster.local"


def test_gateway_is_exposed_and_probed() -> None:
    container = find("Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]
    assert "command" not in container, "command would bypass the image's template rendering"
    assert container["args"] == ["nginx", "-c", "/tmp/nginx.conf"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
    ingress = find("Ingress", "gateway")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "gateway"
    assert backend["port"]["name"] in {p["name"] for p in find("Service", "gateway")["spec"]["ports"]}


def test_kustomization_lists_every_manifest_and_generated_file() -> None:
    listed = {DEPLOY / entry for entry in kustomization()["resources"]}
    assert listed == set(MANIFESTS.glob("*.yaml"))
    for generator in kustomization()["configMapGenerator"]:
        for file in generator["files"]:
            assert (DEPLOY / file.split("=")[-1]).is_file()


def test_the_hazard_service_reports_upward_to_both_targets_signed() -> None:
    """HAZARD_UPSTREAM_TARGETS (a secret: it holds the signing keys) names both targets as the service reads
    them, and the readiness limit for an unreachable target is set."""
    import json

    from hazard_service.config import UpstreamTargetConfig

    raw = find("Secret", "hazard-secrets")["stringData"]["HAZARD_UPSTREAM_TARGETS"]
    targets = [UpstreamTargetConfig(**t) for t in json.loads(raw)]
    assert {t.kind for t in targets} == {"national_direct_report", "provincial_one_list"}
    assert all(t.hmac_secret is not None or t.client_cert is not None for t in targets)
    assert all(t.url.startswith("https://") for t in targets)
    assert float(find("ConfigMap", "hazard-config")["data"]["HAZARD_UPSTREAM_UNREACHABLE_AFTER_S"]) > 0


def test_the_hazard_service_keeps_evidence_photos_in_object_storage() -> None:
    """Every hazard replica reads and writes photos in one S3 bucket (no folder: the root filesystem is read-only)
    and hands out presigned URLs of the bucket's public address; the settings are valid as the service reads
    them, the credentials are a Secret."""
    from hazard_service.config import HazardSettings

    config = find("ConfigMap", "hazard-config")["data"]
    secret = find("Secret", "hazard-secrets")["stringData"]
    photo = {k.removeprefix("HAZARD_").lower(): v for k, v in {**config, **secret}.items() if "_PHOTO_" in k}
    settings = HazardSettings(database_url=secret["HAZARD_DATABASE_URL"], kafka_bootstrap_servers="k:9092", **photo)
    assert settings.photo_store == "s3"
    assert settings.photo_s3_presign
    assert (settings.photo_s3_public_url or "").startswith("https://")
    assert settings.photo_s3_secret_access_key is not None
    assert not {k for k in config if "SECRET" in k or "ACCESS_KEY" in k}
    api = find("Deployment", "hazard-api")["spec"]["template"]["spec"]["containers"][0]
    assert api["securityContext"]["readOnlyRootFilesystem"] is True
    assert "HAZARD_PHOTO_DIR" not in config
