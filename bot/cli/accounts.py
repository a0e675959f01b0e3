"""`users add|list|disable|password` and `invite`: staff accounts and candidates' links."""

from __future__ import annotations

import getpass
import sys

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


def users_add(args, rest) -> int:
    """`interviewer users add NAME --role hr|recruiter [--password-stdin]`."""
    from bot.staff.access import check_name, check_password

    settings = load_settings()
    check_name(args.name)  # before asking for a password it would refuse to use
    password = check_password(_new_password(args.password_stdin))
    by = f"cli:{getpass.getuser()}"
    actor = _accounts(settings).add_user(args.name, args.role, password, by)
    print(
        f"added {actor.role} account '{actor.name}'; they log in at "
        f"{settings.base_url}/{actor.role}"
    )
    return 0


def users_list(args, rest) -> int:
    """`interviewer users list`."""
    for u in _accounts(load_settings()).store.users():
        state = "disabled" if u.disabled else "active"
        print(f"{u.name:<24} {u.role:<10} {state:<9} since {u.created_at:%Y-%m-%d}")
    return 0


def users_disable(args, rest) -> int:
    """`interviewer users disable NAME`."""
    _accounts(load_settings()).disable(args.name, f"cli:{getpass.getuser()}")
    print(f"disabled '{args.name}'; their logins stop working now")
    return 0


def users_password(args, rest) -> int:
    """`interviewer users password NAME [--password-stdin]`."""
    password = _new_password(args.password_stdin)
    _accounts(load_settings()).set_password(args.name, password, f"cli:{getpass.getuser()}")
    print(f"new password set for '{args.name}'; their earlier logins stop working")
    return 0


def make_invite(args, rest) -> int:
    """`interviewer invite --role ROLE [--email EMAIL]`."""
    from bot.catalog import RoleCatalog
    from bot.staff.access import Actor, invite_for, invite_url

    settings = load_settings()
    store = _accounts(settings).store
    catalog = RoleCatalog(store, settings.roles_dir)
    catalog.publish_role_files()  # as the server does on start, so the sample roles exist
    # Whoever can run this on the server acts for the recruiters; the log names them.
    operator = Actor(f"{getpass.getuser()}@cli", "recruiter")
    invite = invite_for(store, catalog, settings, operator, args.role, args.email)
    print(invite_url(settings, invite))
    print(f"expires {invite.expires_at:%Y-%m-%d %H:%M} UTC; it opens one interview only")
    return 0
