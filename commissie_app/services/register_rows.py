"""The rows of the Register page (issue 12): ``recognitions.list_register`` made fast for 10,000 recognitions.

Same rows, same statuses (``domain/recognition.status_of``), but read like the application list
(``services/application_rows.py``): one Core ``text()`` query, no ORM objects, plain named tuples with the
id as the database's text, the criteria's JSON parsed once per distinct value. The page filters and sorts in
memory (``ui/register_model.py``); ``ids`` re-reads only the recognitions a change touched.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Date, String, Uuid, bindparam, column, text

from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion, Municipality
from commissie_app.domain.recognition import Purpose, RecognitionDates, RecognitionKind, RecognitionStatus

if TYPE_CHECKING:
    from commissie_app.services.context import ServiceContext

_ID = {"sqlite": "r.id", "postgresql": "replace(CAST(r.id AS text), '-', '')"}
_JSON = {"sqlite": "r.criteria", "postgresql": "CAST(r.criteria AS text)"}
_SQL = """SELECT {id} AS id, o.name, o.kvk, o.place, o.municipality, {criteria} AS criteria, r.kind, d.kenmerk,
       r.valid_from, r.valid_until, r.certificate_until, r.conditional_deadline, r.withdrawn_on
FROM recognitions r JOIN organisations o ON o.id = r.organisation_id JOIN decisions d ON d.id = r.decision_id"""
_COLUMNS = (column("id", String), column("name", String), column("kvk", String), column("place", String),
            column("municipality", String), column("criteria", String), column("kind", String),
            column("kenmerk", String), column("valid_from", Date), column("valid_until", Date),
            column("certificate_until", Date), column("conditional_deadline", Date), column("withdrawn_on", Date))

_MUNICIPALITY = {m.value: m for m in Municipality}
_KIND = {k.value: k for k in RecognitionKind}


class RegisterLine(NamedTuple):
    """One line of the register (what the page shows, filters and sorts on)."""

    id: str  # uuid.UUID.hex
    name: str
    kvk: str
    place: str
    municipality: Municipality
    criteria: tuple[Criterion, ...]
    kind: RecognitionKind
    status: RecognitionStatus
    kenmerk: str
    valid_from: dt.date
    valid_until: dt.date
    certificate_until: dt.date | None
    conditional_deadline: dt.date | None
    withdrawn_on: dt.date | None

    @property
    def recognition_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.id)


@cache  # a few dozen distinct lists among all rows
def _criteria(value: str | list | None) -> tuple[Criterion, ...]:
    codes = set(json.loads(value) if isinstance(value, str) else value or ())
    return tuple(c for c in Criterion if c.value in codes)


def register_lines(ctx: ServiceContext, ids: list[uuid.UUID] | None = None, *,
                   today: dt.date | None = None) -> list[RegisterLine]:
    """Every recognition (or those of ``ids``), in no particular order, with its status today."""
    today, rules = today or ctx.today(), ctx.rules
    dialect = ctx.db.dialect
    sql = _SQL.format(id=_ID[dialect], criteria=_JSON[dialect])
    if ids is None:
        stmt = text(sql)
    else:
        stmt = text(sql + " WHERE r.id IN :ids").bindparams(bindparam("ids", ids, type_=Uuid, expanding=True))
    status_of = rrules.status_of
    with ctx.db.engine.connect() as conn:
        records = conn.execute(stmt.columns(*_COLUMNS)).all()
    lines = []
    for rid, name, kvk, place, mun, crit, kind, kenmerk, start, until, cert, deadline, withdrawn in records:
        kind = _KIND[kind]
        lines.append(RegisterLine(
            rid, name, kvk, place, _MUNICIPALITY[mun], _criteria(crit), kind,
            status_of(RecognitionDates(kind, until, cert, withdrawn), today, rules), kenmerk, start, until, cert,
            deadline, withdrawn))
    return lines


def fitting_purpose(kind: RecognitionKind, valid_until: dt.date, certificate_until: dt.date | None,
                    conditional_deadline: dt.date | None) -> Purpose:
    """The follow-up a due recognition calls for: a conditional one converts (its evidence is owed); a
    certificate that ends before the badge asks for a reassessment; else the badge is renewed."""
    if kind is RecognitionKind.CONDITIONAL and conditional_deadline is not None:
        return Purpose.CONVERSION
    if certificate_until is not None and certificate_until < valid_until:
        return Purpose.REASSESSMENT
    return Purpose.RENEWAL
