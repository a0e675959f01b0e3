"""The errors the product raises, with codes from one catalogue. Each names the cause and the fix.

Every error carries a code (search it here to find its meaning and every place that raises
it). `public()` is what a page may show: for errors whose message was written for the person
reading it (a refused input, a template problem, a refused login) the message itself; for
errors whose message names internals (a database path, a model folder, a session id) the
catalogue's plain words. The log keeps the full message and the traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: what happened, in words anyone may read, and what to do next."""

    what: str
    fix: str


CATALOGUE: dict[str, Entry] = {
    "E000": Entry("Something went wrong on our side.", "Try again; if it keeps happening, "
                  "tell the recruiter or the operator, quoting this code."),
    "E100": Entry("A setting is missing or wrong.", "Fix the INTERVIEWER_* setting named in "
                  "the server log, then restart."),
    "E200": Entry("A role or prompt template is invalid.", "Fix the lines listed and check "
                  "again before publishing."),
    "E300": Entry("A model could not be loaded or run.", "Nothing was lost; try again in a "
                  "minute. The operator finds the details in the server log."),
    "E310": Entry("The interviewer's model was busy with other candidates.", "Nothing to do: "
                  "HR's own words were used for that turn. Raise INTERVIEWER_GENERATOR_WAIT_S "
                  "or add a model server if it happens often."),
    "E400": Entry("The interview could not be saved just now.", "Nothing was lost: send it "
                  "again in a minute. If it keeps failing, tell the recruiter."),
    "E410": Entry("This interview moved on in another window or tab, so this message was not "
                  "sent.", "Reload the page to see the latest question, then answer it there."),
    "E500": Entry("This is not open to you.", "Log in again, or ask for a new invite link."),
    "E600": Entry("The company documents could not be read or indexed.", "Check the file named "
                  "in the server log, then upload or ingest it again."),
    "E700": Entry("That input was not accepted.", "Change it as the message says and try again."),
}  # fmt: skip


class BotError(Exception):
    """Base of every error the product raises on purpose."""

    code = "E000"
    shown_as_is = False  # the message was written for the reader and holds no internals

    def __init__(self, message: str = "", code: str | None = None) -> None:
        super().__init__(message or CATALOGUE[code or self.code].what)
        if code is not None:
            self.code = code

    def public(self) -> str:
        """What a page may show: never a path, a session id or a Python exception."""
        if self.shown_as_is:
            return f"{self} ({self.code})"
        entry = CATALOGUE.get(self.code, CATALOGUE["E000"])
        return f"{entry.what} {entry.fix} ({self.code})"


class ConfigError(BotError):
    """A setting is missing or wrong."""

    code = "E100"


class TemplateError(BotError):
    """A role or prompt template is invalid. The message names file:line, the key and the fix."""

    code = "E200"
    shown_as_is = True

    def __init__(self, problems: Sequence[object] | str):
        from bot.core.problems import Problem

        given = [problems] if isinstance(problems, str) else list(problems)
        # Each problem as a record (file, line, key, message); `problems` is how each prints.
        self.records = [p if isinstance(p, Problem) else Problem.read(str(p)) for p in given]
        self.problems = [str(p) for p in self.records]
        super().__init__("\n".join(self.problems))


class ModelError(BotError):
    """A model could not be found, loaded or run."""

    code = "E300"


class ModelBusy(ModelError):
    """The model did not become free within the turn's wait budget (others were using it)."""

    code = "E310"


class StoreError(BotError):
    """The database refused or lost something."""

    code = "E400"


class TurnConflict(StoreError):
    """Another turn on the same interview was saved first; this one was not stored."""

    code = "E410"  # the store's own message names the session: pages show the catalogue's


class AccessDenied(BotError):
    """The person asking may not do this."""

    code = "E500"
    shown_as_is = True


class KnowledgeError(BotError):
    """A knowledge document or the index could not be read or written."""

    code = "E600"


class InputError(BotError):
    """Something a person typed, chose or uploaded was refused; the message says how to fix it."""

    code = "E700"
    shown_as_is = True
