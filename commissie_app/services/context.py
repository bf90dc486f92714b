"""What every service call needs: the database and who is acting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from commissie_app.db.engine import Database
from commissie_app.domain.codes import Role


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
