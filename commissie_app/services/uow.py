"""The unit of work: one session per user action, rolled back unless committed.

A unit of work opened while this thread already has one open on the same database *joins* it:
it shares the session, its ``commit()`` only flushes, and the outermost unit commits or rolls back
everything. So services compose: the demo data and the meetings call the public services inside
one transaction. An error that leaves a joined unit dooms the whole transaction.

Every flush records what changed (``services/audit.py``, from the ORM's new, dirty and deleted
objects), attributed to the actor and action of the unit that was active. At commit the outermost
unit writes the audit events from those changes (``audit.write_events``, the one place) and
publishes a ``Changes`` value (``services/changes.py``) that views use to refresh what changed.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from commissie_app.db.engine import Database
from commissie_app.domain.errors import DatabaseBusyError, StaleEditError
from commissie_app.services import audit
from commissie_app.services import open_unit as open_unit_state
from commissie_app.services.changes import Changes, publish
from commissie_app.services.context import ServiceContext

log = logging.getLogger(__name__)

_open = open_unit_state.current


class UnitOfWork:
    session: Session
    action: str | None
    """The service's own name for what it does ("status", "vote", "close"); its changes' audit action
    (create, update or delete when not set)."""

    def __init__(self, ctx: ServiceContext | Database):
        self.ctx = ctx if isinstance(ctx, ServiceContext) else ServiceContext(ctx)
        self.action = None
        self.changes = Changes()  # what the last commit changed (the outermost unit's)
        self._committed = False
        self._outer: UnitOfWork | None = None

    # -- opening and joining

    @property
    def joined(self) -> bool:
        """Whether this unit takes part in an outer one (and leaves the commit to it)."""
        return self._outer is not None

    def __enter__(self) -> "UnitOfWork":
        outer = open_unit_state.open_unit(self.ctx.db)
        if outer is not None:
            self._outer = outer
            self.session = outer.session
            self.session.flush()  # what the outer unit did so far is its own
            self._serial = next(outer._serials)
            self._previous, outer._active = outer._active, self
            return self
        self.session = self.ctx.db.session()
        self._active: UnitOfWork = self
        self._serials = itertools.count(1)
        self._serial = 0
        self._doomed = False
        self._collected: list[audit.Change | None] = []
        self._index: dict[tuple, int] = {}  # (call, entity type, id) -> position in _collected
        self._notes: list[dict] = []
        self._lasting: list[dict] = []  # events written even when this unit rolls back
        event.listen(self.session, "after_flush", self._after_flush)
        self._token = _open.set(self)
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._outer is not None:
            self._outer._active = self._previous
            if exc_type is not None and not self._committed:
                self._outer._doomed = True
            return False
        _open.reset(self._token)
        try:
            if exc_type is not None and not self._committed:
                self.session.rollback()
        finally:
            # close() also ends an uncommitted transaction (nothing is kept), but leaves
            # read-only results usable after the block instead of expiring them.
            self.session.close()
        if self._lasting:  # not committed with the work: in a transaction of their own, now the lock is free
            try:
                _write_lasting(self.ctx, self._lasting)
            except Exception:  # the error that ended the unit must reach the user, not this one
                log.exception("could not record %d audit event(s) after a rollback", len(self._lasting))
        if isinstance(exc, StaleDataError):
            raise StaleEditError() from exc
        if is_busy(exc):
            raise DatabaseBusyError() from exc
        return False

    def _after_flush(self, session: Session, _context) -> None:
        active = self._active
        for change in audit.collect(session, active.ctx.actor.name, active.action):
            key = (active._serial, change.entity_type, change.entity_id)
            at = self._index.get(key)
            if at is None:
                self._index[key] = len(self._collected)
                self._collected.append(change)
            elif self._collected[at] is not None:  # the same call changed the row again (another flush)
                self._collected[at] = audit.merge(self._collected[at], change)

    # -- committing

    def commit(self) -> None:
        """Commit (the outermost unit) or make this part ready for the outer commit (a joined unit)."""
        try:
            self.session.flush()
            if self._outer is None:
                if self._doomed:
                    raise RuntimeError("a unit of work that took part in this one failed; nothing is saved")
                collected = [c for c in self._collected if c is not None and (c.kind != "update" or c.new)]
                audit.write_events(self.session,
                                   [audit.change_row(c) for c in collected] + self._notes + self._lasting)
                self.session.commit()
                self._collected, self._notes, self._lasting, self._index = [], [], [], {}
                self.changes = _changes_of(collected)
                publish(self.changes)
        except StaleDataError as err:
            self.session.rollback()
            raise StaleEditError() from err
        self._committed = True

    def record_event(self, action: str, entity_type: str, entity_id: Any, values: dict | None = None, *,
                     old: dict | None = None) -> None:
        """An audit event that is not one record's change (a failed integrity check, a new version of the
        rules compared with the one before); written with the changes, at commit."""
        root = self._outer or self
        root._notes.append(audit.event_row(self.ctx.actor.name, action, entity_type, entity_id, old, values))


def record_lasting_event(ctx: ServiceContext, action: str, entity_type: str, entity_id: Any,
                         values: dict | None = None) -> None:
    """An audit event that stays recorded even when the work around it is rolled back (a refused action).
    Inside an open unit it is written with that unit's commit, or after its rollback in a transaction of
    its own (a second transaction while the unit holds SQLite's write lock would wait for it)."""
    row = audit.event_row(ctx.actor.name, action, entity_type, entity_id, None, values)
    outer = open_unit_state.open_unit(ctx.db)
    if outer is not None:
        outer._lasting.append(row)
    else:
        _write_lasting(ctx, [row])


def _write_lasting(ctx: ServiceContext, rows: list[dict]) -> None:
    with UnitOfWork(ctx) as uow:
        uow._notes.extend(rows)
        uow.commit()


def in_unit_of_work(ctx: ServiceContext) -> bool:
    """Whether a service called now with ``ctx`` takes part in an open unit of work (it was called by
    another service)."""
    return open_unit_state.open_unit(ctx.db) is not None


def _changes_of(collected: list[audit.Change]) -> Changes:
    created = {(c.entity_type, c.entity_id) for c in collected if c.kind == "create"}
    deleted = {(c.entity_type, c.entity_id) for c in collected if c.kind == "delete"}
    updated = {(c.entity_type, c.entity_id) for c in collected if c.kind == "update"}
    updated |= {c.parent for c in collected if c.parent is not None}
    return Changes(frozenset(created), frozenset(updated - created - deleted), frozenset(deleted))


# SQLite: another connection holds the write lock longer than busy_timeout. PostgreSQL: a lock
# timeout, a serialization failure or a deadlock between two transactions.
_BUSY_SQLSTATES = {"55P03", "40001", "40P01"}


def is_busy(exc: BaseException | None) -> bool:
    """Whether a database error means "someone else is writing right now" (worth waiting for)."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    name = getattr(orig, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES
