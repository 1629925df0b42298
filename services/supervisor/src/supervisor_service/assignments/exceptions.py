"""Errors of assignments."""

from shared.errors import Conflict, IllegalTransition, NotFound


class AssignmentNotFound(NotFound):
    """No such assignment in the caller's jurisdiction."""

    type_slug = "assignment-not-found"
    title = "Assignment not found"


class EnterpriseAlreadyCovered(Conflict):
    """The enterprise already has an active resident supervisor."""

    type_slug = "enterprise-already-covered"
    title = "Enterprise already has a resident supervisor"


class SupervisorAtCapacity(Conflict):
    """The supervisor would exceed the configured maximum number of enterprises."""

    type_slug = "supervisor-at-capacity"
    title = "Supervisor at capacity"


class SupervisorInactive(Conflict):
    """An inactive supervisor cannot be assigned."""

    type_slug = "supervisor-inactive"
    title = "Supervisor inactive"


class AssignmentAlreadyEnded(IllegalTransition):
    """The assignment has ended already."""

    type_slug = "assignment-already-ended"
    title = "Assignment already ended"
