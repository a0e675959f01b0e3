"""A real PostgreSQL server for the suite: Debian's package, a throwaway cluster on a free
port, one fresh database per test, stopped at the end of the run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path("/usr/lib/postgresql")


def pg_bin() -> Path | None:
    versions = sorted(BIN.glob("*/bin/pg_ctl")) if BIN.is_dir() else []
    return versions[-1].parent if versions else None


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server tools as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A running server; yields its base URL (without a database name)."""
    tools = pg_bin()
    if tools is None:
        pytest.fail("PostgreSQL is missing: run `make test-deps` (apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="interviewer-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_postgres([str(tools / "initdb"), "-D", str(data), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8"]), check=True,
                   capture_output=True)  # fmt: skip
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([str(tools / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                                 "-l", str(root / "log"), "start"]), check=True,
                   capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(tools / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(base: str) -> str:
    """A new empty database on the server; its URL."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The store's URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'interviewer.db'}"
    return fresh_database(request.getfixturevalue("postgres"))


@pytest.fixture
def chroma_server(tmp_path) -> Iterator[str]:
    """chromadb's own `chroma run` on a free port with a fresh store; yields its URL."""
    import sys

    from tests.live import _free_port, running

    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    command = [str(chroma), "run", "--path", str(tmp_path / "chroma-server"),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with running(command, tmp_path / "chroma.log", f"{url}/api/v2/heartbeat"):
        yield url
