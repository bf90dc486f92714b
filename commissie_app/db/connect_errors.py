"""A PostgreSQL server that cannot be connected to becomes a Dutch domain error (``domain/server_errors.py``).

``raise_connect_error`` is a ``handle_error`` hook of PostgreSQL engines (``db/engine.py``): a failed
connect raises the error that says why, naming host:port and the database, in the app and the CLI alike.
The driver's own (English) text goes to the log file only. libpq gives no SQLSTATE for a failed connect,
so the reason is read from its message; a text not recognised (another server language) counts as
"not reachable", the general case.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from commissie_app.domain.errors import DatabaseOpenError

from commissie_app.domain.server_errors import (
    Reason,
    ServerConnectError,
    ServerDatabaseMissingError,
    ServerLoginRefusedError,
    ServerUnreachableError,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5  # seconds libpq waits for a server that does not answer (the user waits that long)

# Fragments of libpq's, the server's and psycopg's English texts, by reason.
_FRAGMENTS = (
    ("password authentication failed", Reason.PASSWORD),
    ("no password supplied", Reason.PASSWORD),
    ('role "', Reason.PASSWORD),  # role "x" does not exist (servers that do not ask a password)
    ("no pg_hba.conf entry", Reason.NOT_ALLOWED),
    ("connection refused", Reason.REFUSED),
    ("timeout expired", Reason.TIMEOUT),
    ("failed to resolve host", Reason.UNKNOWN_HOST),
    ("could not translate host name", Reason.UNKNOWN_HOST),
    ("name or service not known", Reason.UNKNOWN_HOST),
)


def connect_timeout(url: URL) -> int:
    """The connect timeout in seconds: the URL's ``connect_timeout`` if it gives one, else ours (libpq
    waits at least 2 seconds)."""
    try:
        return max(2, int(_query(url, "connect_timeout") or CONNECT_TIMEOUT_S))
    except ValueError:
        return CONNECT_TIMEOUT_S


def server_of(url: URL) -> str:
    """host:port of a PostgreSQL URL, as libpq would use them (never the password)."""
    host = url.host or _query(url, "host") or "localhost"
    port = url.port or _query(url, "port") or 5432
    return host if host.startswith("/") else f"{host}:{port}"


def _query(url: URL, key: str) -> str | None:
    value = url.query.get(key)
    return value if isinstance(value, str) or value is None else value[0]


def connect_error(err: BaseException, url: URL) -> ServerConnectError:
    """The Dutch error for a failed connect to the server at ``url``."""
    text = str(err).lower()
    server, database = server_of(url), url.database or url.username or ""
    if "does not exist" in text and 'database "' in text:
        return ServerDatabaseMissingError(server, database)
    reason = next((r for fragment, r in _FRAGMENTS if fragment in text), Reason.OTHER)
    if reason in (Reason.PASSWORD, Reason.NOT_ALLOWED):
        return ServerLoginRefusedError(server, database, url.username or "", reason)
    return ServerUnreachableError(server, database, reason, host=url.host or _query(url, "host") or "localhost",
                                  timeout_s=connect_timeout(url))


def raise_connect_error(context) -> None:
    """``handle_error`` hook: a connect that failed (there is no connection yet) raises the Dutch error."""
    if context.connection is not None or context.engine is None:
        return
    err = context.original_exception
    if not isinstance(err, context.dialect.dbapi.OperationalError):  # psycopg's: the server was not reached
        return
    url = context.engine.url
    log.warning("cannot connect to %s (database %s): %s", server_of(url), url.database, str(err).strip())
    raise connect_error(err, url) from err


def sqlite_open_error(err: BaseException, path: Path) -> DatabaseOpenError | None:
    """The Dutch error for a SQLite file that could not be opened at start-up (locked, read-only, out of
    reach), from SQLite's result code anywhere in the chain of ``err``; None when it is none of those."""
    while err is not None and not isinstance(err, sqlite3.Error):
        err = getattr(err, "orig", None) or err.__cause__
    code = (getattr(err, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseOpenError.locked(path)
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return DatabaseOpenError.read_only(path)
    if code == sqlite3.SQLITE_CANTOPEN:
        return DatabaseOpenError.unreachable_file(path)
    return None
