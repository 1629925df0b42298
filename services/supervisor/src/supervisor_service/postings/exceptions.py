"""Errors of public posting."""

from shared.errors import Conflict, NotFound


class NoResidentSupervisor(Conflict):
    """The enterprise has no active resident supervisor to post."""

    type_slug = "no-resident-supervisor"
    title = "No resident supervisor"


class TownshipNotFound(NotFound):
    """No such township in the caller's jurisdiction."""

    type_slug = "township-not-found"
    title = "Township not found"
