"""Request rates are counted in the database, so every process of the app shares one budget per
client, and behind a trusted proxy the budget is the client's, not the proxy's."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fastapi import FastAPI
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient

from bot.staff.rates import SharedRateLimiter
from bot.store import Store
from ui.guard import Guard, Limits, trusted_networks

PROXY = "10.0.0.5"


def test_two_processes_draw_on_one_budget(database_url):
    """Two real processes hammer one key at once: together they get exactly the limit."""
    Store(database_url).close()  # migrated before the race, not during it
    worker = textwrap.dedent(f"""
        from bot.staff.rates import SharedRateLimiter
        from bot.store import Store
        limiter = SharedRateLimiter(Store({database_url!r}), clock=lambda: 1_000_000.0)
        print(sum(limiter.allow("req:198.51.100.7", 25, 3600) for _ in range(20)))
    """)
    runs = [subprocess.Popen([sys.executable, "-c", worker], stdout=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    allowed = [int(run.communicate(timeout=120)[0].strip()) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert sum(allowed) == 25  # 40 tries, one budget of 25: not 40 (two budgets) and not fewer


def test_the_count_names_no_address_and_forgets_passed_windows(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'interviewer.db'}"
    store = Store(url)
    now = [1_000_000.0]
    limiter = SharedRateLimiter(store, clock=lambda: now[0])
    assert [limiter.allow("req:203.0.113.9", 2, 60) for _ in range(3)] == [True, True, False]
    rows = _rows(url)
    assert len(rows) == 1 and "203.0.113" not in repr(rows)  # a hash, not the address
    now[0] += 61  # the next window: a fresh budget, and the sweep deletes the passed one
    monkeypatch.setattr(limiter, "_swept", 0.0)
    assert limiter.allow("req:203.0.113.9", 2, 60) is True
    assert [r[1] for r in _rows(url)] == [int(now[0]) // 60 * 60]
    store.close()


def test_behind_the_proxy_each_client_has_its_own_budget_across_processes(tmp_path):
    url = f"sqlite:///{tmp_path / 'interviewer.db'}"
    first, second = _app(url), _app(url)  # two processes of the app behind one proxy
    alice = {"X-Forwarded-For": "198.51.100.1"}
    bob = {"X-Forwarded-For": "198.51.100.2"}
    statuses = [app.post("/api/echo", json={}, headers=alice).status_code
                for app in (first, second, first, second)]  # fmt: skip
    assert statuses == [200, 200, 200, 429]  # 3 a minute, counted once for both processes
    assert second.post("/api/echo", json={}, headers=bob).status_code == 200
    # Someone outside the proxy writing their own X-Forwarded-For is counted as themselves.
    outsider = _app(url, peer="192.0.2.50")
    for _ in range(3):
        assert outsider.post("/api/echo", json={}, headers=alice).status_code == 200
    assert outsider.post("/api/echo", json={}, headers=bob).status_code == 429


def _app(url: str, peer: str = PROXY) -> TestClient:
    inner = FastAPI()

    @inner.post("/api/echo")
    async def echo(body: dict) -> dict:
        return body

    limits = Limits(upload_bytes=1000, upload_files=2, api_bytes=1000, other_bytes=1000,
                    requests_per_minute=3)  # fmt: skip
    counted = SharedRateLimiter(Store(url), clock=lambda: 1_000_020.0)  # one window, whatever
    guard = Guard(inner, limits, {}, trusted_networks(PROXY), counted)  # the time of the run
    return TestClient(guard, client=(peer, 40000))


def _rows(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT key, window_start FROM rate_counts")).fetchall()
    engine.dispose()
    return [tuple(r) for r in found]
