"""Errors of the enterprise registry."""

from shared.errors import Conflict, NotFound


class EnterpriseNotFound(NotFound):
    """No such enterprise in the caller's jurisdiction."""

    type_slug = "enterprise-not-found"
    title = "Enterprise not found"


class DuplicateCreditCode(Conflict):
    """Another enterprise already has this credit code."""

    type_slug = "duplicate-credit-code"
    title = "Duplicate credit code"
