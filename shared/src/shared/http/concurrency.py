"""Optimistic concurrency over HTTP: ETag from the version, If-Match checked against it."""

from __future__ import annotations

from typing import Protocol, TypeVar

from starlette.responses import Response

from shared.errors import ValidationFailed, VersionConflict, field_error


class HasVersion(Protocol):
    """Anything with an optimistic-concurrency version (a row or its read model)."""

    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=HasVersion)


def etag(version: int) -> str:
    """The weak ETag of a resource version."""
    return f'W/"{version}"'


def with_etag(read: V, response: Response) -> V:
    """The resource, answered with its version as the response's ETag."""
    response.headers["ETag"] = etag(read.version)
    return read


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header asks for (None when absent or `*`)."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationFailed("invalid If-Match", errors=[field_error("If-Match", 'expected an ETag like W/"3"')])
    return int(value)


def check_version(current: int, if_match: str | None) -> None:
    """409 when the client changed a version other than the current one."""
    wanted = expected_version(if_match)
    if wanted is not None and wanted != current:
        raise VersionConflict(f"the resource is at version {current}, not {wanted}", current_version=current)
