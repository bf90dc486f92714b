"""What every service call needs: the database and who is acting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from commissie_app.domain.codes import Role

if TYPE_CHECKING:
    from commissie_app.db.engine import Database


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role = Role.SECRETARY


SYSTEM = Actor("systeem", Role.SECRETARY)


@dataclass
class ServiceContext:
    db: Database
    actor: Actor = SYSTEM
    today: Callable[[], dt.date] = field(default=dt.date.today)
    # The moment of a change where the record keeps it (a meeting's closing time); timezone-aware.
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
