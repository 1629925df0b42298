"""deploy/kafka/create-topics.sh driven against stand-ins for the Kafka command-line tools."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "kafka" / "create-topics.sh"
TOPICS = ("hazard.events", "enforcement.events", "supervisor.events")
THIRTY_DAYS_MS = str(30 * 24 * 3600 * 1000)

# Each stand-in records its arguments, one call per line, and prints what the real tool
# would for a cluster of FAKE_BROKERS brokers whose topics have FAKE_PARTITIONS partitions.
FAKE_TOOL = """#!/usr/bin/env bash
printf '%s %s\\n' "$(basename "$0")" "$*" >> "$FAKE_LOG"
case "$(basename "$0")" in
  kafka-broker-api-versions.sh)
    [ "$FAKE_BROKERS" -gt 0 ] || exit 1
    for i in $(seq 1 "$FAKE_BROKERS"); do echo "kafka-$i:9092 (id: $i rack: null) -> ("; done ;;
  kafka-topics.sh)
    if [[ "$*" == *--describe* ]]; then
      echo "Topic: t TopicId: x PartitionCount: $FAKE_PARTITIONS ReplicationFactor: 1 Configs:"
      for i in $(seq 0 $((FAKE_PARTITIONS - 1))); do echo "  Topic: t Partition: $i Leader: 1"; done
    fi ;;
esac
"""


def run(tmp_path: Path, *, brokers: int, partitions: int = 12, **env: str) -> tuple[int, list[list[str]], str]:
    """Run the script; return its exit code, the tool calls it made, and its messages."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("kafka-broker-api-versions.sh", "kafka-topics.sh", "kafka-configs.sh"):
        (bin_dir / tool).write_text(FAKE_TOOL, encoding="utf-8")
        (bin_dir / tool).chmod(0o755)
    log = tmp_path / "calls.log"
    log.write_text("", encoding="utf-8")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KAFKA_BIN": str(bin_dir),
        "BOOTSTRAP_SERVERS": "kafka:9092",
        "FAKE_LOG": str(log),
        "FAKE_BROKERS": str(brokers),
        "FAKE_PARTITIONS": str(partitions),
        "WAIT_ATTEMPTS": "2",
        **env,
    }
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    calls = [shlex.split(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return result.returncode, calls, result.stderr


def creations(calls: list[list[str]]) -> dict[str, list[str]]:
    """The kafka-topics.sh --create call for each topic."""
    return {call[call.index("--topic") + 1]: call for call in calls if "--create" in call}


def option_values(call: list[str], option: str) -> list[str]:
    """Every value given to a repeated command-line option."""
    return [call[i + 1] for i, arg in enumerate(call) if arg == option]


@pytest.mark.parametrize(("brokers", "replication", "min_isr"), [(1, "1", "1"), (3, "3", "2"), (5, "3", "2")])
def test_topics_are_created_with_partitions_replication_and_retention(
    tmp_path: Path, brokers: int, replication: str, min_isr: str
) -> None:
    code, calls, stderr = run(tmp_path, brokers=brokers)
    assert code == 0, stderr
    created = creations(calls)
    assert set(created) == set(TOPICS)
    for call in created.values():
        assert "--if-not-exists" in call
        assert option_values(call, "--partitions") == ["12"]
        assert option_values(call, "--replication-factor") == [replication]
        assert option_values(call, "--bootstrap-server") == ["kafka:9092"]
        configs = option_values(call, "--config")
        assert f"retention.ms={THIRTY_DAYS_MS}" in configs
        assert f"min.insync.replicas={min_isr}" in configs


def test_existing_topics_get_their_settings_back_but_never_new_partitions(tmp_path: Path) -> None:
    code, calls, stderr = run(tmp_path, brokers=3, partitions=6)
    assert code == 0, stderr
    altered = {call[call.index("--entity-name") + 1]: call for call in calls if call[0] == "kafka-configs.sh"}
    assert set(altered) == set(TOPICS)
    for call in altered.values():
        assert option_values(call, "--add-config") == [
            f"retention.ms={THIRTY_DAYS_MS},min.insync.replicas=2,cleanup.policy=delete"
        ]
    assert not [call for call in calls if "--alter" in call and call[0] == "kafka-topics.sh"]
    assert stderr.count("has 6 partitions, not 12") == len(TOPICS)


def test_settings_can_be_overridden(tmp_path: Path) -> None:
    code, calls, stderr = run(
        tmp_path,
        brokers=3,
        PARTITIONS="24",
        RETENTION_MS="1000",
        TOPICS="only.events",
        REPLICATION_FACTOR="2",
        MIN_INSYNC_REPLICAS="1",
        partitions=24,
    )
    assert code == 0, stderr
    (call,) = creations(calls).values()
    assert option_values(call, "--topic") == ["only.events"]
    assert option_values(call, "--partitions") == ["24"]
    assert option_values(call, "--replication-factor") == ["2"]
    assert {"retention.ms=1000", "min.insync.replicas=1"} <= set(option_values(call, "--config"))


def test_more_in_sync_replicas_than_copies_is_refused(tmp_path: Path) -> None:
    code, calls, stderr = run(tmp_path, brokers=1, MIN_INSYNC_REPLICAS="2")
    assert code != 0
    assert "MIN_INSYNC_REPLICAS" in stderr
    assert not creations(calls)


def test_more_replicas_than_brokers_is_refused(tmp_path: Path) -> None:
    code, calls, stderr = run(tmp_path, brokers=1, REPLICATION_FACTOR="3")
    assert code != 0
    assert "REPLICATION_FACTOR" in stderr
    assert not creations(calls)


def test_no_broker_fails_after_the_retries(tmp_path: Path) -> None:
    code, calls, stderr = run(tmp_path, brokers=0)
    assert code != 0
    assert "no broker answered" in stderr
    assert [call[0] for call in calls] == ["kafka-broker-api-versions.sh"] * 2
