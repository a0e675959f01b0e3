"""Suite-wide guards: offline model loading, and any test that touches the network fails."""

from __future__ import annotations

import os
import socket

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_LOCAL = ("127.", "localhost", "::1", "0.0.0.0")
_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


class NetworkTouched(AssertionError):
    pass


def _is_local(address) -> bool:
    if isinstance(address, tuple):
        host = str(address[0])
    else:  # AF_UNIX paths are local by nature
        return True
    return host.startswith(_LOCAL) or host == ""


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkTouched(f"test tried to reach {address!r}: tests must run offline")
    return _real_connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_local((host,)):
        raise NetworkTouched(f"test tried to resolve {host!r}: tests must run offline")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail loudly on any connection or lookup beyond this machine."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    yield


# The real app and browser, shared by the browser and security tests (started only if used).
from tests.live import browser, server  # noqa: E402, F401
from tests.model_server import model_server  # noqa: E402, F401
from tests.pg import chroma_server, database_url, postgres  # noqa: E402, F401


def need_shared_data(what: str, present: bool) -> None:
    """At a test module's top: without ../shared's data the module is skipped on a developer's
    machine, but fails in CI (CI=true), where a silent skip would hide that nothing ran."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI runs with ../shared beside the clone", pytrace=False)
    pytest.skip(f"needs {what}", allow_module_level=True)
