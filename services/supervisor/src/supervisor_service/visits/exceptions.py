"""Errors of visit logs."""

from shared.errors import NotFound


class VisitNotFound(NotFound):
    """No such visit in the caller's jurisdiction."""

    type_slug = "visit-not-found"
    title = "Visit not found"
