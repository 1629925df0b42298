"""Cross-origin calls from browser consoles: allowed for the configured origins only, none by default."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

# What a console sends besides the simple headers: the bearer token, the body's type and the platform's
# request headers (idempotent retries, optimistic concurrency, conditional reads, correlation).
ALLOWED_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Correlation-ID",
    "X-Request-ID",
)
# Response headers a console's script may read: versions, created resources, back-off and correlation.
EXPOSED_HEADERS = ("ETag", "Location", "Retry-After", "X-Correlation-ID", "Content-Disposition")
ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# Browsers cache a preflight this long (Chromium caps it at 2 hours).
PREFLIGHT_MAX_AGE_S = 600


def install_cors(app: FastAPI, origins: Sequence[str]) -> None:
    """Answer preflights and mark responses for the given origins; with none, browsers stay same-origin."""
    if not origins:
        return
    # Tokens travel in Authorization, never in cookies, so credentialed (cookie) requests stay refused.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=list(ALLOWED_METHODS),
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        max_age=PREFLIGHT_MAX_AGE_S,
    )
