"""Rotating log file in the platform's user log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from commissie_app.paths import log_dir

_configured: Path | None = None


def log_file() -> Path:
    return log_dir() / "commissie-app.log"


def setup_logging(level: int = logging.INFO) -> Path:
    global _configured
    path = log_file()
    if _configured == path:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
