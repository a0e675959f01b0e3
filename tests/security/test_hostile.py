"""Nothing open to strangers, part 2: each attack seen from outside (issue 25) tried again
through the real `interviewer serve` (tests/live.py), anonymously, over plain HTTP, as it
was found. `pytest -m security` reruns every one of them.

The server's memory is sampled after each attack: all of them together must stay within
200 MB of what it used before the first.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.bench.load import rss_mb
from tests.live import REPO, UPLOAD_WINDOW_SECONDS, Server
from tests.security.test_app import fetch, upload

pytestmark = [pytest.mark.security, pytest.mark.e2e]
MEMORY: dict[str, float] = {}


@pytest.fixture(scope="module", autouse=True)
def memory_stays_bounded(server: Server):
    """Idle memory before the first attack; after the last, the peak may be 200 MB above it."""
    time.sleep(1)
    MEMORY["idle"] = _own_rss(server.pid)
    yield
    peak = max(MEMORY.values())
    assert peak - MEMORY["idle"] <= 200, MEMORY


def _own_rss(pid: int) -> float:
    """The serve process alone (its model process is not what a request can grow)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return rss_mb(pid)


def sample(server: Server, name: str) -> None:
    MEMORY[name] = _own_rss(server.pid)


def post_json(url: str, body: object | str, headers: dict | None = None):
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    status, got, raw = fetch(url, data, {"Content-Type": "application/json", **(headers or {})})
    try:
        return status, got, json.loads(raw)
    except ValueError:
        return status, got, raw


def declared_but_not_sent(server: Server, path: str, length: int, content_type: str) -> tuple:
    """A request that declares `length` bytes and sends a few: answered at once, or the server
    would be waiting to read (and keep) them all."""
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    started = time.monotonic()
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", content_type)
    conn.putheader("Content-Length", str(length))
    conn.endheaders()
    conn.send(b"x" * 1024)
    response = conn.getresponse()
    elapsed = time.monotonic() - started
    conn.close()
    return response.status, elapsed


# --- any file path, anonymously ------------------------------------------------------------


def _document_upload_fn(server: Server) -> int:
    """The fn_index of HR's document upload (its inputs include the file component)."""
    config = json.loads(fetch(server.page_url("/config"))[2])
    files = [c["id"] for c in config["components"]
             if c.get("props", {}).get("elem_id") == "document-file"]  # fmt: skip
    return next(d["id"] for d in config["dependencies"] if set(files) & set(d["inputs"]))


def _named(server: Server, fn: int, path: str) -> list[dict]:
    """Name `path` as an uploaded file in a queued call, and read the call's outcome."""
    session = uuid.uuid4().hex[:10]
    named = {"path": path, "meta": {"_type": "gradio.FileData"}}
    body = {"fn_index": fn, "session_hash": session, "event_data": None,
            "data": [None, named, "company"]}  # fmt: skip
    status, _, joined = post_json(server.page_url("/gradio_api/queue/join"), body)
    assert status == 200, joined
    events = []
    url = server.page_url(f"/gradio_api/queue/data?session_hash={session}")
    with urllib.request.urlopen(url, timeout=30) as stream:
        for line in stream:
            if line.startswith(b"data:"):
                event = json.loads(line[5:])
                events.append(event)
                if event.get("msg") in ("process_completed", "close_stream"):
                    break
    return events


def _everything_under(folder: Path) -> dict[str, int]:
    if not folder.exists():
        return {}
    return {str(p): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def secrets_elsewhere(server: Server, tmp_path_factory) -> dict[str, str]:
    """Server paths a request must never be able to name."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "notes.md").write_text("# Internal\nThe bonus pool is 4.2 million.\n")
    link = outside / "link-to-db.md"
    link.symlink_to(server.home / "interviewer.db")
    models = sorted((REPO / "var" / "models").rglob("*.gguf"))
    paths = {
        "device": "/dev/zero",
        "environment": "/proc/self/environ",
        "database": str(server.home / "interviewer.db"),
        "markdown elsewhere": str(outside / "notes.md"),
        "symlink": str(link),
        "dot-dot": str(server.uploads / ".." / ".." / "outside" / "notes.md"),
    }
    if models:
        paths["model"] = str(models[0])
    return paths


@pytest.mark.parametrize("what", ["device", "environment", "database", "model",
                                  "markdown elsewhere", "symlink", "dot-dot"])  # fmt: skip
def test_no_request_can_name_a_file_on_the_server(server, secrets_elsewhere, what):
    if what not in secrets_elsewhere:
        pytest.skip("no model file in var/models")  # `make prepare` puts one there
    before = _everything_under(server.uploads)
    started = time.monotonic()
    events = _named(server, _document_upload_fn(server), secrets_elsewhere[what])
    done = [e for e in events if e.get("msg") == "process_completed"]
    assert done and done[-1].get("success") is False, events  # refused
    assert time.monotonic() - started < 10  # /dev/zero froze the whole server before
    status, _, _ = fetch(server.page_url("/"))
    assert status == 200  # and it still serves
    copied = set(_everything_under(server.uploads)) - set(before)
    assert not copied, copied  # nothing was copied into Gradio's folder
    sample(server, f"path:{what}")


# --- limits on the whole request, before it is read --------------------------------------


@pytest.mark.parametrize(("path", "kind"), [
    ("/api/interview/open", "application/json"),
    ("/gradio_api/component_server", "application/json"),
    ("/gradio_api/upload", "multipart/form-data; boundary=x"),
])  # fmt: skip
def test_a_huge_body_is_refused_before_it_is_read(server, path, kind):
    status, elapsed = declared_but_not_sent(server, path, 300 * 1024 * 1024, kind)
    assert status == 413 and elapsed < 5
    sample(server, f"body:{path}")


def test_one_upload_request_carries_a_bounded_number_of_files(server):
    boundary = uuid.uuid4().hex
    parts = b"".join(
        (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
         f"filename=\"x{i}.md\"\r\nContent-Type: text/markdown\r\n\r\n").encode() + b"x" * 1024
        + b"\r\n" for i in range(60)
    ) + f"--{boundary}--\r\n".encode()  # fmt: skip
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    before = _everything_under(server.uploads)
    status, _, _ = fetch(server.url + "/gradio_api/upload", parts, headers)
    assert status == 413
    assert len(set(_everything_under(server.uploads)) - set(before)) <= 20  # UPLOAD_MAX_FILES
    sample(server, "60 files")


def test_a_body_without_a_declared_length_is_refused(server):
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/interview/open HTTP/1.1\r\nHost: x\r\nContent-Type: "
                  b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        reply = s.recv(200)
    assert b" 411 " in reply.split(b"\r\n")[0]


# --- forwarded headers from strangers --------------------------------------------------


def test_a_spoofed_forwarded_address_does_not_reset_the_upload_limit(server):
    statuses = [
        upload(server.url, 64, {"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(40)
    ]
    assert 429 in statuses  # every spoofed address is the same client: this connection's
    sample(server, "spoofed uploads")
    time.sleep(UPLOAD_WINDOW_SECONDS + 1)  # the pages' own uploads in later tests go through


# --- the candidate API -------------------------------------------------------------------


@pytest.fixture(scope="module")
def invite(server: Server) -> str:
    token = server.invite(f"hostile-{uuid.uuid4().hex[:6]}@example.com")
    status, _, opened = post_json(server.page_url("/api/interview/open"), {"invite": token})
    assert status == 200, opened
    return token


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "yes"}, "seen"),  # three parallel messages without it were stored as three
    ({"text": None, "seen": 0}, "text"),  # was stored as "None"
    ({"text": "yes", "seen": True}, "seen"),  # was taken as 1
])  # fmt: skip
def test_the_api_takes_only_well_typed_messages(server, invite, body, field):
    url = server.page_url("/api/interview/reply")
    status, _, reply = post_json(url, {"invite": invite, **body})
    assert status == 422 and field in reply["error"], reply


def test_a_lone_surrogate_and_direction_overrides_are_stored_harmlessly(server, invite):
    status, _, opened = post_json(server.page_url("/api/interview/open"), {"invite": invite})
    raw = json.dumps({"invite": invite, "seen": opened["version"]})[:-1]
    raw += ', "text": "yes \\ud800 \\u202egpj.exe"}'
    status, _, reply = post_json(server.page_url("/api/interview/reply"), raw)
    assert status == 200, reply
    status, _, again = post_json(server.page_url("/api/interview/open"), {"invite": invite})
    said = [m["text"] for m in again["messages"] if m["speaker"] == "candidate"]
    assert said[-1] == "yes \ufffd gpj.exe"  # stored, shown, and the stream did not break


# --- what strangers learn -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gradio_api/info", "/openapi.json", "/info"])
def test_the_endpoint_catalogue_is_not_published(server, path):
    status, headers, _ = fetch(server.page_url(path))
    assert status == 404
    assert "content-security-policy" in {k.lower() for k in headers}


def test_another_origin_gets_no_cross_origin_grant(server):
    origin = {"Origin": "http://localhost:9999"}
    status, headers, _ = fetch(server.page_url("/config"), headers=origin)
    lower = {k.lower(): v for k, v in headers.items()}
    assert "access-control-allow-origin" not in lower
    assert "access-control-allow-credentials" not in lower


def test_the_server_stops_soon_after_sigterm():
    """A service manager's stop: measured on a server of its own (the shared one serves on)."""
    import signal
    import subprocess
    import tempfile

    from tests.live import BIN, _environment, _free_port, _wait_until_up

    root = Path(tempfile.mkdtemp())
    env = _environment(root / "home", REPO / "prompts" / "roles", REPO / "knowledge")
    port = _free_port()
    log = root / "serve.log"
    with log.open("w") as out:
        command = [str(BIN / "interviewer"), "serve", "--port", str(port)]
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", proc, log)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert time.monotonic() - started < 5, log.read_text()[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
