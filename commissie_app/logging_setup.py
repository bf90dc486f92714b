"""Rotating log file in the platform's user log directory."""

from __future__ import annotations

import logging
from pathlib import Path

from commissie_app.paths import log_dir

_configured: Path | None = None

MAX_BYTES = 2_000_000
BACKUP_COUNT = 5


def log_file() -> Path:
    return log_dir() / "commissie-app.log"


class RotatingLog(logging.Handler):
    """The rotating log file (``logging.handlers.RotatingFileHandler``), made at the first record.

    ``logging.handlers`` imports sockets, pickle and queues; a start of the app that logs nothing before
    its first frame does not wait for them (docs/performance.md, "Start-up: what the first frame imports").
    """

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:  # called with this handler's lock held
        if self.file is None:
            import logging.handlers

            self.file = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
            self.file.setFormatter(self.formatter)
        self.file.emit(record)

    def flush(self) -> None:
        if self.file is not None:
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    path = log_file()
    if _configured == path:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingLog(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
