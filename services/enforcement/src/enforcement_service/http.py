"""What every HTTP route of this service answers a versioned record with, and what its action and read
endpoints need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from enforcement_service.access import Reader, Writer
from shared.auth.principal import Principal
from shared.auth.scope import Scope
from shared.db import UnitOfWork
from shared.http.concurrency import HasVersion, with_etag
from shared.http.dependencies import CurrentScope, IfMatch, ReadSession, UoW

ReadT = TypeVar("ReadT", bound=BaseModel)


def answer(read: type[ReadT], row: HasVersion, response: Response) -> ReadT:
    """The read model of a record, its version in the ETag header (the If-Match of the next change)."""
    return read.model_validate(with_etag(row, response))


@dataclass(frozen=True)
class Action:
    """An action on one record: the writer acting, its unit of work, the version the change is based on, and
    the response that carries the new ETag."""

    actor: Principal
    uow: UnitOfWork
    if_match: str | None
    response: Response

    @property
    def writes(self) -> dict[str, Any]:
        """The keyword arguments every use case of an action takes."""
        return {"uow": self.uow, "actor": self.actor, "if_match": self.if_match}

    def answer(self, read: type[ReadT], row: HasVersion) -> ReadT:
        """The changed record with its new ETag."""
        return answer(read, row, self.response)


async def action(response: Response, actor: Writer, uow: UoW, if_match: IfMatch = None) -> Action:
    """The context of an action endpoint."""
    return Action(actor, uow, if_match, response)


CurrentAction = Annotated[Action, Depends(action)]


@dataclass(frozen=True)
class Reading:
    """A read by a reader: the autocommit read session and the reader's scope."""

    session: AsyncSession
    scope: Scope

    @property
    def reads(self) -> dict[str, Any]:
        """The keyword arguments every read use case takes."""
        return {"session": self.session, "scope": self.scope}


async def reading(session: ReadSession, scope: CurrentScope, _: Reader) -> Reading:
    """The context of a read endpoint."""
    return Reading(session, scope)


CurrentRead = Annotated[Reading, Depends(reading)]
