"""Remember FastAPI's per-parameter analysis instead of redoing it on every request.

For every query, header, cookie and path parameter of every request, FastAPI (0.165) asks again whether the
parameter is a model, what its aliases are, whether it is JSON and whether its annotation is a sequence. The
answers depend only on the parameter's declaration, fixed when the route is built; recomputing them
(typing introspection, subclass checks) was about a fifth of the CPU of a list request with twenty filters.
`install()` wraps those four helpers of `fastapi.dependencies.utils` with caches keyed by the declaration
object; validation itself, and what any request gets, is unchanged. A FastAPI without the helpers is left
as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from fastapi.dependencies import utils

HELPERS = ("_get_param_model", "_get_param_aliases", "_is_json_field", "field_annotation_is_sequence")
_INSTALLED = "__shared_cached__"


def _cached_by_identity(helper: Callable[..., Any]) -> Callable[..., Any]:
    """`helper(obj, **options)` remembered per (object identity, options); the object is kept alive with its
    answer, so an identity is never reused for another object while it is cached."""
    answers: dict[tuple[int, tuple[tuple[str, Any], ...]], tuple[Any, Any]] = {}

    @wraps(helper)
    def cached(subject: Any, **options: Any) -> Any:
        key = (id(subject), tuple(sorted(options.items())))
        hit = answers.get(key)
        if hit is not None and hit[0] is subject:
            answer = hit[1]
        else:
            answer = helper(subject, **options)
            answers[key] = (subject, answer)
        # A list answer (aliases) is copied so that no caller can change the remembered one.
        return list(answer) if isinstance(answer, list) else answer

    setattr(cached, _INSTALLED, True)
    return cached


def install() -> None:
    """Wrap FastAPI's per-parameter helpers with their caches (once per process)."""
    for name in HELPERS:
        helper = getattr(utils, name, None)
        if helper is not None and not getattr(helper, _INSTALLED, False):
            setattr(utils, name, _cached_by_identity(helper))
