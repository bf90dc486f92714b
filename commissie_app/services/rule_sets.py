"""The adopted rule sets in the database: reading the set in force and storing a new one.

What ``ctx.rules`` (``services/context.py``) needs, and nothing that needs the context: this module imports
no other service, so the context can use it without an import cycle. The explicit adoption (with its
permission check) is ``services/rules.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commissie_app.db.models import RuleSet
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import (
    RULES_FILE,
    Rules,
    parse_rules,
    read_rules_text,
    rules_from_values,
    rules_to_values,
)
from commissie_app.i18n import _
from commissie_app.services import audit
from commissie_app.services.open_unit import open_session


@dataclass(frozen=True)
class AdoptedRules:
    version: int
    rules: Rules
    adopted_at: dt.datetime
    adopted_by: str
    source_name: str
    content_hash: str


@dataclass(frozen=True)
class Stored:
    """The rules in force after a store, and what the log says when a new set was written (else None)."""

    adopted: AdoptedRules
    row_id: object | None = None
    old: dict | None = None
    new: dict | None = None


def _adopted(row: RuleSet) -> AdoptedRules:
    rules = rules_from_values(row.rules, _("vastgestelde regels versie {v}").format(v=row.version))
    return AdoptedRules(row.version, rules, row.adopted_at, row.adopted_by, row.source_name, row.content_hash)


def latest(session: Session) -> AdoptedRules | None:
    row = session.scalars(select(RuleSet).order_by(RuleSet.version.desc()).limit(1)).first()
    return _adopted(row) if row is not None else None


def in_force_at(session: Session, moment: dt.datetime) -> AdoptedRules | None:
    """The set in force at ``moment``: the latest adopted before it; for a moment before any was adopted
    (a meeting closed in a database from before migration 0007) the first set; None when there is none."""
    row = session.scalars(select(RuleSet).where(RuleSet.adopted_at <= moment)
                          .order_by(RuleSet.version.desc()).limit(1)).first()
    if row is None:
        row = session.scalars(select(RuleSet).order_by(RuleSet.version).limit(1)).first()
    return _adopted(row) if row is not None else None


def in_force(ctx, known: AdoptedRules | None = None) -> AdoptedRules:
    """The rules in force for ``ctx`` (a ServiceContext): the latest adopted set (``known`` again when it is
    still the latest, at the cost of one query). A database without any adopts the shipped rules file,
    once (a second machine doing the same at the same moment finds the first one's set), recorded under
    the name of the user whose action first needed the rules and marked as automatic in the log."""
    with ctx.db.session() as session:
        version = session.scalar(select(func.max(RuleSet.version)))
        if version is not None:
            if known is not None and known.version == version:
                return known
            return _adopted(session.scalars(select(RuleSet).where(RuleSet.version == version)).one())
    return store_with_retry(lambda: _adopt_shipped(ctx))


def _adopt_shipped(ctx) -> AdoptedRules:
    text = read_rules_text(RULES_FILE)
    rules = parse_rules(text, RULES_FILE)
    joined = open_session(ctx.db)
    if joined is not None:  # first needed inside a unit of work: part of it (a second transaction would
        return _store_shipped(ctx, joined, rules, text)  # wait for the unit's write lock on SQLite)
    with ctx.db.session() as session:
        adopted = _store_shipped(ctx, session, rules, text)
        session.commit()
        return adopted


def _store_shipped(ctx, session: Session, rules: Rules, text: str) -> AdoptedRules:
    stored = store(session, rules, text, RULES_FILE, ctx.actor.name, ctx.now(), only_if_none=True)
    if stored.new is not None:
        audit.write_events(session, [audit.event_row(ctx.actor.name, "adopt", "rule_set", stored.row_id,
                                                     stored.old, stored.new)])
    return stored.adopted


def store_with_retry(attempt_store):
    """``attempt_store()`` again when another machine took the same version number at the same moment."""
    for attempt in range(3):
        try:
            return attempt_store()
        except IntegrityError:
            if attempt == 2:
                raise DomainError(_("Op hetzelfde moment zijn elders ook regels vastgesteld. Probeer het opnieuw."))
    raise AssertionError("unreachable")


def store(session: Session, rules: Rules, text: str, path: Path, actor: str, now: dt.datetime, *,
          only_if_none: bool) -> Stored:
    """Add ``rules`` (read from ``text`` at ``path``) as the next version, unless the rules in force are the
    same (or, with ``only_if_none``, unless any set was adopted). Flushed, not committed."""
    current = latest(session)
    if current is not None and (only_if_none or current.rules == rules):
        return Stored(current)
    row = RuleSet(version=(current.version if current else 0) + 1, rules=rules_to_values(rules), source=text,
                  source_name=str(path)[:500], content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  adopted_at=now, adopted_by=actor)
    session.add(row)
    session.flush()
    old = {"version": current.version, **rules_to_values(current.rules)} if current else None
    new = {"version": row.version, **row.rules, "file": row.source_name, "content_hash": row.content_hash,
           "automatic": only_if_none}
    return Stored(_adopted(row), row.id, old, new)
