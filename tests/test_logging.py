"""What `atrium serve` prints: one format for every line (uvicorn's included), readable text on a terminal and JSON
lines otherwise unless ATRIUM_LOG_FORMAT says which; routes by template, never a path that carries a secret."""

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, Field, ValidationError

from entrypoints.logs import safe_traceback

from tests.reliability.live import free_port

ROOT = Path(__file__).resolve().parents[1]
FEED_TOKEN = "cal_" + "s3cr3t" * 7
FEED_ROUTE = "/api/v1/calendar-feeds/{token}.ics"


def serve_and_capture(tmp_path: Path, *, terminal: bool, log_format: str | None = None) -> str:
    """Run `atrium serve` (memory storage) with stderr on a pipe or a terminal, ask for a feed URL, stop it;
    what it printed."""
    port = free_port()
    env = {**os.environ, "ATRIUM_STORAGE": "memory", "ATRIUM_DATA_DIR": str(tmp_path), "PORT": str(port),
           "ATRIUM_JWT_SECRET": "log-test-" + "x" * 32, "ATRIUM_LOG_LEVEL": "info"}
    env.pop("ATRIUM_LOG_FORMAT", None)
    if log_format:
        env["ATRIUM_LOG_FORMAT"] = log_format
    if terminal:
        reader, writer = pty.openpty()
    else:
        reader, writer = os.pipe()
    server = subprocess.Popen([str(Path(sys.executable).parent / "atrium"), "serve"], cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL, stdout=writer, stderr=writer)
    os.close(writer)
    chunks: list[bytes] = []
    drain = threading.Thread(target=_drain, args=(reader, chunks), daemon=True)
    drain.start()
    try:
        _wait_for(f"http://127.0.0.1:{port}/health", server)
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/calendar-feeds/{FEED_TOKEN}.ics").status_code == 404
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        drain.join(10)
        os.close(reader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def _drain(fd: int, chunks: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a terminal whose other end closed
            return
        if not chunk:
            return
        chunks.append(chunk)


def _wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "atrium serve exited"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds} s")


@pytest.mark.parametrize("terminal, log_format", [(False, None), (True, "json")], ids=["pipe", "terminal-json"])
def test_every_line_is_json_off_a_terminal_or_when_asked(tmp_path, terminal, log_format):
    printed = serve_and_capture(tmp_path, terminal=terminal, log_format=log_format)
    lines = [json.loads(line) for line in printed.splitlines() if line.strip()]  # each one a JSON object
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.error", "atrium.cli", "atrium.access"} <= loggers, loggers
    assert any(line.get("route") == FEED_ROUTE and line.get("status") == 404 for line in lines)
    assert FEED_TOKEN not in printed


def test_a_terminal_gets_readable_text(tmp_path):
    printed = serve_and_capture(tmp_path, terminal=True)
    lines = [line for line in printed.splitlines() if line.strip()]
    assert not [line for line in lines if line.lstrip().startswith("{")], printed
    assert any(" INFO uvicorn.error: " in line for line in lines), printed
    assert any("atrium.access: request" in line and f"route={FEED_ROUTE}" in line and "status=404" in line
               for line in lines), printed
    assert FEED_TOKEN not in printed


def test_a_logged_validation_error_names_the_field_but_not_its_input():
    class Login(BaseModel):
        password: str = Field(max_length=8)

    secret = "".join(["correct horse ", "battery staple"])  # not in the source lines the traceback quotes
    try:
        Login(password=secret)
    except ValidationError as error:
        logged = safe_traceback(error)
    assert "password: string_too_long" in logged
    assert secret not in logged


def test_lines_written_off_the_request_path_come_out_whole_and_in_order(tmp_path):
    """The handler formats and writes on its own thread: after `flush`, every record handed over is one JSON line,
    in the order they were logged; after `close`, nothing queued is lost."""
    import io
    import logging

    from entrypoints.logs import BackgroundHandler, JsonFormatter

    stream = io.StringIO()
    handler = BackgroundHandler(stream, JsonFormatter())
    logger = logging.getLogger("atrium.test-background")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for number in range(500):
            logger.warning("line %d", number, extra={"fields": {"n": number}})
        handler.flush()
        assert [json.loads(line)["n"] for line in stream.getvalue().splitlines()] == list(range(500))
        logger.warning("last")
        handler.close()
        assert json.loads(stream.getvalue().splitlines()[-1])["message"] == "last"
    finally:
        logger.removeHandler(handler)
