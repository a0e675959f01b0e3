"""Who may do what: the whole permission table, login tokens, the signing key."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bot.core.errors import AccessDenied, BotError
from bot.staff.access import (
    LOCKOUT_FAILURES,
    PERMISSIONS,
    Accounts,
    Action,
    Actor,
    allowed,
    check_email,
    require,
)
from bot.store import Store

A = Action
RECRUITER = {
    A.VIEW_SESSIONS,
    A.VIEW_TRANSCRIPT,
    A.OVERRIDE_SCORE,
    A.DECIDE,
    A.EXPORT,
    A.CREATE_INVITE,
    A.VIEW_CHART,
    A.VIEW_AUDIT,
    A.SCREEN_RESUMES,
}
HR = {
    A.VIEW_SESSIONS,
    A.VIEW_TRANSCRIPT,
    A.CREATE_INVITE,
    A.LIST_TEMPLATES,
    A.EDIT_TEMPLATE,
    A.PUBLISH_TEMPLATE,
    A.RETIRE_TEMPLATE,
    A.PREVIEW_TEMPLATE,
    A.UPLOAD_DOCUMENT,
    A.DRAFT_QUESTIONS,
    A.VIEW_EVENTS,
    A.VIEW_AUDIT,
}
EXPECTED = {"recruiter": RECRUITER, "hr": HR}
MATRIX = [(role, action) for role in ("hr", "recruiter", "candidate", "") for action in Action]
PASSWORD = "correct horse battery"


def fast_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def accounts(database_url):
    store = Store(database_url)
    accounts = Accounts(store, fast_hasher())
    accounts.add_user("rita", "recruiter", PASSWORD)
    accounts.add_user("hana", "hr", PASSWORD)
    return accounts


def test_the_action_list_is_exactly_the_staff_actions():
    assert {a.value for a in Action} == {
        "view_sessions", "view_transcript", "override_score", "decide", "export",
        "create_invite", "view_chart", "list_templates", "edit_template", "publish_template",
        "retire_template", "preview_template", "upload_document", "draft_questions",
        "view_events", "view_audit", "screen_resumes",
    }  # fmt: skip


@pytest.mark.parametrize(("role", "action"), MATRIX)
def test_every_role_may_take_exactly_its_actions(role, action):
    expected = action in EXPECTED.get(role, set())
    assert allowed(role, action) is expected
    assert allowed(role, action.value) is expected  # as the string a page might send


def test_the_table_grants_nothing_beyond_the_expected_sets():
    assert {role: set(actions) for role, actions in PERMISSIONS.items()} == EXPECTED


def test_hr_reads_sessions_but_never_judges_them():
    for action in (A.OVERRIDE_SCORE, A.DECIDE, A.EXPORT, A.VIEW_CHART):
        assert not allowed("hr", action)
    assert allowed("hr", A.VIEW_TRANSCRIPT)


@pytest.mark.parametrize("action", sorted(Action))
def test_require_names_who_what_and_the_way_out(action):
    role = "recruiter" if action not in RECRUITER else "hr"
    if action in RECRUITER and action in HR:
        require(Actor("x", "hr"), action)
        require(Actor("x", "recruiter"), action)
        return
    with pytest.raises(AccessDenied) as denied:
        require(Actor("sam", role), action)  # type: ignore[arg-type]
    message = str(denied.value)
    assert f"sam ({role}) may not {action.value.replace('_', ' ')}" in message
    assert "ask an HR admin" in message


def test_login_returns_a_token_that_names_the_person(accounts):
    token = accounts.login("rita", PASSWORD)
    assert accounts.actor(token) == Actor("rita", "recruiter")
    assert PASSWORD not in token and "rita" not in token  # opaque
    assert [e.kind for e in accounts.store.events()][-1] == "login"


@pytest.mark.parametrize(("name", "password"), [("rita", "wrong password!"), ("nobody", PASSWORD)])
def test_a_failed_login_is_refused_alike_and_logged_without_the_password(accounts, name, password):
    with pytest.raises(AccessDenied, match="wrong name or password"):
        accounts.login(name, password)
    event = accounts.store.events()[-1]
    assert (event.kind, event.payload["name"]) == ("login.failed", name)
    assert password not in repr(event.payload)


def _forge(token: str) -> list[str]:
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    return ["", "garbage", token + "x", flipped, token[:-1], token.upper(), "x" * 500]


def test_forged_or_tampered_tokens_are_refused(accounts):
    token = accounts.login("hana", PASSWORD)
    for bad in _forge(token):
        with pytest.raises(AccessDenied, match="log in again"):
            accounts.actor(bad)
    with pytest.raises(AccessDenied):
        accounts.actor(None)
    with pytest.raises(AccessDenied):
        accounts.actor({"token": token})  # type: ignore[arg-type]  # a JSON object, not a token


def test_a_token_from_another_installation_is_refused(accounts, tmp_path):
    other = Accounts(Store(f"sqlite:///{tmp_path / 'other.db'}"), fast_hasher())
    other.add_user("hana", "hr", PASSWORD)
    with pytest.raises(AccessDenied):
        accounts.actor(other.login("hana", PASSWORD))


def test_logging_out_ends_the_login_everywhere(accounts):
    token = accounts.login("rita", PASSWORD)
    copied = str(token)  # a second tab, or a token captured before logout
    other = accounts.login("rita", PASSWORD)
    accounts.logout(token)
    with pytest.raises(AccessDenied, match="ended"):
        accounts.actor(copied)
    assert accounts.actor(other).name == "rita"  # another login of hers goes on
    accounts.logout(token)  # twice is harmless


def test_an_expired_token_is_refused(accounts):
    token = accounts.login("rita", PASSWORD, hours=-1)
    with pytest.raises(AccessDenied, match="expired"):
        accounts.actor(token)


def test_disabling_or_a_new_password_ends_earlier_logins(accounts):
    rita, hana = accounts.login("rita", PASSWORD), accounts.login("hana", PASSWORD)
    accounts.store.set_user("rita", "test", disabled=True)
    with pytest.raises(AccessDenied):
        accounts.actor(rita)
    with pytest.raises(AccessDenied):
        accounts.login("rita", PASSWORD)  # disabled: even the right password fails
    accounts.set_password("hana", "a brand new password", "test")
    with pytest.raises(AccessDenied):
        accounts.actor(hana)
    assert accounts.actor(accounts.login("hana", "a brand new password")).name == "hana"


def test_repeated_wrong_passwords_from_one_source_lock_that_source_until_a_new_password(accounts):
    for _ in range(LOCKOUT_FAILURES):
        with pytest.raises(AccessDenied, match="wrong name or password"):
            accounts.login("rita", "a wrong guess!", source="10.0.0.66")
    with pytest.raises(AccessDenied, match="too many wrong passwords.*users password"):
        accounts.login("rita", PASSWORD, source="10.0.0.66")  # locked there, even if right
    assert any(e.kind == "login.locked" for e in accounts.store.events())
    # A stranger's guesses never lock rita out of her own desk, nor anyone else out.
    assert accounts.actor(accounts.login("rita", PASSWORD, source="10.0.0.5")).name == "rita"
    assert accounts.actor(accounts.login("hana", PASSWORD, source="10.0.0.66")).name == "hana"
    accounts.set_password("rita", "a brand new password", "hr:hana")
    again = accounts.login("rita", "a brand new password", source="10.0.0.66")
    assert accounts.actor(again).name == "rita"


def test_a_lock_that_runs_out_allows_one_try_then_waits_twice_as_long(accounts, monkeypatch):
    from datetime import timedelta

    from bot.store import logins

    for _ in range(LOCKOUT_FAILURES + 1):
        with pytest.raises(AccessDenied):
            accounts.login("rita", "a wrong guess!", source="s")
    first = accounts.store.take_attempt("rita", "s", LOCKOUT_FAILURES, timedelta(minutes=1),
                                        timedelta(minutes=15))  # fmt: skip
    assert first is not None
    later = logins.utc_now() + timedelta(minutes=2)
    monkeypatch.setattr(logins, "utc_now", lambda: later)
    with pytest.raises(AccessDenied, match="wrong name or password"):
        accounts.login("rita", "a wrong guess!", source="s")  # the one try after the lock
    with pytest.raises(AccessDenied, match="wait 2 minutes"):
        accounts.login("rita", PASSWORD, source="s")


def test_parallel_wrong_passwords_are_checked_no_more_than_the_limit(accounts):
    import threading

    checked = []

    class Counting:
        """The real hasher, counting how many passwords it was asked to check."""

        def __init__(self, inner):
            self.inner = inner

        def verify(self, hash_, password):
            checked.append(password)
            return self.inner.verify(hash_, password)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    accounts._hasher = Counting(accounts._hasher)
    threads = [
        threading.Thread(target=_try, args=(accounts, "rita", f"guess {i}!")) for i in range(24)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == LOCKOUT_FAILURES


def test_a_right_password_resets_the_count_of_wrong_ones(accounts):
    for _ in range(2):
        for _ in range(LOCKOUT_FAILURES - 1):
            with pytest.raises(AccessDenied, match="wrong name or password"):
                accounts.login("rita", "a wrong guess!")
        accounts.login("rita", PASSWORD)


def test_accounts_refuse_bad_roles_names_short_passwords_and_duplicates(accounts):
    with pytest.raises(BotError, match="not a staff role"):
        accounts.add_user("cand", "candidate", PASSWORD)
    with pytest.raises(BotError, match="not a usable name"):
        accounts.add_user("../x", "hr", PASSWORD)
    with pytest.raises(BotError, match="shorter than"):
        accounts.add_user("newbie", "hr", "short")
    with pytest.raises(BotError, match="already exists"):
        accounts.add_user("rita", "hr", PASSWORD)
    stored = accounts.store.user("rita")
    assert stored is not None and stored.password_hash.startswith("$argon2")


def _try(accounts, name: str, password: str) -> None:
    try:
        accounts.login(name, password, source="10.0.0.66")
    except AccessDenied:
        pass


@pytest.mark.parametrize("email", ["a@b", "not an email", "<x>@y.com", "a@b.c d"])
def test_invite_emails_are_checked(email):
    with pytest.raises(BotError, match="email"):
        check_email(email)
    assert check_email(" ana@example.com ") == "ana@example.com"
    assert check_email("") is None
