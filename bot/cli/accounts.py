"""`users add|list|disable|password` and `invite`: staff accounts and candidates' links."""

from __future__ import annotations

import getpass
import sys

import click

from bot.cli.config import load_settings
from bot.core.errors import InputError
from bot.settings import Settings


def _accounts(settings: Settings):
    from bot.staff.access import Accounts
    from bot.store import Store

    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.db_url)
    return Accounts(store)


def _new_password(from_stdin: bool) -> str:
    """The password from one stdin line, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InputError("the two passwords differ; run the command again")
    return first


@click.command("add", help="create an HR or recruiter account")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["hr", "recruiter"]))
@click.option("--password-stdin", is_flag=True, help="read the password from stdin (scripts)")
def users_add(name: str, role: str, password_stdin: bool) -> int:
    """`interviewer users add NAME --role hr|recruiter [--password-stdin]`."""
    from bot.staff.access import check_name, check_password

    settings = load_settings()
    check_name(name)  # before asking for a password it would refuse to use
    password = check_password(_new_password(password_stdin))
    by = f"cli:{getpass.getuser()}"
    actor = _accounts(settings).add_user(name, role, password, by)
    print(
        f"added {actor.role} account '{actor.name}'; they log in at "
        f"{settings.base_url}/{actor.role}"
    )
    return 0


@click.command("list", help="list accounts")
def users_list() -> int:
    """`interviewer users list`."""
    for u in _accounts(load_settings()).store.users():
        state = "disabled" if u.disabled else "active"
        print(f"{u.name:<24} {u.role:<10} {state:<9} since {u.created_at:%Y-%m-%d}")
    return 0


@click.command("disable", help="disable an account; its logins stop at once")
@click.argument("name")
def users_disable(name: str) -> int:
    """`interviewer users disable NAME`."""
    _accounts(load_settings()).disable(name, f"cli:{getpass.getuser()}")
    print(f"disabled '{name}'; their logins stop working now")
    return 0


@click.command("password", help="set a new password; older logins stop")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read it from stdin")
def users_password(name: str, password_stdin: bool) -> int:
    """`interviewer users password NAME [--password-stdin]`."""
    password = _new_password(password_stdin)
    _accounts(load_settings()).set_password(name, password, f"cli:{getpass.getuser()}")
    print(f"new password set for '{name}'; their earlier logins stop working")
    return 0


@click.command("invite", help="make a single-candidate invite link for a role")
@click.option("--role", required=True, metavar="ROLE", help="role id, e.g. backend-python")
@click.option("--email", metavar="EMAIL", help="the candidate's email, kept with the session")
def make_invite(role: str, email: str | None) -> int:
    """`interviewer invite --role ROLE [--email EMAIL]`."""
    from bot.catalog import RoleCatalog
    from bot.staff.access import Actor, invite_for, invite_url

    settings = load_settings()
    store = _accounts(settings).store
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()  # as the server does on start, so the sample roles exist
    # Whoever can run this on the server acts for the recruiters; the log names them.
    operator = Actor(f"{getpass.getuser()}@cli", "recruiter")
    invite = invite_for(store, catalog, settings, operator, role, email)
    print(invite_url(settings, invite))
    print(f"expires {invite.expires_at:%Y-%m-%d %H:%M} UTC; it opens one interview only")
    return 0
