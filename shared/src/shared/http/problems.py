"""Exception handlers rendering every error as RFC 9457 application/problem+json."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import AppError, ServiceUnavailable
from shared.http.access import ensure_admitted

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON response with the problem+json media type."""
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Per-field errors from FastAPI's validation error, as {field, reason}."""
    return [{"field": _field_name(e.get("loc", ())), "reason": str(e.get("msg", "invalid"))} for e in exc.errors()]


def validation_problem(errors: list[dict[str, str]], instance: str) -> dict[str, Any]:
    """The 422 problem body naming each bad field and why."""
    return {
        "type": "https://errors.safety.local/validation-error",
        "title": "Validation failed",
        "status": 422,
        "detail": "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:5]),
        "instance": instance,
        "errors": errors,
    }


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error means the database cannot be reached (down, restarting, pool exhausted), not a bug."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
    return isinstance(exc, SQLAlchemyTimeoutError | OSError | asyncpg.PostgresConnectionError)


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers that turn errors into problem+json."""

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem_response(exc.status, exc.to_problem(request.url.path), exc.headers())

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            return await unexpected(request, exc)
        log.warning("database unavailable: %r", exc, extra={"path": request.url.path})
        error = ServiceUnavailable("the database cannot be reached right now; retry shortly")
        return problem_response(error.status, error.to_problem(request.url.path), error.headers())

    # Registered per class (not only under `Exception`) so that Starlette answers them without
    # re-raising, and the client's keep-alive connection survives.
    for error_class in (DBAPIError, SQLAlchemyTimeoutError, OSError, asyncpg.PostgresConnectionError):
        app.add_exception_handler(error_class, database_error)

    @app.exception_handler(RequestValidationError)
    async def request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI parses a body before it runs dependencies: authenticate first, so 401/403 precede 422.
        try:
            await ensure_admitted(request)
        except AppError as error:
            return await app_error(request, error)
        return problem_response(422, validation_problem(validation_errors(exc), request.url.path))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "type": f"https://errors.safety.local/http-{exc.status_code}",
            "title": str(exc.detail) if exc.detail else "Error",
            "status": exc.status_code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        return problem_response(exc.status_code, body, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        """The answer to a bug: logged with its trace, never shown to the client."""
        log.exception("unhandled error", extra={"path": request.url.path})
        body = {
            "type": "https://errors.safety.local/internal",
            "title": "Internal server error",
            "status": 500,
            "detail": "an unexpected error occurred; it has been logged",
            "instance": request.url.path,
        }
        return problem_response(500, body)
