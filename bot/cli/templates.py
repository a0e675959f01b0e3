"""`interviewer templates check [PATH]`: what HR runs before publishing a role template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.config import load_settings
from bot.roles.files import check_path, warnings_for


def templates_check(args, rest) -> int:
    """`interviewer templates check ...`, checked against this installation's folders."""
    from bot.settings import SHIPPED

    settings = load_settings()
    # Before the first `prepare`, the documents the installation will start from.
    knowledge = settings.knowledge_dir
    return check_main(rest, settings.roles_dir,
                      knowledge if knowledge.is_dir() else SHIPPED / "knowledge")  # fmt: skip


def check_main(
    argv: list[str] | None = None,
    roles_dir: Path = Path("prompts/roles"),
    knowledge_dir: Path = Path("knowledge"),
) -> int:
    """`interviewer templates check [PATH]` (argv: the words after 'check'); 0 if all valid.

    The defaults are the installation's folders (the CLI passes them from its settings), so
    the check works from any working directory."""
    parser = argparse.ArgumentParser(
        prog="interviewer templates check",
        description="Validate role templates before publishing them.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=roles_dir,
        help=f"a role template or a folder of them (default: {roles_dir})",
    )
    parser.add_argument("--knowledge", type=Path, default=knowledge_dir,
                        help=f"folder that 'documents' paths are relative to "
                             f"(default: {knowledge_dir})")  # fmt: skip
    args = parser.parse_args(argv)
    problems = check_path(args.path, args.knowledge)
    for warning in warnings_for(args.path) if not problems else []:
        print(f"warning: {warning}")
    if problems:
        print("\n".join(str(p) for p in problems))
        found = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        print(f"{found} found; fix and run the check again")
        return 1
    count = 1 if args.path.is_file() else len(list(args.path.glob("*.yaml")))
    print(f"OK: {count} template{'' if count == 1 else 's'}")
    return 0


if __name__ == "__main__":
    sys.exit(check_main())
