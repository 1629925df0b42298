"""The event log and the projections kept from it (counters and per-aggregate state)."""
