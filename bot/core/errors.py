"""The few errors the product raises. Each message names the cause and the next step."""


class BotError(Exception):
    """Base of every error the product raises on purpose."""


class ConfigError(BotError):
    """A setting is missing or wrong."""


class TemplateError(BotError):
    """A role or prompt template is invalid. The message names file:line, the key and the fix."""

    def __init__(self, problems: "list[str] | str"):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class ModelError(BotError):
    """A model could not be found, loaded or run."""


class StoreError(BotError):
    """The database refused or lost something."""


class TurnConflict(StoreError):
    """Another turn on the same interview was saved first; this one was not stored."""


class AccessDenied(BotError):
    """The person asking may not do this."""


class KnowledgeError(BotError):
    """A knowledge document or the index could not be read or written."""
