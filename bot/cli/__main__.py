"""`python -m bot.cli`: the `interviewer` command without the web app (serve needs ui/)."""

import sys

from bot.cli import main

sys.exit(main())
