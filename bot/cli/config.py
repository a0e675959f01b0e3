"""What every command starts from: an offline process, this installation's settings and parts."""

from __future__ import annotations

import os

from bot.core.errors import ConfigError
from bot.settings import Settings

# No model hub, no telemetry: everything this product loads is already on disk.
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def go_offline() -> None:
    """Keep this process off the network and its files private to this account."""
    for key, value in OFFLINE.items():
        os.environ.setdefault(key, value)
    # Everything this process writes (database, index, uploads, caches) holds candidates'
    # data or the company's documents: this account's alone.
    os.umask(0o077)


def load_settings() -> Settings:
    """The installation's settings, or ConfigError naming what is wrong with them."""
    try:
        return Settings()
    except ValueError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


def application(settings: Settings):
    """The services the commands drive, built by the one composition root."""
    from bot.wiring import build

    return build(settings)
