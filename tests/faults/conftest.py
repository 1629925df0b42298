"""One `safety up` for the whole fault module, a workload over its APIs, and the dead letters injected so far."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import pytest

from .stack import FaultStack, fault_stack
from .system import Database, Workload, ready_everywhere, wait_until

ANCHORS = 3


@dataclass
class System:
    """The running stack with the suite's clients, workload and the poison it injected."""

    stack: FaultStack
    db: Database
    client: httpx.AsyncClient
    workload: Workload
    poison: set[tuple[str, uuid.UUID]] = field(default_factory=set)


@pytest.fixture(scope="module")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """`safety up` on a data folder of its own; everything it started is killed afterwards, even on failure."""
    data_dir: Path = tmp_path_factory.mktemp("fault-stack")
    data_dir.chmod(0o755)  # PostgreSQL runs as its own system user and must reach its folder inside
    with fault_stack(data_dir) as stack:
        yield stack


@pytest.fixture(scope="module")
async def system(running_stack: FaultStack) -> AsyncIterator[System]:
    """The stack with a workload whose anchor enterprises hazard and enforcement already know."""
    async with httpx.AsyncClient() as client:
        # `safety up` reports ready when the APIs are; a worker that cannot start shows only in its /healthz.
        await wait_until("every API and worker ready", partial(ready_everywhere, running_stack, client), 120)
        db = Database(running_stack.dsn)
        workload = Workload(running_stack, anchors=[], client=client)
        workload.anchors = [await workload.register_enterprise() for _ in range(ANCHORS)]
        for schema in ("hazard", "enforcement"):
            await wait_until(
                f"{schema} knows the anchor enterprises", partial(_all_known, db, schema, workload.anchors), 90
            )
        yield System(running_stack, db, client, workload)


async def _all_known(db: Database, schema: str, ids: list[str]) -> bool:
    sql = f"SELECT count(*) FROM {schema}.enterprise_view WHERE enterprise_id = ANY($1::uuid[])"
    return int(await db.value(sql, ids)) == len(ids)
