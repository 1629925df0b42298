"""`safety up` (what `make run` starts): all four services reach ready; Ctrl-C leaves no process
behind; the next start finds the old data, and an event committed just before Ctrl-C (its consumer
frozen so it could not apply it) is applied after the restart, though the embedded broker kept nothing."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from safety_stack.testing import free_offset, safety_up
from shared.auth.tokens import ensure_signing_key, mint_token

SERVICES = ("supervisor", "hazard", "enforcement", "reporting")


def _credit_code(base: str) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(charset.index(c) * w for c, w in zip(base, weights, strict=True))
    return base + charset[(31 - total % 31) % 31]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@pytest.fixture
def stack_data_dir() -> Iterator[Path]:
    """A data folder outside pytest's temporary root, which every pytest session starting beside this one closes
    to other users (PostgreSQL runs as a user of its own and must traverse the folders above its data)."""
    with tempfile.TemporaryDirectory(prefix="safety-lifecycle-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def test_make_run_lifecycle(stack_data_dir: Path) -> None:
    data_dir = stack_data_dir
    offset = free_offset(1000, 1900)  # below the fault suite's offsets (3000 and up)
    with safety_up(data_dir, offset) as first:
        for service in SERVICES:
            assert httpx.get(f"{first.api(service)}/readyz", timeout=5).status_code == 200, service
        key = ensure_signing_key(data_dir / "signing.key")
        headers = {"Authorization": f"Bearer {mint_token(key, subject='t', roles=['city_admin'])}"}
        os.kill(first.pids()["hazard-worker"], signal.SIGSTOP)  # the consumer can no longer apply anything
        created = httpx.post(
            f"{first.api('supervisor')}/api/v1/enterprises",
            json={
                "name": "洪江市重启测试有限公司",
                "credit_code": _credit_code(f"91431281{time.time_ns() % 10**9:09d}"),
                "industry_code": "30",
                "township_code": "431281101000",
                "employee_count": 12,
            },
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        enterprise_id = created.json()["id"]
        children = first.pids()
        assert first.ctrl_c() == 0, first.output()
    assert {"upstream-simulator", "web-console"} <= set(children)
    leftovers = {name: pid for name, pid in children.items() if _alive(pid)}
    assert not leftovers
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    assert "stopped." in first.output()

    with safety_up(data_dir, offset) as second:
        kept = httpx.get(
            f"{second.api('supervisor')}/api/v1/enterprises/{enterprise_id}",
            headers=headers,
            timeout=10,
        )
        assert kept.status_code == 200
        hazard = {
            "enterprise_id": enterprise_id,
            "grade": "general",
            "source": "department_inspection",
            "description": "重启后隐患",
            "reported_on": "2026-11-28",
        }
        deadline = time.monotonic() + 60
        while True:
            reported = httpx.post(f"{second.api('hazard')}/api/v1/hazards", json=hazard, headers=headers, timeout=10)
            if reported.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert reported.status_code == 201, reported.text
        assert second.ctrl_c() == 0, second.output()
