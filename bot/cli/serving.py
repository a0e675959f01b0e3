"""`interviewer serve`: prepare, then run the web app that ui/launch.py hands in."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable

import click

from bot.cli.config import application, load_settings
from bot.cli.preparation import prepare, ready_writer
from bot.core.errors import ConfigError
from bot.settings import Settings

# `serve` runs the web app, which lives in ui/ (outside bot/, which never imports it): the
# console script (ui/launch.py) hands it in. Signature: (application, host, port).
Serve = Callable[..., None]


@click.command("serve", help="serve the web app")
@click.option("--host", metavar="HOST", help="default: INTERVIEWER_HOST (127.0.0.1)")
@click.option("--port", type=int, metavar="PORT", help="default: INTERVIEWER_PORT (7860)")
@click.option(
    "--invite-links",
    is_flag=True,
    help="print a fresh invite link for each role, to try an interview at once",
)
@click.pass_obj
def serve(run_app: Serve | None, host: str | None, port: int | None, invite_links: bool) -> int:
    """`interviewer serve`; `run_app` is what `bot.cli.main` was handed as `serve`."""
    if run_app is None:
        raise ConfigError("the web app starts from the `interviewer` command: `interviewer serve`")
    settings = load_settings()
    # In this process: one Python start-up, not two; the model is tested in its own child.
    prepare(settings, load_evaluator=False, test_model=False)
    app = application(settings)
    service = app.interviews
    host, port = host or settings.host, port or settings.port
    from bot.settings import SERVING_AT

    # Other commands (`users add`, `invite`) and the recruiter's page name this address.
    (settings.home / SERVING_AT).write_text(f"http://{host}:{port}\n", encoding="utf-8")
    if invite_links:
        print_invite_links(service, settings)
    # Probes and acknowledgements repeat across candidates: prepare them while nobody waits.
    # Not a daemon: a thread killed inside torch at exit aborts the process; it stops instead.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop closes like Ctrl+C
    warming = threading.Thread(target=ready_writer, args=(service, stop), name="warm-up")
    warming.start()
    try:
        run_app(app, host=host, port=port)
    finally:
        stop.set()
        app.close()  # first: the model's process ends, so a warm-up call in flight ends too
        warming.join()
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def print_invite_links(service, settings: Settings) -> None:
    """One invite link per role: on a terminal, else in a file only this account can read."""
    import getpass

    from bot.staff.access import Actor, invite_for, invite_url

    operator = Actor(f"{getpass.getuser()}@serve", "recruiter")
    lines = ["Invite links (each opens one interview; `interviewer invite --role ROLE` makes "
             "more):"]  # fmt: skip
    for role in service.roles():
        invite = invite_for(service.store, service.catalog, settings, operator, role.id, None)
        lines.append(f"  {role.title:<32} {invite_url(settings, invite)}")
    if sys.stdout.isatty():
        print("\n".join(lines))
        return
    # Not a terminal (a service manager's log, a file): a live link there is a key anyone who
    # reads the log can use. It goes to a file only this account can read.
    path = settings.home / "invite-links.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    print(f"Invite links for each role are in {path} (kept out of this log).")
