"""`interviewer templates check [PATH]`: what HR runs before publishing a role template."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot import commandline
from bot.cli.config import load_settings
from bot.roles.files import check_path, warnings_for


def _roles_dir() -> Path:
    return load_settings().roles_dir


def _knowledge_dir() -> Path:
    """This installation's documents; before the first `prepare`, those it will start from."""
    from bot.settings import SHIPPED

    knowledge = load_settings().knowledge_dir
    return knowledge if knowledge.is_dir() else SHIPPED / "knowledge"


# The defaults are the installation's folders, from its settings, so the check works from any
# working directory (`check_main` hands in others).
@click.command(
    "check",
    short_help="validate role templates",
    help="Validate role templates before publishing them. PATH: a role template or a folder "
    "of them (default: this installation's templates, INTERVIEWER_ROLES_DIR).",
)
@click.argument("path", required=False, type=click.Path(path_type=Path), default=_roles_dir)
@click.option("--knowledge", type=click.Path(path_type=Path), default=_knowledge_dir,
              metavar="PATH", help="folder that 'documents' paths are relative to (default: "
              "this installation's documents, INTERVIEWER_KNOWLEDGE_DIR)")  # fmt: skip
def templates_check(path: Path, knowledge: Path) -> int:
    """`interviewer templates check [PATH] [--knowledge PATH]`; 0 if all valid."""
    problems = check_path(path, knowledge)
    for warning in warnings_for(path) if not problems else []:
        print(f"warning: {warning}")
    if problems:
        print("\n".join(str(p) for p in problems))
        found = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"{found} found; fix and run the check again")
        return 1
    count = 1 if path.is_file() else len(list(path.glob("*.yaml")))
    print(f"OK: {count} template{'' if count == 1 else 's'}")
    return 0


def check_main(
    argv: list[str] | None = None,
    roles_dir: Path = Path("prompts/roles"),
    knowledge_dir: Path = Path("knowledge"),
) -> int:
    """`templates check` with these folders as its defaults (argv: the words after 'check')."""
    folders = {"path": roles_dir, "knowledge": knowledge_dir}
    prog = "interviewer templates check"
    return commandline.run(templates_check, argv, prog, default_map=folders)


if __name__ == "__main__":
    sys.exit(check_main())
