"""The application list as plain SQL, and reading it at start-up without SQLAlchemy.

One definition of the list's query: ``services/application_rows.py`` runs it through SQLAlchemy
(``text()``) on every database; the desktop app runs it at start-up on a SQLite file through the
standard ``sqlite3`` module, read-only, so that the first rows are painted before SQLAlchemy is
imported (importing it costs as much as the whole bare Qt window: docs/performance.md, "Start-up
to the rows (issue 8)"). Both paths build the same ``ApplicationRow`` objects.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple

from commissie_app.db import revision
from commissie_app.domain.codes import Criterion, DecisionType, Municipality, Status, outcome_label

if TYPE_CHECKING:
    import uuid

# The id as text of 32 lowercase hex digits (``uuid.UUID.hex``): what SQLAlchemy's Uuid type stores on
# SQLite; PostgreSQL's native uuid is cast. The criteria of an application gathered in one string.
_ID = {"sqlite": "a.id", "postgresql": "replace(CAST(a.id AS text), '-', '')"}
_AGGREGATE = {"sqlite": "group_concat(e.criterion, ',')", "postgresql": "string_agg(e.criterion, ',')"}

_SELECT = """SELECT {id} AS id, o.name, o.kvk, o.place, o.municipality, a.status, a.received_on,
       (SELECT {aggregate} FROM evidence e WHERE e.application_id = a.id) AS criteria
FROM applications a JOIN organisations o ON a.organisation_id = o.id"""

# The outcome (issue 12): the type of an application's latest decision as the record stands. Read apart and
# joined in Python (decisions are few next to applications: cheaper than a lookup per row in SQL). A
# correction of a closed meeting's decision (``corrections``) names the decision by ``str(uuid.UUID)`` and
# keeps the new type as JSON; it wins over the stored type.
_DECISIONS = """SELECT {app_id} AS application_id, {decision_id} AS decision_id, d.decision_type
FROM decisions d"""
_DECISION_ORDER = " ORDER BY d.decided_on, d.year, d.number"
CORRECTED_TYPES_SQL = """SELECT c.entity_id, c.new_value FROM corrections c
WHERE c.entity_type = 'decision' AND c.field = 'decision_type' ORDER BY c.seq"""

# A plain SQLite URL (``sqlite:///relative`` or ``sqlite:////absolute``); anything else (options,
# ``:memory:``) is left to SQLAlchemy.
_SQLITE_URL = re.compile(r"sqlite(?:\+pysqlite)?:///([^?]+)")


def list_sql(dialect: str) -> str:
    """The list's SELECT for this database (``sqlite`` or ``postgresql``), in no particular order (the
    list sorts in memory: an ORDER BY here costs SQLite more than that sort)."""
    return _SELECT.format(id=_ID[dialect], aggregate=_AGGREGATE[dialect])


def decisions_sql(dialect: str, where: str = "") -> str:
    """(application id text, decision id text, type) of every decision, oldest first; ``where`` filters."""
    ids = {"sqlite": "{c}", "postgresql": "replace(CAST({c} AS text), '-', '')"}[dialect]
    return (_DECISIONS.format(app_id=ids.format(c="d.application_id"), decision_id=ids.format(c="d.id"))
            + where + _DECISION_ORDER)


def latest_outcomes(decisions: Iterable[tuple], corrected: Iterable[tuple]) -> dict[str, DecisionType]:
    """Application id text -> the type of its latest decision, corrections applied (a JSON string value
    comes as its text on SQLite and decoded on PostgreSQL)."""
    fixed = {entity_id.replace("-", ""): str(value).strip('"') for entity_id, value in corrected}
    return {app_id: _OUTCOMES[fixed.get(decision_id, dtype)] for app_id, decision_id, dtype in decisions}


# Looked up by value in a dict: calling an Enum class per cell costs more than reading the row.
_STATUS = {s.value: s for s in Status}
_MUNICIPALITY = {m.value: m for m in Municipality}
_OUTCOMES = {d.value: d for d in DecisionType}
_CRITERION_ORDER = {c.value: i for i, c in enumerate(Criterion)}


class ApplicationRow(NamedTuple):
    """One line of the application list (what the table shows and filters on). A named tuple: made
    10,000 times at start-up, at a third of the cost of a frozen dataclass. ``id`` is the database's
    text of the id (``uuid.UUID.hex``): turning 10,000 of them into ``uuid.UUID`` at start-up costs
    more than reading them; ``application_id`` gives the ``uuid.UUID`` where one is needed."""

    id: str
    organisation: str
    kvk: str
    place: str
    municipality: Municipality
    status: Status
    received_on: dt.date
    criteria: tuple[Criterion, ...]
    outcome: DecisionType | None = None  # the latest decision (issue 12)

    @property
    def status_text(self) -> str:
        """The status, or the outcome of a decided (or deferred) application: 'toegekend', 'ingetrokken', ..."""
        return outcome_label(self.status, self.outcome)

    @property
    def application_id(self) -> uuid.UUID:
        import uuid  # here: its import (with ``platform``) is not needed to show the rows

        return uuid.UUID(hex=self.id)


def to_rows(records: Iterable[tuple], convert_date=None, outcomes: dict | None = None) -> list[ApplicationRow]:
    """``ApplicationRow`` objects from the list query's records; ``convert_date`` turns the driver's
    raw dates into ``datetime.date`` where the driver does not; ``outcomes`` from ``latest_outcomes``."""
    outcomes = outcomes or {}
    return [
        ApplicationRow(app_id, name, kvk, place, _MUNICIPALITY[municipality],
                       _STATUS[status], convert_date(received_on) if convert_date else received_on, _criteria(codes),
                       outcomes.get(app_id))
        for app_id, name, kvk, place, municipality, status, received_on, codes in records
    ]


@cache  # a few dozen combinations among all rows
def _criteria(codes: str | None) -> tuple[Criterion, ...]:
    if not codes:
        return ()
    return tuple(Criterion(c) for c in sorted(codes.split(","), key=_CRITERION_ORDER.__getitem__))


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL; None for every other URL (those go through SQLAlchemy)."""
    found = _SQLITE_URL.fullmatch(url)
    return Path(found.group(1)) if found and found.group(1) != ":memory:" else None


def read_current_sqlite(path: Path) -> list[ApplicationRow] | None:
    """The list of a SQLite file at the package's schema revision, read with ``sqlite3`` only
    (read-only, one connection, two queries). None when this is not the plain case — no such file,
    an upgrade due, a damaged file, any error: the caller then opens the database the full way
    (``bootstrap.open_database``), which says what is wrong or upgrades, as every front door does."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        stamped = revision.stamped([r for (r,) in conn.execute(revision.REVISION_SQL)])
        if stamped != revision.head_revision():
            return None
        # Dates are ISO text on SQLite.
        outcomes = latest_outcomes(conn.execute(decisions_sql("sqlite")), conn.execute(CORRECTED_TYPES_SQL))
        return to_rows(conn.execute(list_sql("sqlite")), dt.date.fromisoformat, outcomes)
    except (sqlite3.Error, ValueError, KeyError):
        return None
    finally:
        conn.close()
