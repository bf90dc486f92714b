"""The commission's rules as adopted in the database (quorum, tie outcome, badge validity, kenmerk pattern).

Every machine on a database uses the same rules: the highest adopted version. A new database adopts the
rules file the app ships (``forms/rules.toml``, or ``COMMISSIE_FORMS_DIR``) the first time the rules are
needed; after that a changed file is not applied until someone adopts it (``commissie-app rules adopt``).
Decisions keep what the rules gave them when they were recorded; a later rule set changes only what is
decided afterwards. Services read the rules through ``ctx.rules`` (``services/context.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commissie_app.db.models import RuleSet
from commissie_app.domain.permissions import Action
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import (
    RULES_FILE,
    Rules,
    parse_rules,
    read_rules_text,
    rules_from_values,
    rules_to_values,
)
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.uow import UnitOfWork

if TYPE_CHECKING:
    from commissie_app.services.context import ServiceContext

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class AdoptedRules:
    version: int
    rules: Rules
    adopted_at: dt.datetime
    adopted_by: str
    source_name: str
    content_hash: str


def adopted_text(adopted: AdoptedRules) -> str:
    """Which rules are in force, since when and by whom (Dutch, one line)."""
    at = adopted.adopted_at.astimezone(AMSTERDAM)
    return _("Regels versie {v}, vastgesteld op {date} om {time} door {who} (uit {file}).").format(
        v=adopted.version, date=format_date_nl(at.date()), time=at.strftime("%H:%M"), who=adopted.adopted_by,
        file=adopted.source_name)


def _adopted(row: RuleSet) -> AdoptedRules:
    rules = rules_from_values(row.rules, _("vastgestelde regels versie {v}").format(v=row.version))
    return AdoptedRules(row.version, rules, row.adopted_at, row.adopted_by, row.source_name, row.content_hash)


def _latest_version(uow: UnitOfWork) -> int | None:
    return uow.session.scalar(select(func.max(RuleSet.version)))


def rules_in_force(ctx: ServiceContext, known: AdoptedRules | None = None) -> AdoptedRules:
    """The rules in force: the latest adopted set (``known`` again when it is still the latest, at the cost
    of one query). A database without any adopts the shipped rules file first."""
    with UnitOfWork(ctx) as uow:
        latest = _latest_version(uow)
        if latest is not None:
            if known is not None and known.version == latest:
                return known
            return _adopted(uow.session.scalars(select(RuleSet).where(RuleSet.version == latest)).one())
    return ensure_shipped_rules(ctx)


def rules_of_meeting(ctx: ServiceContext, session: Session, closed_at: dt.datetime | None) -> Rules:
    """The rules a meeting is judged by: for a closed meeting those in force when it closed, so that its
    votes, decisions and corrections keep meaning what they meant; otherwise the rules in force."""
    rules = ctx.rules
    if closed_at is None or ctx.given_rules is not None:
        return rules
    row = session.scalars(select(RuleSet).where(RuleSet.adopted_at <= closed_at)
                          .order_by(RuleSet.version.desc())).first()
    if row is None:  # closed before any rules were adopted (a database from before 0007): the first set
        row = session.scalars(select(RuleSet).order_by(RuleSet.version)).first()
    return rules if row is None else _adopted(row).rules


def ensure_shipped_rules(ctx: ServiceContext) -> AdoptedRules:
    """The rules in force; when none were adopted yet, the shipped rules file is adopted, once (a second
    machine doing the same at the same moment finds the first one's set). It is recorded under the name of
    the user whose action first needed the rules, marked as automatic in the log."""
    return _adopt(ctx, RULES_FILE, only_if_none=True)


def adopt_rules(ctx: ServiceContext, path: Path | None = None) -> tuple[AdoptedRules, bool]:
    """Adopt the rules of a rules file (by default the shipped one) as the new version for every machine.
    A file with problems is refused (Dutch, naming each one) and the adopted rules stay. Returns the rules
    in force and whether they changed (a file with the same values as the rules in force adopts nothing)."""
    require(ctx, Action.ADOPT_FORMS)
    before = _latest_version_of(ctx)
    adopted = _adopt(ctx, path or RULES_FILE, only_if_none=False)
    return adopted, adopted.version != before


def _latest_version_of(ctx: ServiceContext) -> int | None:
    with UnitOfWork(ctx) as uow:
        return _latest_version(uow)


def _adopt(ctx: ServiceContext, path: Path, *, only_if_none: bool) -> AdoptedRules:
    text = read_rules_text(path)
    rules = parse_rules(text, path)
    for attempt in range(3):
        try:
            return _store(ctx, rules, text, path, only_if_none)
        except IntegrityError:
            # another machine adopted a rule set with the same version number at the same moment
            if attempt == 2:
                raise DomainError(_("Op hetzelfde moment zijn elders ook regels vastgesteld. Probeer het opnieuw."))
    raise AssertionError("unreachable")


def _store(ctx: ServiceContext, rules: Rules, text: str, path: Path, only_if_none: bool) -> AdoptedRules:
    with UnitOfWork(ctx) as uow:
        latest = _latest_version(uow)
        current = None
        if latest is not None:
            current = _adopted(uow.session.scalars(select(RuleSet).where(RuleSet.version == latest)).one())
            if only_if_none or current.rules == rules:
                return current
        row = RuleSet(version=(latest or 0) + 1, rules=rules_to_values(rules), source=text,
                      source_name=str(path)[:500], content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                      adopted_at=ctx.now(), adopted_by=ctx.actor.name)
        uow.session.add(row)
        uow.session.flush()
        old = {"version": current.version, **rules_to_values(current.rules)} if current else None
        uow.audit("adopt", "rule_set", row.id, old,
                  {"version": row.version, **row.rules, "file": row.source_name, "content_hash": row.content_hash,
                   "automatic": only_if_none})
        uow.commit()
        return _adopted(row)
