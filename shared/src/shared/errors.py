"""Application errors that carry their HTTP status, rendered as RFC 9457 problem+json."""

from __future__ import annotations

from typing import Any

STANDARD_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "errors"})


class AppError(Exception):
    """Base error: subclasses set status, a stable type slug and a title."""

    status: int = 400
    type_slug: str = "bad-request"
    title: str = "Bad request"

    def headers(self) -> dict[str, str] | None:
        """Response headers the error's status calls for."""
        return None

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """The problem+json body of this error."""
        body: dict[str, Any] = {
            "type": f"https://errors.safety.local/{self.type_slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        # An extension never replaces a member RFC 9457 defines: `status=` naming the resource's state (as
        # several services pass it) is published as `current_status`, and `status` stays the HTTP status.
        for name, value in self.extra.items():
            body[f"current_{name}" if name in STANDARD_MEMBERS else name] = value
        return body


class BadRequest(AppError):
    """The request is malformed in a way validation of the body did not catch."""


class ValidationFailed(AppError):
    """A field is well-formed but not acceptable (reported per field)."""

    status = 422
    type_slug = "validation-error"
    title = "Validation failed"


class Unauthorized(AppError):
    """No valid credentials."""

    status = 401
    type_slug = "unauthorized"
    title = "Unauthorized"

    def headers(self) -> dict[str, str] | None:
        """The scheme to authenticate with."""
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(AppError):
    """The caller's role may not perform this action."""

    status = 403
    type_slug = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    """The resource does not exist or lies outside the caller's jurisdiction."""

    status = 404
    type_slug = "not-found"
    title = "Not found"


class Conflict(AppError):
    """The action conflicts with the resource's current state."""

    status = 409
    type_slug = "conflict"
    title = "Conflict"


class IllegalTransition(Conflict):
    """The state machine does not allow this action from the current state."""

    type_slug = "illegal-transition"
    title = "Illegal state transition"


class VersionConflict(Conflict):
    """The client's version of the resource is stale (If-Match)."""

    type_slug = "version-conflict"
    title = "Version conflict"


class PayloadTooLarge(AppError):
    """The request body exceeds the configured limit."""

    status = 413
    type_slug = "payload-too-large"
    title = "Payload too large"


class PreconditionRequired(AppError):
    """An If-Match header is required for this change."""

    status = 428
    type_slug = "precondition-required"
    title = "Precondition required"


class ServiceUnavailable(AppError):
    """A dependency the request needs (the database) cannot be reached now; the client may retry."""

    status = 503
    type_slug = "service-unavailable"
    title = "Service unavailable"
    retry_after_s = 5

    def headers(self) -> dict[str, str] | None:
        """When to retry."""
        return {"Retry-After": str(self.retry_after_s)}


def field_error(field: str, reason: str) -> dict[str, str]:
    """One entry of a problem's `errors` list."""
    return {"field": field, "reason": reason}
