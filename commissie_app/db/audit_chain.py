"""The audit trail as a hash chain: each event carries the SHA-256 of the event before it.

This is the one place where an audit event gets its place in the chain; writers need no code of
their own. Session hooks below chain every new ``AuditEvent`` added to an ORM session (before the
flush, or as it is inserted if another flush hook added it later) and the rows of an INSERT into
``audit_events`` run through ``session.execute`` (the import's Core batches). Code that inserts
on a bare ``Connection`` calls :func:`insert_events`. All end in :func:`chain_rows`.

The hash of an event is the SHA-256 (hex) of its **canonical form**: the JSON object of the fields
in ``CHAINED_FIELDS`` with sorted keys, no spaces, ASCII only (``json.dumps(sort_keys=True,
separators=(",", ":"))``), encoded as UTF-8, where ``id`` is the UUID with dashes, ``at`` the UTC
moment as ISO 8601 with microseconds (``2026-11-30T05:22:38.123456+00:00``), ``old_values`` and
``new_values`` the stored JSON values and ``prev_hash`` the previous event's hash (``GENESIS``, 64
zeros, for the first event). ``seq`` numbers the events 1, 2, 3, ... without gaps.

Appending is serialised by the one row of ``audit_chain_head`` (the last seq and hash): a writer
updates that row first, which takes a row lock on PostgreSQL (a second machine waits until the
first commits) and the write lock on SQLite. The unique ``seq`` refuses a fork should that ever fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import Connection, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from commissie_app.db.models import AuditChainHead, AuditEvent, utcnow

GENESIS = "0" * 64
CHAINED_FIELDS = ("seq", "id", "at", "actor", "action", "entity_type", "entity_id", "old_values", "new_values",
                  "prev_hash")
VERIFY_BATCH = 1000  # events read at a time by verify()

_events = AuditEvent.__table__
_head = AuditChainHead.__table__
_HEAD_ID = 1


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed for one event (see the module's docstring)."""
    at = event["at"]
    at = at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at.astimezone(dt.timezone.utc)
    doc = {name: event[name] for name in CHAINED_FIELDS}
    ident = event["id"]
    doc["id"] = str(ident if isinstance(ident, uuid.UUID) else uuid.UUID(str(ident)))
    doc["at"] = at.isoformat(timespec="microseconds")
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode()


def event_hash(event: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


# ---------------------------------------------------------------------------------------------
# Appending


def chain_rows(conn: Connection, rows: list[dict]) -> None:
    """Give new events (dicts of their columns, in the order they happened) an id and a time where they
    lack one, their ``seq``, ``prev_hash`` and ``hash``, and move the chain's head past them. The head
    stays locked until the transaction ends."""
    if not rows:
        return
    seq, prev = _lock_head(conn)
    for row in rows:
        if row.get("id") is None:
            row["id"] = uuid.uuid4()
        if row.get("at") is None:
            row["at"] = utcnow()  # after the lock: times follow the chain's order on each machine
        seq += 1
        row["seq"], row["prev_hash"] = seq, prev
        row["hash"] = prev = event_hash(row)
    conn.execute(update(_head).where(_head.c.id == _HEAD_ID).values(seq=seq, hash=prev))


def insert_events(conn: Connection, rows: list[dict]) -> None:
    """Chain and insert events with one Core ``executemany`` (for bulk writers such as the import)."""
    if rows:
        chain_rows(conn, rows)
        conn.execute(insert(_events), rows)


def _lock_head(conn: Connection) -> tuple[int, str]:
    # A no-op UPDATE, not SELECT ... FOR UPDATE: SQLite has no row locks, but an UPDATE takes its write lock.
    lock = (update(_head).where(_head.c.id == _HEAD_ID).values(seq=_head.c.seq)
            .returning(_head.c.seq, _head.c.hash))
    row = conn.execute(lock).first()
    if row is None:  # a new or emptied database: the head starts at the last event, if any
        last = conn.execute(select(_events.c.seq, _events.c.hash).order_by(_events.c.seq.desc()).limit(1)).first()
        start = {"id": _HEAD_ID, "seq": last.seq if last else 0, "hash": last.hash if last else GENESIS}
        conn.execute(_insert_if_absent(conn).values(**start))
        row = conn.execute(lock).one()
    return row.seq, row.hash


def _insert_if_absent(conn: Connection):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(_head).on_conflict_do_nothing()


_CHAIN_COLUMNS = ("id", "at", "seq", "prev_hash", "hash")


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _flush_context, _instances) -> None:
    """Every AuditEvent a session is about to insert is chained, in the order it was added, before the flush
    writes any other row (so the chain's head is the first lock a single-flush service takes)."""
    new = sorted((o for o in session.new if isinstance(o, AuditEvent)), key=lambda o: inspect(o).insert_order)
    if new:
        _chain_objects(session.connection(), new)


@event.listens_for(AuditEvent, "before_insert")
def _chain_late_event(_mapper, connection: Connection, target: AuditEvent) -> None:
    """An event added after ``_chain_new_events`` ran (by another ``before_flush`` hook) is chained as it is
    inserted."""
    if target.hash is None:
        _chain_objects(connection, [target])


@event.listens_for(Session, "do_orm_execute")
def _chain_inserted_rows(state: ORMExecuteState) -> None:
    """Rows inserted into ``audit_events`` with ``session.execute(insert(...), rows)`` (the import's Core batches,
    events written in bulk at commit) are chained before the statement runs."""
    if not state.is_insert or getattr(state.statement, "table", None) is not _events:
        return
    params = state.parameters
    rows = [dict(r) for r in ([params] if isinstance(params, Mapping) else params or [])]
    chain_rows(state.session.connection(), [r for r in rows if r.get("hash") is None])
    state.parameters = rows[0] if isinstance(params, Mapping) else rows


def _chain_objects(conn: Connection, new: list[AuditEvent]) -> None:
    rows = [{name: getattr(o, name) for name in CHAINED_FIELDS if name != "prev_hash"} for o in new]
    chain_rows(conn, rows)
    for o, row in zip(new, rows):
        for name in _CHAIN_COLUMNS:
            setattr(o, name, row[name])


# ---------------------------------------------------------------------------------------------
# Verifying


@dataclass(frozen=True)
class BrokenLink:
    """The first event where the chain does not hold. ``kind``: ``"missing"`` (events ``missing_from`` to
    ``seq - 1`` are gone), ``"link"`` (its ``prev_hash`` is not the previous event's hash), ``"content"``
    (its columns no longer give its hash), ``"tail"`` (the head names event ``head_seq``, but the chain
    ends at this event; ``head_seq`` is ``None`` when the head row itself is gone), ``"anchor"`` (the
    chain holds, but this event's hash is not the one recorded elsewhere for event ``anchor_seq``, or the
    chain ends at this event before ``anchor_seq``)."""

    kind: str
    seq: int  # 0 (and no other details) when no event is left at all
    at: dt.datetime | None
    actor: str | None
    action: str | None
    entity_type: str | None
    entity_id: str | None
    missing_from: int | None = None
    head_seq: int | None = None
    anchor_seq: int | None = None


@dataclass(frozen=True)
class ChainCheck:
    count: int  # events checked and found in order
    last_hash: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(conn: Connection, batch: int = VERIFY_BATCH, anchor: tuple[int, str] | None = None) -> ChainCheck:
    """Recompute the chain from the first event to the head, ``batch`` events at a time; with ``anchor``
    (seq, hash), also check that event seq still has the hash written down outside the database.

    The head is read first and only events up to it are checked, so events appended meanwhile by
    another machine neither disturb the check nor need one snapshot of the whole table."""
    head = conn.execute(select(_head.c.seq, _head.c.hash).where(_head.c.id == _HEAD_ID)).first()
    expected, prev, last, anchored = 1, GENESIS, None, None
    while True:
        stmt = select(_events).where(_events.c.seq >= expected).order_by(_events.c.seq).limit(batch)
        if head is not None:
            stmt = stmt.where(_events.c.seq <= head.seq)
        rows = conn.execute(stmt).mappings().all()
        for row in rows:
            if row["seq"] != expected:
                return ChainCheck(expected - 1, prev, _broken("missing", row, missing_from=expected))
            if row["prev_hash"] != prev:
                return ChainCheck(expected - 1, prev, _broken("link", row))
            if event_hash(row) != row["hash"]:
                return ChainCheck(expected - 1, prev, _broken("content", row))
            expected, prev, last = expected + 1, row["hash"], row
            if anchor and row["seq"] == anchor[0]:
                anchored = row
        if len(rows) < batch:
            break
    count = expected - 1
    head_seq, head_hash = (head.seq, head.hash) if head is not None else (0 if last is None else None, None)
    if head_seq != count or (last is not None and head_hash != prev):
        return ChainCheck(count, prev, _broken("tail", last, head_seq=head_seq))
    if anchor and (anchored is None or anchored["hash"] != anchor[1]):
        return ChainCheck(count, prev, _broken("anchor", anchored or last, anchor_seq=anchor[0]))
    return ChainCheck(count, prev, None)


def _broken(kind: str, row: Mapping[str, Any] | None, **extra) -> BrokenLink:
    if row is None:  # every event is gone, while the head still names the last one
        return BrokenLink(kind, 0, None, None, None, None, None, **extra)
    return BrokenLink(kind, row["seq"], row["at"], row["actor"], row["action"], row["entity_type"], row["entity_id"],
                      **extra)
