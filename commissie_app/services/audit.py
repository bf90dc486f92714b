"""The audit trail, written in one place from what a unit of work changed.

``collect`` runs after every flush of a unit of work's session (``after_flush``: the session still
shows what was new, dirty and deleted, with each attribute's history) and turns the ORM's changes
into ``Change`` values: entity type and id, the action, and only the changed columns, old and new.
``write_events`` is the only code that inserts ``AuditEvent`` rows: the unit of work calls it at
commit for the changes it collected, the import calls it for its bulk rows.

Which tables are audited, and how, is declared once in ``AUDITED`` and ``PARTS``: a part (an
application's evidence, its status history) shows in its parent's event instead of having events
of its own, as one key holding the list of its rows.
"""

from __future__ import annotations

import base64
import functools
import binascii
import hashlib
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from sqlalchemy import LargeBinary, insert, inspect
from sqlalchemy.orm import Session

from commissie_app.db.models import (
    Advice,
    AdviceMemo,
    AgendaItem,
    Application,
    Assessment,
    AssessmentForm,
    Attachment,
    AttendanceRecord,
    AuditEvent,
    ConflictRecord,
    Correction,
    DecisionLetter,
    Development,
    DecisionRecord,
    Evidence,
    Letter,
    Meeting,
    Member,
    MemberNote,
    Recognition,
    RecognitionEventRecord,
    Organisation,
    PrecheckRecord,
    ReviewIdentity,
    ReviewPackage,
    ReviewReturn,
    Setting,
    StatusChange,
    Term,
    User,
    VoteRecord,
)

# bookkeeping columns that every changed row has anyway
NOT_AUDITED = frozenset({"id", "version", "created_at", "updated_at"})


@dataclass(frozen=True)
class Audited:
    """A table whose rows get audit events of their own."""

    entity_type: str
    exclude: frozenset[str] = frozenset()
    part_of: str | None = None  # relationship to the record a view shows this row in (that record changed too)


@dataclass(frozen=True)
class Part:
    """Rows shown in their parent's audit event as one key (the relationship's name) with a list."""

    parent_type: type
    parent: str  # this row's relationship to its parent
    collection: str  # the parent's relationship to these rows
    show: Callable[[dict], Any]
    added_only: bool = False  # a history: only the row added now is shown (one value, not a list)
    name: str | None = None  # the key in the parent's event; the collection's name unless given

    @property
    def key(self) -> str:
        return self.name or self.collection


AUDITED: dict[type, Audited] = {
    User: Audited("user"),
    Organisation: Audited("organisation"),
    Application: Audited("application"),
    Attachment: Audited("attachment", part_of="application"),
    Setting: Audited("setting"),
    AssessmentForm: Audited("assessment_form", exclude=frozenset({"source"})),
    Assessment: Audited("assessment", part_of="application"),
    Member: Audited("member"),
    Term: Audited("term"),
    Meeting: Audited("meeting"),
    AgendaItem: Audited("agenda_item", part_of="meeting"),
    AttendanceRecord: Audited("attendance", part_of="meeting"),
    ConflictRecord: Audited("conflict", part_of="item"),
    VoteRecord: Audited("vote", part_of="item"),
    DecisionRecord: Audited("decision"),
    Recognition: Audited("recognition"),
    RecognitionEventRecord: Audited("recognition_event", part_of="recognition"),
    Correction: Audited("correction"),
    DecisionLetter: Audited("decision_letter"),
    Letter: Audited("letter"),
    ReviewIdentity: Audited("review_identity", exclude=frozenset({"secret"})),
    ReviewPackage: Audited("review_package"),
    ReviewReturn: Audited("review_return"),
    MemberNote: Audited("member_note", part_of="application"),
    PrecheckRecord: Audited("precheck"),
    Advice: Audited("advice"),
    AdviceMemo: Audited("advice_memo", part_of="advice"),
    Development: Audited("development"),
}

PARTS: dict[type, Part] = {
    Evidence: Part(Application, "application", "evidence",
                   lambda v: f"{v['criterion'].value}|{v['reference']}|{v['valid_until'] or ''}"),
    StatusChange: Part(Application, "application", "status_changes", lambda v: v["remark"], added_only=True,
                       name="remark"),
}


@dataclass(frozen=True)
class Change:
    """One record's change, with who made it and under which action name."""

    kind: str  # create | update | delete
    entity_type: str
    entity_id: Any
    old: dict | None
    new: dict | None
    actor: str
    action: str | None  # the service's own name for what it did ("status", "vote"), else ``kind``
    parent: tuple[str, Any] | None = None  # (entity type, id) of the record it is shown in


def collect(session: Session, actor: str, action: str | None) -> list[Change]:
    """The changes the session is about to have flushed (call from ``after_flush``)."""
    touched = [("create", o) for o in session.new] + [("update", o) for o in session.dirty] + [
        ("delete", o) for o in session.deleted]
    touched += [("delete", o) for o in _orphans(session.dirty) if o not in session.deleted]
    changes: dict[int, Change] = {}  # by id() of the changed object
    parents: dict[int, Any] = {}  # objects whose parts may have changed
    for kind, obj in touched:
        part = PARTS.get(type(obj))
        if part is not None:
            parent = getattr(obj, part.parent, None)
            if parent is not None:
                parents[id(parent)] = parent
            continue
        spec = AUDITED.get(type(obj))
        if spec is None:
            continue
        if any(p.parent_type is type(obj) for p in PARTS.values()):
            parents[id(obj)] = obj
        if kind == "update" and not session.is_modified(obj, include_collections=False):
            continue
        old, new = _values(obj, spec, kind)
        changes[id(obj)] = Change(kind, spec.entity_type, _identity(obj), old, new, actor, action,
                                  _parent_key(obj, spec))
    for key, parent in parents.items():
        for part in (p for p in PARTS.values() if p.parent_type is type(parent)):
            before, after = _part_values(parent, part)
            if before == after or (part.added_only and not after):
                continue
            change = changes.get(key)
            if change is None:
                change = Change("update", AUDITED[type(parent)].entity_type, _identity(parent), {}, {}, actor, action)
                changes[key] = change
            if change.kind == "create" and part.added_only:
                continue
            if change.old is not None and not part.added_only:
                change.old[part.key] = before
            change.new[part.key] = after[-1] if part.added_only else after
    return [c for c in changes.values() if c.kind != "update" or c.new]


def merge(earlier: Change, later: Change) -> Change | None:
    """One change from two flushes within the same service call (an autoflush splits a call's work)."""
    if earlier.kind == "create":
        return None if later.kind == "delete" else replace(earlier, new={**earlier.new, **(later.new or {})})
    if later.kind == "delete":
        return replace(later, old={**later.old, **earlier.old})
    old, new = {**later.old, **earlier.old}, {**earlier.new, **later.new}
    keys = [k for k in new if differs(old.get(k), new[k])]
    return replace(earlier, old={k: old[k] for k in keys if k in old}, new={k: new[k] for k in keys})


def _orphans(parents) -> list:
    """Rows taken out of a delete-orphan collection: the flush deleted them, ``session.deleted`` does not
    list them."""
    out = []
    for parent in parents:
        state = inspect(parent)
        for rel in state.mapper.relationships:
            if rel.cascade.delete_orphan and rel.back_populates:  # not moved to another parent: deleted
                out += [c for c in state.attrs[rel.key].history.deleted or ()
                        if getattr(c, rel.back_populates) is None]
    return out


def _identity(obj) -> Any:
    """The primary key (a new row has no identity key yet during ``after_flush``, but has its key)."""
    state = inspect(obj)
    return state.dict.get(state.mapper.get_property_by_column(state.mapper.primary_key[0]).key)


@functools.cache
def _column_keys(model: type, spec: Audited) -> list[str]:
    return [a.key for a in inspect(model).column_attrs
            if a.key not in NOT_AUDITED and a.key not in spec.exclude
            and not isinstance(a.columns[0].type, LargeBinary)]


def _values(obj, spec: Audited, kind: str) -> tuple[dict | None, dict | None]:
    state = inspect(obj)
    keys = _column_keys(type(obj), spec)
    if kind == "create":
        return None, {k: state.dict.get(k) for k in keys}
    if kind == "delete":
        return {k: state.dict.get(k) for k in keys}, None
    old, new = {}, {}
    for k in keys:
        hist = state.attrs[k].history
        if not hist.has_changes():
            continue
        before = hist.deleted[0] if hist.deleted else None
        after = hist.added[0] if hist.added else None
        if differs(before, after):
            old[k], new[k] = before, after
    return old, new


def _old_value(obj, key: str) -> Any:
    hist = inspect(obj).attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    return hist.unchanged[0] if hist.unchanged else inspect(obj).dict.get(key)


def _part_values(parent, part: Part) -> tuple[list, list]:
    """The parent's rows of this part before and after (each as ``part.show`` shows it)."""
    attr = inspect(parent).attrs[part.collection]
    hist = attr.history
    columns = [a.key for a in inspect(_part_type(part)).column_attrs]
    before = [part.show({k: _old_value(r, k) for k in columns}) for r in (hist.unchanged or []) + (hist.deleted or [])]
    after_rows = (hist.added or []) if part.added_only else (hist.unchanged or []) + (hist.added or [])
    after = [part.show({k: inspect(r).dict.get(k) for k in columns}) for r in after_rows]
    if part.added_only:
        return [], after
    return sorted(before), sorted(after)


def _part_type(part: Part) -> type:
    return next(t for t, p in PARTS.items() if p is part)


def _parent_key(obj, spec: Audited) -> tuple[str, Any] | None:
    """(entity type, id) of the record ``obj`` is shown in: the related object when it is loaded, else the
    foreign key's value (a row just added by its id, ``Assessment(application_id=...)``, has no object yet;
    nothing is loaded during the flush)."""
    if spec.part_of is None:
        return None
    state = inspect(obj)
    relationship = state.mapper.relationships[spec.part_of]
    parent_spec = AUDITED.get(relationship.mapper.class_)
    if parent_spec is None:
        return None
    parent = state.dict.get(spec.part_of)
    if parent is not None:
        return parent_spec.entity_type, _identity(parent)
    (column,) = relationship.local_columns
    value = state.dict.get(state.mapper.get_property_by_column(column).key)
    return None if value is None else (parent_spec.entity_type, value)


# ---------------------------------------------------------------- writing


def event_row(actor: str, action: str, entity_type: str, entity_id: Any, old: dict | None = None,
              new: dict | None = None) -> dict:
    """The columns of one audit event, values made JSON-safe."""
    return {"actor": actor, "action": action, "entity_type": entity_type, "entity_id": str(entity_id),
            "old_values": jsonable(old), "new_values": jsonable(new)}


def change_row(change: Change) -> dict:
    return event_row(change.actor, change.action or change.kind, change.entity_type, change.entity_id,
                     change.old, change.new)


def created_event(actor: str, model: type, values: dict, parts: dict[type, list[dict]] | None = None) -> dict:
    """The event of a row inserted without the ORM (the import's bulk path): the same values as the ORM's."""
    spec = AUDITED[model]
    new = {k: values.get(k) for k in _column_keys(model, spec)}
    for part_model, rows in (parts or {}).items():
        part = PARTS[part_model]
        if not part.added_only:
            new[part.key] = sorted(part.show(r) for r in rows)
    return event_row(actor, "create", spec.entity_type, values["id"], None, new)


def updated_event(actor: str, model: type, entity_id: Any, old: dict, new: dict) -> dict:
    """The event of a row updated without the ORM: only the changed keys."""
    old, new = changed_values(old, new)
    return event_row(actor, "update", AUDITED[model].entity_type, entity_id, old, new)


def write_events(session: Session, rows: Iterable[dict]) -> None:
    """Insert audit events (``event_row`` values), in the order given. The one place that writes them."""
    rows = list(rows)
    if rows:  # a Core insert: many rows in one statement (the import writes thousands)
        session.execute(insert(AuditEvent.__table__), rows)


# ---------------------------------------------------------------- values


def differs(before: Any, after: Any) -> bool:
    """Whether two values differ as the log shows them (an enum by its code, a date as ISO text)."""
    return jsonable({"value": before}) != jsonable({"value": after})


def jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    out = {}
    for k, v in values.items():
        if isinstance(v, (list, tuple)):
            out[k] = [_scalar(x) for x in v]
        elif isinstance(v, dict):
            out[k] = _shown_dict(v)
        else:
            out[k] = _scalar(v)
    return out


def _shown_dict(value: dict) -> dict:
    """A JSON column's value; a stored file (base64 under a ``*_data`` key) is shown by its SHA-256."""
    out = {}
    for k, v in value.items():
        if k.endswith("_data") and isinstance(v, str):
            try:
                v = "sha256:" + hashlib.sha256(base64.b64decode(v, validate=True)).hexdigest()
            except (binascii.Error, ValueError):
                pass
        out[k] = v if isinstance(v, (dict, list)) else _scalar(v)
    return out


def _scalar(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if hasattr(v, "value") and isinstance(getattr(v, "value"), str):
        return v.value
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def changed_values(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, for a compact audit record."""
    keys = [k for k in new if differs(old.get(k), new[k])]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
