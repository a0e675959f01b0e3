"""interviewer: a self-hosted AI pre-screening interviewer. The model proposes; a person decides."""

__version__ = "0.1.0"
