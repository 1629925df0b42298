"""SQLAlchemy statements compiled once for the asyncpg driver, for the few writes that run without SQLAlchemy.

Each SQLAlchemy execution costs the API process about 0.2 ms of CPU above the driver's own work (compiled-cache
lookup, parameter processing, the greenlet bridge, result set-up). On the busiest write that overhead was larger
than everything else the request did, so those writes compile their statements here, from the same table
models, and run them on the asyncpg connection directly (see `DriverUnitOfWork`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = asyncpg_dialect()


_REQUIRED = object()


@dataclass(frozen=True)
class DriverStatement:
    """A statement as asyncpg SQL (`$1`, `$2`, ...) with its parameters in positional order.

    Values go through the column types' bind processors (JSON and JSONB become text, as SQLAlchemy would send
    them), so a statement takes the same Python values as its SQLAlchemy original. Values written into the
    statement (`.values(version=1)`) are bound too, and need not be passed.
    """

    sql: str
    parameters: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]
    defaults: tuple[Any, ...]

    @classmethod
    def of(cls, statement: ClauseElement) -> DriverStatement:
        """Compile `statement` for asyncpg."""
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        names = tuple(compiled.positiontup or ())
        binds = [compiled.binds[name] for name in names]
        return cls(
            str(compiled),
            names,
            tuple(bind.type.bind_processor(_DIALECT) for bind in binds),
            tuple(_REQUIRED if bind.required else bind.value for bind in binds),
        )

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        """The positional arguments for `values` (keyed by parameter name)."""
        arguments = []
        for name, process, default in zip(self.parameters, self.processors, self.defaults, strict=True):
            value = values[name] if default is _REQUIRED else values.get(name, default)
            arguments.append(value if process is None or value is None else process(value))
        return arguments
