"""Kafka topics: one per producing service, not versioned."""

HAZARD_EVENTS = "hazard.events"
ENFORCEMENT_EVENTS = "enforcement.events"
SUPERVISOR_EVENTS = "supervisor.events"

ALL_TOPICS = (HAZARD_EVENTS, ENFORCEMENT_EVENTS, SUPERVISOR_EVENTS)

SOURCE_BY_TOPIC = {
    HAZARD_EVENTS: "hazard-service",
    ENFORCEMENT_EVENTS: "enforcement-service",
    SUPERVISOR_EVENTS: "supervisor-service",
}
