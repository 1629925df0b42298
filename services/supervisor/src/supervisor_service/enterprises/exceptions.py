"""Errors of the enterprise registry."""

from shared.errors import Conflict, IllegalTransition, NotFound, ValidationFailed


class EnterpriseNotFound(NotFound):
    """No such enterprise in the caller's jurisdiction."""

    type_slug = "enterprise-not-found"
    title = "Enterprise not found"


class DuplicateCreditCode(Conflict):
    """Another enterprise already has this credit code."""

    type_slug = "duplicate-credit-code"
    title = "Duplicate credit code"


class IllegalStatusChange(IllegalTransition):
    """The enterprise's status cannot change that way."""

    type_slug = "illegal-enterprise-status-change"
    title = "Illegal enterprise status change"


class ImportRejected(ValidationFailed):
    """The import file has bad rows; nothing was applied."""

    type_slug = "enterprise-import-rejected"
    title = "Enterprise import rejected"
