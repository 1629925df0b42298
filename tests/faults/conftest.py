"""One `safety up` for the whole fault module, with a workload over its APIs."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest

from .stack import FaultStack, fault_stack
from .system import Database, System, Workload, ready_everywhere, wait_until

ANCHORS = 3


@pytest.fixture(scope="module")
def running_stack() -> Iterator[FaultStack]:
    """`safety up` on a data folder of its own; everything it started is killed afterwards, even on failure."""
    # Not under pytest's tmp_path: as root PostgreSQL runs as a system user of its own, which must traverse the
    # folders above its data, and every pytest session starting on this machine closes /tmp/pytest-of-root
    # to other users again (initdb failed half way when that happened during the start).
    with tempfile.TemporaryDirectory(prefix="safety-faults-", ignore_cleanup_errors=True) as folder:
        data_dir = Path(folder)
        data_dir.chmod(0o755)
        with fault_stack(data_dir) as stack:
            yield stack


@pytest.fixture(scope="module")
async def system(running_stack: FaultStack) -> AsyncIterator[System]:
    """The stack with a workload whose anchor enterprises hazard and enforcement already know."""
    async with httpx.AsyncClient() as client:
        await wait_until("every API and worker ready", partial(ready_everywhere, running_stack, client), 120)
        db = Database(running_stack.dsn)
        workload = Workload(running_stack, anchors=[], client=client)
        anchors = [await workload.register_enterprise() for _ in range(ANCHORS)]
        workload.anchors = [a for a in anchors if a is not None]
        assert len(workload.anchors) == ANCHORS, workload.stuck_keys
        for schema in ("hazard", "enforcement"):
            await wait_until(
                f"{schema} knows the anchor enterprises", partial(_all_known, db, schema, workload.anchors), 90
            )
        yield System(running_stack, db, client, workload)


async def _all_known(db: Database, schema: str, ids: list[str]) -> bool:
    sql = f"SELECT count(*) FROM {schema}.enterprise_view WHERE enterprise_id = ANY($1::uuid[])"
    return int(await db.value(sql, ids)) == len(ids)
