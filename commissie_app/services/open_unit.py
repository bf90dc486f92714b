"""Which unit of work is open in this thread (``services/uow.py`` keeps it here).

A leaf module: code that the context itself reaches (the rules of the database, ``rule_sets``) can ask
for the open unit's session without importing the unit of work, which imports the context.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from sqlalchemy.orm import Session

current: ContextVar[Any] = ContextVar("commissie_unit_of_work", default=None)


def open_unit(db: Any) -> Any:
    """The unit of work open in this thread on ``db`` (a ``Database``), or None."""
    unit = current.get()
    return unit if unit is not None and unit.ctx.db is db else None


def open_session(db: Any) -> Session | None:
    """The session of the unit of work open in this thread on ``db``, or None."""
    unit = open_unit(db)
    return unit.session if unit is not None else None
