"""The logic behind issue 25's fixes, each against the input that broke it: the YAML bomb
sized with its aliases written out, forwarded addresses, the outer guard's limits and
headers, rate tables that forget, the per-account back-off, rights past the invite's time,
erasure that leaves nothing readable, and text that cannot confuse a viewer."""

from __future__ import annotations

import sys
import tracemalloc
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.core.errors import AccessDenied, BotError, InputError
from bot.core.messages import plain_text
from bot.knowledge.answers import without_images
from bot.roles.budget import over_budget
from bot.staff import rates as rates_module
from bot.staff.access import ACCOUNT_FAILURES
from bot.staff.rates import RateLimiter
from tests.unit.test_staff import GOOD, PASSWORD, interview, make_parts
from ui.guard import Guard, Limits, client_address, trusted_networks

# --- YAML expanded -------------------------------------------------------------------------


def test_a_yaml_bomb_under_every_event_limit_is_refused_without_expanding_it():
    base = "[" + ", ".join(f"v{i}" for i in range(18_000)) + "]"
    lines = [f"a0: &a0 {base}"] + [f"a{i}: &a{i} [*a{i-1}, *a{i-1}]" for i in range(1, 11)]
    tracemalloc.start()
    try:
        problem = over_budget("\n".join(lines), "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem and "aliases" in problem and "written out" in problem
    # Expanded, the text is 18 million values (it took +1.75 GB); counted, a few megabytes.
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MB"


def test_an_alias_inside_its_own_value_is_refused():
    assert "refers to the value that contains it" in over_budget("a: &a [1, *a]\n", "r.yaml")


def test_a_template_with_a_few_aliases_is_fine():
    assert over_budget("a: &a [1, 2]\nb: *a\nc: *a\n", "ok.yaml") is None


# --- the client's address -----------------------------------------------------------------


def test_forwarded_addresses_count_only_from_a_trusted_proxy():
    proxy = trusted_networks("10.0.0.5, 192.168.0.0/24")
    assert client_address("127.0.0.1", "203.0.113.9", []) == "127.0.0.1"
    assert client_address("198.51.100.7", "203.0.113.9", proxy) == "198.51.100.7"
    # From the proxy: the right-most hop it did not add itself; what the client wrote on the
    # left ("1.2.3.4") is not believed.
    assert client_address("10.0.0.5", "1.2.3.4, 203.0.113.9", proxy) == "203.0.113.9"
    assert client_address("10.0.0.5", "203.0.113.9, 192.168.0.3", proxy) == "203.0.113.9"


# --- the outer guard -----------------------------------------------------------------------


def guarded(requests_per_minute: int = 100, trusted: str = "") -> TestClient:
    inner = FastAPI()

    @inner.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    @inner.post("/api/echo")
    async def echo(body: dict) -> dict:
        return body

    @inner.get("/who")
    def who(request: __import__("fastapi").Request) -> dict:  # type: ignore[valid-type]
        return {"client": request.client.host, "fwd": request.headers.get("x-forwarded-for")}

    limits = Limits(upload_bytes=1000, upload_files=2, api_bytes=100, other_bytes=100,
                    requests_per_minute=requests_per_minute)  # fmt: skip
    app = Guard(inner, limits, {"X-Frame-Options": "DENY"}, trusted_networks(trusted),
                RateLimiter())  # fmt: skip
    return TestClient(app, raise_server_exceptions=False)


def test_a_500_carries_the_security_headers():
    reply = guarded().get("/boom")
    assert reply.status_code == 500 and reply.headers["x-frame-options"] == "DENY"


def test_a_declared_body_over_the_limit_is_refused_unread_and_a_rate_past_it_waits():
    client = guarded(requests_per_minute=3)
    assert client.post("/api/echo", content=b"{}" + b" " * 200,
                       headers={"Content-Type": "application/json"}).status_code == 413  # fmt: skip
    statuses = [client.post("/api/echo", json={"a": 1}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_forwarded_headers_from_strangers_never_reach_the_app():
    client = guarded()
    seen = client.get("/who", headers={"X-Forwarded-For": "203.0.113.9"}).json()
    assert seen == {"client": "testclient", "fwd": None}


def test_rates_forget_keys_whose_window_has_passed(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(rates_module.time, "monotonic", lambda: now[0])
    limiter = RateLimiter()
    for i in range(500):
        assert limiter.allow(f"upload:203.0.113.{i}", 30, 600)
    assert len(limiter) == 500
    now[0] += 601
    assert limiter.allow("upload:198.51.100.1", 30, 600)
    assert len(limiter) == 1  # the table holds who acted recently, never everyone


# --- logins --------------------------------------------------------------------------------


def test_rotating_addresses_buys_no_more_guesses_and_never_locks_the_owner_out(tmp_path):
    parts = make_parts(tmp_path)
    accounts = parts.staff.accounts
    accounts.login("rita", PASSWORD, source="10.1.1.1")  # where rita logs in from
    refused = 0
    for i in range(ACCOUNT_FAILURES + 5):
        try:
            accounts.login("rita", "not the password", source=f"203.0.113.{i}")
        except AccessDenied as exc:
            refused += "too many" in str(exc)
    assert refused >= 4  # past the account-wide count, new addresses wait too
    with pytest.raises(AccessDenied, match="too many"):
        accounts.login("rita", PASSWORD, source="198.51.100.250")  # a stranger, even right
    assert accounts.login("rita", PASSWORD, source="10.1.1.1")  # the owner, from her desk


# --- candidates' rights ------------------------------------------------------------------


def test_rights_outlive_the_invite_and_the_interview_does_not(tmp_path):
    parts = make_parts(tmp_path)
    token = parts.staff.create_invite(parts.recruiter, "test-role", "ana@example.com").token
    parts.service.desk.open_invite(token)
    parts.service.desk.reply(token, "yes")
    parts.service.settings.invite_ttl_hours = 0  # a week later, say
    with pytest.raises(AccessDenied, match="expired"):
        parts.service.desk.reply(token, GOOD)
    assert parts.service.desk.copy(token)["conversation"]
    parts.service.desk.correct(token, "I meant Python 3.12, not 3.11.")
    assert parts.service.desk.history(token, rights=True)


def test_corrections_are_bounded(tmp_path):
    parts = make_parts(tmp_path)
    token = parts.staff.create_invite(parts.recruiter, "test-role", "bo@example.com").token
    parts.service.desk.open_invite(token)
    for i in range(10):
        parts.service.desk.correct(token, f"correction {i}")
    with pytest.raises(InputError, match="the most this page takes"):
        parts.service.desk.correct(token, "one more")


# --- erasure -------------------------------------------------------------------------------


def test_an_erased_answer_is_nowhere_in_the_database_files_and_staff_can_add_nothing(tmp_path):
    parts = make_parts(tmp_path)
    marker = "Zanzibar-7731 tuples are hashable"
    session = interview(parts, answers=(f"{GOOD} {marker}",) * 5, email="cy@example.com")
    token = parts.staff.create_invite(parts.recruiter, "test-role", "dd@example.com").token
    assert session and token
    parts.staff.decide(parts.recruiter, session, "hold", "phone 555-0100")
    parts.store.erase_session(session, "candidate", "candidate request")
    files = [p for p in tmp_path.iterdir() if p.name.startswith("interviewer.db")]
    for path in files:
        data = path.read_bytes()
        assert marker.encode() not in data and b"555-0100" not in data, path.name
    with pytest.raises(BotError, match="erased"):
        parts.staff.decide(parts.recruiter, session, "advance", "after all")


# --- text that cannot confuse a viewer --------------------------------------------------------


def test_lone_surrogates_and_direction_overrides_are_made_harmless():
    assert plain_text("ok \ud800 \u202egpj.exe\u202c \x1b[31m") == "ok \ufffd gpj.exe [31m"
    assert plain_text("tab\tand\nlines") == "tab\tand\nlines"


def test_a_quoted_document_never_carries_a_link_to_click():
    shown = without_images("Apply at [our portal](https://evil.example/x) or https://a.b/c.")
    assert "](" not in shown and shown == "Apply at our portal or `https://a.b/c`."


# --- the operator's terminal ------------------------------------------------------------------


def test_invite_links_stay_out_of_a_log(tmp_path, monkeypatch, capsys):
    from bot import cli

    parts = make_parts(tmp_path)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    cli._print_invite_links(parts.service, parts.settings)
    out = capsys.readouterr().out
    assert "invite=" not in out and "invite-links.txt" in out
    kept = tmp_path / "invite-links.txt"
    assert "invite=" in kept.read_text() and kept.stat().st_mode & 0o077 == 0


def test_commands_name_the_address_serve_is_on(tmp_path):
    from bot.settings import SERVING_AT, Settings

    settings = Settings(home=tmp_path)  # type: ignore[call-arg]
    assert settings.base_url == "http://127.0.0.1:7860"
    (tmp_path / SERVING_AT).write_text("http://127.0.0.1:8123\n")
    assert settings.base_url == "http://127.0.0.1:8123"
    public = Settings(home=tmp_path, public_url="https://jobs.example.com/")  # type: ignore[call-arg]
    assert public.base_url == "https://jobs.example.com"


def test_a_lock_lasts_at_most_fifteen_minutes():
    from bot.staff.access import LOCKOUT_MINUTES

    assert timedelta(minutes=LOCKOUT_MINUTES) <= timedelta(minutes=15)
