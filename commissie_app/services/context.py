"""What every service call needs: the database and who is acting."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from commissie_app.domain.codes import Role

if TYPE_CHECKING:
    from commissie_app.db.engine import Database


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user record of the database (``services/users.actor_for``). ``user_id`` is None
    only for ``NOBODY`` and for actors that tests build by hand; ``member_id`` is the seat holder the
    user is, which decides whose assessment and declaration is their own."""

    name: str
    role: Role = Role.SECRETARY
    user_id: uuid.UUID | None = None
    member_id: uuid.UUID | None = None


# Before anyone has signed in (``services/users.sign_in``): may read, changes nothing.
NOBODY = Actor("niet aangemeld", Role.OBSERVER)


@dataclass
class ServiceContext:
    db: Database
    actor: Actor = NOBODY
    today: Callable[[], dt.date] = field(default=dt.date.today)
    # The moment of a change where the record keeps it (a meeting's closing time); timezone-aware.
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
