"""The rows of the application list: the list query of ``db/list_query.py`` through SQLAlchemy.

No session and no ORM objects: one Core ``text()`` query of the columns the list shows, on every
database. (At start-up on a SQLite file the desktop app runs the same query with ``sqlite3``
before SQLAlchemy is imported: ``db/list_query.read_current_sqlite``.)
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Date, String, Uuid, bindparam, column, text

from commissie_app.db.list_query import (
    CORRECTED_TYPES_SQL,
    ApplicationRow,
    decisions_sql,
    latest_outcomes,
    list_sql,
    to_rows,
)

if TYPE_CHECKING:
    from commissie_app.services.context import ServiceContext

__all__ = ["ApplicationRow", "list_rows"]

# The types the driver's values are turned into: the same on SQLite (text) and PostgreSQL (date); the
# id is text on both (the query casts it).
_COLUMNS = (column("id", String), column("name", String), column("kvk", String), column("place", String),
            column("municipality", String), column("status", String), column("received_on", Date),
            column("criteria", String))


def list_rows(ctx: ServiceContext, ids: list[uuid.UUID] | None = None) -> list[ApplicationRow]:
    """All applications for the list view in one query; ``ids`` limits it to those (a refresh after a
    change): an id that no longer exists is simply absent from the result."""
    dialect = ctx.db.dialect
    sql, decisions = list_sql(dialect), decisions_sql(dialect)
    if ids is None:
        stmt, dstmt = text(sql), text(decisions)
    else:
        ids_param = bindparam("ids", ids, type_=Uuid, expanding=True)
        stmt = text(sql + " WHERE a.id IN :ids").bindparams(ids_param)
        dstmt = text(decisions_sql(dialect, " WHERE d.application_id IN :ids")).bindparams(ids_param)
    with ctx.db.engine.connect() as conn:
        outcomes = latest_outcomes(conn.execute(dstmt), conn.execute(text(CORRECTED_TYPES_SQL)))
        return to_rows(conn.execute(stmt.columns(*_COLUMNS)), outcomes=outcomes)
