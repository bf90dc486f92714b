"""What every service call needs: the database, who is acting and the commission's rules."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from commissie_app.domain.codes import Role

if TYPE_CHECKING:
    from commissie_app.db.engine import Database
    from commissie_app.domain.rules import Rules


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user record of the database (``services/users.sign_in``). ``user_id`` is None
    only for ``NOBODY`` and for actors that tests build by hand; ``member_id`` is the seat holder the
    user is, which decides whose assessment and declaration is their own."""

    name: str
    role: Role = Role.SECRETARY
    user_id: uuid.UUID | None = None
    member_id: uuid.UUID | None = None


# Before anyone has signed in (``services/users.sign_in``): may read, changes nothing.
NOBODY = Actor("niet aangemeld", Role.OBSERVER)


class _RulesOfTheDatabase:
    """``ctx.rules``: the rules given to the context (a test, a fixed moment), else the rules adopted in the
    database (``services/rule_sets.py``). Those are read on first use, not when the context is made (opening
    the app does not wait for them), and kept; each later use checks with one query whether another
    machine adopted newer rules meanwhile, so every machine on the database applies the same rules."""

    def __set_name__(self, owner, name: str) -> None:
        self.given = f"_{name}_given"
        self.adopted = f"_{name}_adopted"

    def __get__(self, ctx: ServiceContext | None, owner=None) -> Rules | None:
        if ctx is None:
            return None  # the dataclass field's default: no rules given
        given = ctx.__dict__.get(self.given)
        if given is not None:
            return given
        from commissie_app.services.rule_sets import in_force  # the ORM: not needed to show the list

        adopted = ctx.__dict__[self.adopted] = in_force(ctx, ctx.__dict__.get(self.adopted))
        return adopted.rules

    def __set__(self, ctx: ServiceContext, rules: Rules | None) -> None:
        ctx.__dict__[self.given] = rules


@dataclass
class ServiceContext:
    db: Database
    actor: Actor = NOBODY
    today: Callable[[], dt.date] = field(default=dt.date.today)
    # The moment of a change where the record keeps it (a meeting's closing time); timezone-aware.
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.timezone.utc))
    rules: Rules | None = _RulesOfTheDatabase()

    @property
    def given_rules(self) -> Rules | None:
        """The rules given to the context; None when they come from the database."""
        return self.__dict__.get("_rules_given")
