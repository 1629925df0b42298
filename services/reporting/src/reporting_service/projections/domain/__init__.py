"""Pure projection rules: how each aggregate's events merge into its state, and what the state
contributes to the counters.

Order independence is the invariant every rule keeps. A field of an aggregate's state is written
by the event with the highest version that provides it (last writer wins per field, compared by
`aggregate_version`), or by a commutative rule (minimum of a date). The state after any delivery
order of the same set of events is therefore the state after in-order delivery, and a stale event
changes nothing it should not. The counters hold the sum of every aggregate's contribution; an
event changes them by `contribution(new state) - contribution(old state)`, so a hazard rectified,
rejected and rectified again counts once.
"""
