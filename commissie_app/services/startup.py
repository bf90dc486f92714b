"""The desktop app's start-up before SQLAlchemy: the application list of a SQLite file read with the
standard ``sqlite3`` module, and the check of the whole file once the window shows.

Neither this module nor what it imports loads SQLAlchemy: its import alone costs as much as the whole
bare Qt window, so the first rows are painted before it (docs/performance.md, "Start-up to the rows
(issue 8)"). ``tests/test_architecture.py`` keeps it that way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from commissie_app.db import integrity, list_query
from commissie_app.db.integrity import DatabaseDamagedError

__all__ = ["DatabaseDamagedError", "check_database", "rows_without_orm"]  # the error check_database raises, for the UI

if TYPE_CHECKING:
    from commissie_app.db.list_query import ApplicationRow
    from commissie_app.services.context import ServiceContext


def rows_without_orm(db_url: str) -> list[ApplicationRow] | None:
    """The application list of a plain SQLite file at the package's schema revision, read-only with
    ``sqlite3``; None for every other case (another database, no such file, an upgrade due, a damaged
    file): the caller then opens the database the full way (``bootstrap.open_for_app``)."""
    path = list_query.sqlite_file(db_url)
    return list_query.read_current_sqlite(path) if path is not None else None


def check_database(ctx: ServiceContext) -> None:
    """The whole database file checked (SQLite ``quick_check``); a damaged file raises
    DatabaseDamagedError naming the file and its latest backup."""
    integrity.check(ctx.db.engine)
