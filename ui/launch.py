"""The `interviewer` console script: the command tree of bot/cli/, with the web app to serve.

It lives in ui/ because `serve` needs the pages; bot/ never imports the UI.
"""

from __future__ import annotations

import sys

from bot import cli


def main(argv: list[str] | None = None) -> int:
    from ui.app import serve

    return cli.main(argv, serve=serve)


if __name__ == "__main__":
    sys.exit(main())
