"""The rows of the application list, read with one Core query (no ORM objects, no session).

This is what the desktop app reads before its window is shown, so it needs SQLAlchemy Core only:
the tables are named here as lightweight ``table()``/``column()`` constructs of the few columns
the list shows, with the same types as in ``db/models.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Date, String, Uuid, column, func, select, table

from commissie_app.domain.codes import Criterion, Municipality, Status
from commissie_app.services.context import ServiceContext

_applications = table("applications", column("id", Uuid), column("organisation_id", Uuid),
                      column("status", String), column("received_on", Date))
_organisations = table("organisations", column("id", Uuid), column("name", String), column("kvk", String),
                       column("place", String), column("municipality", String))
_evidence = table("evidence", column("application_id", Uuid), column("criterion", String))

# Looked up by value in a dict: calling an Enum class per cell costs more than reading the row.
_STATUS = {s.value: s for s in Status}
_MUNICIPALITY = {m.value: m for m in Municipality}
_CRITERION_ORDER = {c.value: i for i, c in enumerate(Criterion)}


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """One line of the application list (what the table shows and filters on)."""

    id: uuid.UUID
    organisation: str
    kvk: str
    place: str
    municipality: Municipality
    status: Status
    received_on: dt.date
    criteria: tuple[Criterion, ...]


def list_rows(ctx: ServiceContext, ids: list[uuid.UUID] | None = None) -> list[ApplicationRow]:
    """All applications for the list view in one query; ``ids`` limits it to those (a refresh after a
    change): an id that no longer exists is simply absent from the result."""
    a, o, e = _applications, _organisations, _evidence
    criteria = (select(func.aggregate_strings(e.c.criterion, ","))
                .where(e.c.application_id == a.c.id).scalar_subquery())
    stmt = (select(a.c.id, o.c.name, o.c.kvk, o.c.place, o.c.municipality, a.c.status, a.c.received_on, criteria)
            .join_from(a, o, a.c.organisation_id == o.c.id))
    if ids is not None:
        stmt = stmt.where(a.c.id.in_(ids))
    with ctx.db.engine.connect() as conn:
        result = conn.execute(stmt).all()
    return [
        ApplicationRow(app_id, name, kvk, place, _MUNICIPALITY[municipality], _STATUS[status], received_on,
                       _criteria(codes))
        for app_id, name, kvk, place, municipality, status, received_on, codes in result
    ]


@cache  # a few dozen combinations among all rows
def _criteria(codes: str | None) -> tuple[Criterion, ...]:
    if not codes:
        return ()
    return tuple(Criterion(c) for c in sorted(codes.split(","), key=_CRITERION_ORDER.__getitem__))
