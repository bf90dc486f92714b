"""The commission's rules as adopted in the database (quorum, tie outcome, badge validity, kenmerk pattern).

Every machine on a database uses the same rules: the highest adopted version. A new database adopts the
rules file the app ships (``forms/rules.toml``, or ``COMMISSIE_FORMS_DIR``) the first time the rules are
needed; after that a changed file is not applied until someone adopts it (``commissie-app rules adopt``).
Decisions keep what the rules gave them when they were recorded; a later rule set changes only what is
decided afterwards. Services read the rules through ``ctx.rules`` (``services/context.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commissie_app.domain.permissions import Action
from commissie_app.domain.rules import RULES_FILE, Rules, parse_rules, read_rules_text
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.rule_sets import AdoptedRules, in_force, in_force_at, store, store_with_retry
from commissie_app.services.uow import UnitOfWork

if TYPE_CHECKING:
    from commissie_app.services.context import ServiceContext

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def adopted_text(adopted: AdoptedRules) -> str:
    """Which rules are in force, since when and by whom (Dutch, one line)."""
    at = adopted.adopted_at.astimezone(AMSTERDAM)
    return _("Regels versie {v}, vastgesteld op {date} om {time} door {who} (uit {file}).").format(
        v=adopted.version, date=format_date_nl(at.date()), time=at.strftime("%H:%M"), who=adopted.adopted_by,
        file=adopted.source_name)


def rules_in_force(ctx: ServiceContext) -> AdoptedRules:
    """The rules in force: the latest adopted set (a database without any adopts the shipped rules file)."""
    return in_force(ctx)


def rules_of_meeting(ctx: ServiceContext, session: Session, closed_at: dt.datetime | None) -> Rules:
    """The rules a meeting is judged by: for a closed meeting those in force when it closed, so that its
    votes, decisions and corrections keep meaning what they meant; otherwise the rules in force."""
    rules = ctx.rules
    if closed_at is None or ctx.given_rules is not None:
        return rules
    then = in_force_at(session, closed_at)
    return then.rules if then is not None else rules


def adopt_rules(ctx: ServiceContext, path: Path | None = None) -> tuple[AdoptedRules, bool]:
    """Adopt the rules of a rules file (by default the shipped one) as the new version for every machine.
    A file with problems is refused (Dutch, naming each one) and the adopted rules stay. Returns the rules
    in force and whether they changed (a file with the same values as the rules in force adopts nothing)."""
    require(ctx, Action.ADOPT_FORMS)
    path = path or RULES_FILE
    text = read_rules_text(path)
    rules = parse_rules(text, path)

    def attempt() -> tuple[AdoptedRules, bool]:
        with UnitOfWork(ctx) as uow:
            stored = store(uow.session, rules, text, path, ctx.actor.name, ctx.now(), only_if_none=False)
            if stored.new is None:
                return stored.adopted, False
            uow.record_event("adopt", "rule_set", stored.row_id, stored.new, old=stored.old)
            uow.commit()
            return stored.adopted, True

    return store_with_retry(attempt)
