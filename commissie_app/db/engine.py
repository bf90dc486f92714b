"""The engine and the database URL. Core only: the ORM is imported when the first session is made,
so reading the application list at start-up (Core rows) does not pay for it."""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from commissie_app.db import connect_errors, integrity
from commissie_app.domain.errors import DatabaseRefusedError
from commissie_app.paths import configured_db_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def resolve_url(explicit: str | None = None) -> str:
    """--db wins over COMMISSIE_DB_URL, which wins over the SQLite file in the data directory."""
    return normalise_url(configured_db_url(explicit))


def normalise_url(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def sqlite_path(url) -> Path | None:
    """The file of a SQLite URL (a string or a URL object); None for other databases and ``:memory:``."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database)
    return None


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# PostgreSQL's insufficient_privilege: a login in a group of 'commissie-app db grant' went further
# than its group allows ("permission denied for table votes").
_INSUFFICIENT_PRIVILEGE = "42501"


def _refused_for_login(context) -> None:
    if getattr(context.original_exception, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
        raise DatabaseRefusedError(str(context.original_exception).strip()) from context.original_exception


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    u = make_url(url)
    connect_args = {}
    if u.get_driver_name() in ("psycopg", "psycopg2") and "connect_timeout" not in u.query:
        # A server that does not answer: the user waits seconds, not psycopg's 130 (a URL's connect_timeout wins).
        connect_args["connect_timeout"] = connect_errors.CONNECT_TIMEOUT_S
    engine = create_engine(url, future=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", integrity.raise_damage)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", _refused_for_login)
        event.listen(engine, "handle_error", connect_errors.raise_connect_error)  # Dutch, naming the server
    return engine


class Database:
    """One engine. Services open one session per user action; list reads use a Core connection."""

    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = normalise_url(url) if url else (engine.url.render_as_string(hide_password=False) if engine else resolve_url())
        self.engine = engine or make_engine(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def location(self) -> str:
        """The file of a SQLite database, otherwise the URL without its password (for the user)."""
        path = sqlite_path(self.url)
        return str(path) if path is not None else make_url(self.url).render_as_string(hide_password=True)

    def session(self) -> Session:
        from sqlalchemy.orm import Session  # the ORM: not needed to open the app and show the list

        from commissie_app.db import audit_chain  # noqa: F401 - its hook chains every new audit event
        return Session(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()
