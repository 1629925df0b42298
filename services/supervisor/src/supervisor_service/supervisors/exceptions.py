"""Errors of the supervisor registry."""

from shared.errors import Conflict, NotFound


class SupervisorNotFound(NotFound):
    """No such supervisor in the caller's jurisdiction."""

    type_slug = "supervisor-not-found"
    title = "Supervisor not found"


class DuplicateSupervisorCode(Conflict):
    """Another supervisor already has this code."""

    type_slug = "duplicate-supervisor-code"
    title = "Duplicate supervisor code"


class SupervisorStillAssigned(Conflict):
    """A supervisor with active assignments cannot be deactivated."""

    type_slug = "supervisor-still-assigned"
    title = "Supervisor still assigned"
