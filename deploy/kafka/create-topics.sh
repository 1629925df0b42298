#!/usr/bin/env bash
# Creates the event topics, one per producing service, and keeps their settings in line.
# Runs with the tools of the apache/kafka image (docker compose `topic-init`, or a
# Kubernetes Job using that image); safe to run again at every deployment.
#
# Environment (defaults in brackets):
#   BOOTSTRAP_SERVERS   [kafka:9092]
#   TOPICS              [hazard.events enforcement.events supervisor.events]
#   PARTITIONS          [12]
#   REPLICATION_FACTOR  [3, or the broker count when the cluster has fewer brokers]
#   MIN_INSYNC_REPLICAS [2 when replicated 3 times or more, else 1]
#   RETENTION_MS        [2592000000, 30 days]
#   KAFKA_BIN           [/opt/kafka/bin]
#   WAIT_ATTEMPTS       [30, two seconds apart, for the brokers to answer]
#   COMMAND_CONFIG      [unset; a client properties file for TLS/SASL clusters]
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
topics="${TOPICS:-hazard.events enforcement.events supervisor.events}"
partitions="${PARTITIONS:-12}"
retention_ms="${RETENTION_MS:-2592000000}"
bin="${KAFKA_BIN:-/opt/kafka/bin}"
attempts="${WAIT_ATTEMPTS:-30}"
client_config=()
if [ -n "${COMMAND_CONFIG:-}" ]; then
    client_config=(--command-config "$COMMAND_CONFIG")
fi

log() { echo "create-topics: $*" >&2; }

# The broker may still be electing its controller when this starts: retry, then give up.
brokers=""
for attempt in $(seq 1 "$attempts"); do
    if listing="$("$bin/kafka-broker-api-versions.sh" --bootstrap-server "$bootstrap" \
            "${client_config[@]}" 2>/dev/null)"; then
        brokers="$(grep -c '(id: [0-9]' <<<"$listing" || true)"
        if [ "$brokers" -gt 0 ]; then break; fi
    fi
    log "waiting for the brokers at $bootstrap (attempt $attempt of $attempts)"
    if [ "$attempt" -lt "$attempts" ]; then sleep 2; fi
done
if [ -z "$brokers" ] || [ "$brokers" -eq 0 ]; then
    log "no broker answered at $bootstrap"
    exit 1
fi

# Three copies where the cluster has three brokers; a single-broker cluster gets one.
replication="${REPLICATION_FACTOR:-$(( brokers < 3 ? brokers : 3 ))}"
if [ "$replication" -ge 3 ]; then default_isr=2; else default_isr=1; fi
min_isr="${MIN_INSYNC_REPLICAS:-$default_isr}"
# Producers use acks=all: more required in-sync replicas than copies would refuse every write.
if [ "$min_isr" -gt "$replication" ]; then
    log "MIN_INSYNC_REPLICAS=$min_isr exceeds the replication factor $replication"
    exit 1
fi
if [ "$replication" -gt "$brokers" ]; then
    log "REPLICATION_FACTOR=$replication exceeds the $brokers broker(s) available"
    exit 1
fi
log "$brokers broker(s): $partitions partitions, replication $replication, min.insync.replicas $min_isr"

for topic in $topics; do
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" "${client_config[@]}" \
        --create --if-not-exists --topic "$topic" \
        --partitions "$partitions" --replication-factor "$replication" \
        --config "retention.ms=$retention_ms" \
        --config "min.insync.replicas=$min_isr" \
        --config "cleanup.policy=delete"
    # --if-not-exists leaves an existing topic alone: bring its settings in line too.
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" "${client_config[@]}" \
        --alter --entity-type topics --entity-name "$topic" \
        --add-config "retention.ms=$retention_ms,min.insync.replicas=$min_isr,cleanup.policy=delete"
    # Partitions are never added here: that would move keys to other partitions and break
    # the per-aggregate order consumers rely on. Growing a topic is a planned operation.
    current="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" "${client_config[@]}" \
        --describe --topic "$topic" | grep -c 'Partition: [0-9]' || true)"
    if [ "$current" -ne "$partitions" ]; then
        log "WARNING: $topic has $current partitions, not $partitions; left as it is"
    fi
done
log "done: $topics"
