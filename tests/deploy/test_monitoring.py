"""The alert rules and the Grafana dashboard in deploy/monitoring parse and name only metrics the code exports."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from prometheus_client import REGISTRY

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
METRIC_MODULES = ("shared.metrics", "hazard_service.upstream.metrics", "reporting_service.metrics")
SEVERITIES = {"warning", "critical"}


def _exported() -> set[str]:
    for module in METRIC_MODULES:
        importlib.import_module(module)
    # Every sample name a collector serves (counters' _total, histograms' _bucket/_count/_sum included).
    return set(REGISTRY._names_to_collectors)


def _metric_names(expression: str) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)

    promql_parser.walk(promql_parser.parse(expression), visit)
    return names


def _rules() -> list[dict[str, Any]]:
    document = yaml.safe_load((MONITORING / "alerts.yaml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def _dashboard_targets() -> list[dict[str, Any]]:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text(encoding="utf-8"))
    return [target for panel in dashboard["panels"] for target in panel["targets"]]


@pytest.mark.parametrize("rule", _rules(), ids=lambda r: r["alert"])
def test_each_alert_parses_names_exported_metrics_and_tells_the_operator_what_to_do(rule: dict[str, Any]) -> None:
    assert _metric_names(rule["expr"]) <= _exported(), rule["alert"]
    assert rule["labels"]["severity"] in SEVERITIES
    assert rule["annotations"]["summary"]
    assert rule["annotations"]["description"]


def test_the_alerts_cover_what_an_operator_must_hear_about() -> None:
    covered = set().union(*(_metric_names(r["expr"]) for r in _rules()))
    for needed in (
        "consumer_lag",
        "consumer_last_applied_timestamp_seconds",
        "consumer_failures_total",
        "dead_letters",
        "outbox_backlog",
        "http_request_duration_seconds_count",
        "hazard_upstream_backlog",
        "hazard_upstream_parked",
    ):
        assert needed in covered


def test_the_dashboard_queries_parse_and_name_exported_metrics() -> None:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text(encoding="utf-8"))
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    targets = _dashboard_targets()
    assert targets
    for target in targets:
        assert _metric_names(target["expr"]) <= _exported(), target["expr"]
