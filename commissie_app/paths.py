"""Where the app keeps its files (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

from commissie_app import APP_ID


def _base(kind: str) -> Path:
    override = os.environ.get("COMMISSIE_HOME")
    if override:
        return Path(override) / kind
    import platformdirs  # here, not at the top: a few ms of start-up before the window shows

    fn = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir, "log": platformdirs.user_log_dir}[kind]
    return Path(fn(APP_ID, appauthor=False))


def data_dir() -> Path:
    return _base("data")


def config_dir() -> Path:
    return _base("config")


def log_dir() -> Path:
    return _base("log")


def default_db_path() -> Path:
    return data_dir() / "commissie.sqlite"


DB_URL_ENV = "COMMISSIE_DB_URL"


def configured_db_url(explicit: str | None = None) -> str:
    """--db wins over COMMISSIE_DB_URL, which wins over the SQLite file in the data directory (as given:
    ``db.engine.resolve_url`` normalises it)."""
    return explicit or os.environ.get(DB_URL_ENV) or f"sqlite:///{default_db_path()}"
