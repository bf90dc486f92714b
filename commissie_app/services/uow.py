"""The unit of work: one session per user action, rolled back unless committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from commissie_app.db.engine import Database
from commissie_app.db.models import AuditEvent
from commissie_app.domain.errors import DatabaseBusyError, StaleEditError
from commissie_app.services.context import ServiceContext


class UnitOfWork:
    session: Session

    def __init__(self, ctx: ServiceContext | Database):
        self.ctx = ctx if isinstance(ctx, ServiceContext) else ServiceContext(ctx)
        self._committed = False

    def __enter__(self) -> "UnitOfWork":
        self.session = self.ctx.db.session()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is not None and not self._committed:
                self.session.rollback()
        finally:
            # close() also ends an uncommitted transaction (nothing is kept), but leaves
            # read-only results usable after the block instead of expiring them.
            self.session.close()
        if isinstance(exc, StaleDataError):
            raise StaleEditError() from exc
        if is_busy(exc):
            raise DatabaseBusyError() from exc
        return False

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as err:
            self.session.rollback()
            raise StaleEditError() from err
        self._committed = True

    def audit(self, action: str, entity_type: str, entity_id: Any, old: dict | None = None, new: dict | None = None) -> None:
        """Record who changed what; values are made JSON-safe here."""
        self.session.add(AuditEvent(**self.audit_values(action, entity_type, entity_id, old, new)))

    def audit_values(self, action: str, entity_type: str, entity_id: Any, old: dict | None = None,
                     new: dict | None = None) -> dict:
        """The columns of one audit event (for a batch written with a Core insert, as the import does)."""
        return {"actor": self.ctx.actor.name, "action": action, "entity_type": entity_type,
                "entity_id": str(entity_id), "old_values": _jsonable(old), "new_values": _jsonable(new)}


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


def _jsonable(values: dict | None) -> dict | None:
    if values is None:
        return None
    out = {}
    for k, v in values.items():
        if isinstance(v, (list, tuple)):
            out[k] = [_scalar(x) for x in v]
        else:
            out[k] = _scalar(v)
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
    keys = [k for k in new if _jsonable({k: old.get(k)}) != _jsonable({k: new[k]})]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}
