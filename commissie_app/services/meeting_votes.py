"""In the meeting: votes on an application item and the decision that follows (with its kenmerk)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import AgendaItem, Application, DecisionRecord, VoteRecord
from commissie_app.domain import kenmerk as kenmerk_rules
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.meetings import ItemKind
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import DecisionType, VoteChoice
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.applications import change_status
from commissie_app.services.access import require
from commissie_app.services import recognitions
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import (
    AMSTERDAM,
    AttendeeInfo,
    attendees_of,
    commit_rows,
    domain_attendees,
    item_row,
    lock_meeting,
    touch_meeting,
)
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- helpers


def _item_tally(item: AgendaItem, attendees: tuple[AttendeeInfo, ...], rules: Rules) -> voting.Tally:
    return voting.tally_votes(
        domain_attendees(attendees),
        [voting.Conflict(c.member_id, c.reason) for c in item.conflicts],
        [voting.Vote(v.member_id, v.choice) for v in item.votes],
        rules,
    )


# ---------------------------------------------------------------- votes and decisions


def record_vote(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, choice: VoteChoice) -> None:
    """Record (or, before a decision, change) one member's vote; refused without quorum or with a conflict."""
    require(ctx, Action.RECORD_VOTES)
    rules = ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        uow.action = "vote"
        item = item_row(uow, item_id)
        m = lock_meeting(uow, item.meeting_id, shared=True)
        mrules.check_open_for_business(m.status)
        if item.kind is not ItemKind.APPLICATION:
            raise DomainError(_("Er wordt alleen gestemd over agendapunten met een aanvraag."))
        if uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al besloten; de stemming ligt vast."))
        attendees = attendees_of(uow, m)
        existing = next((v for v in item.votes if v.member_id == member_id), None)  # its version is checked
        voting.check_vote(domain_attendees(attendees), [voting.Conflict(c.member_id, c.reason) for c in item.conflicts],
                          member_id, rules)
        seat = next(a.seat for a in attendees if a.member_id == member_id)
        if existing is None:
            item.votes.append(VoteRecord(member_id=member_id, seat=seat, choice=choice))
        else:
            existing.choice = choice
        commit_rows(uow)


def record_decision(ctx: ServiceContext, item_id: uuid.UUID, decision_type: DecisionType, motivation: str,
                    *, deadline: dt.date | None = None, badge_valid_from: dt.date | None = None,
                    criteria_met: list[Criterion] | None = None, override_reason: str = "") -> str:
    """Record the decision on an application item; returns its kenmerk.

    The decision must agree with the vote. The application becomes 'besloten', or 'compleet' again when
    the decision is 'aangehouden'. A recognition stores the badge's start and, if conditional, the deadline.
    A granting decision rests on ``criteria_met`` (default: those the consolidated assessment answered 'ja');
    the badge never runs past the end of their certificates unless ``override_reason`` says why. The
    organisation's recognition is made or changed in the same unit of work (``services/recognitions.py``).
    """
    require(ctx, Action.RECORD_DECISION)
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Schrijf de motivering van het besluit.")})
    rules = ctx.rules
    for attempt in range(3):
        try:
            return _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules,
                                    criteria_met, override_reason)
        except IntegrityError:
            # another machine took the same kenmerk number at the same moment: take the next one
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules: Rules,
                     chosen: list[Criterion] | None, override_reason: str) -> str:
    with UnitOfWork(ctx) as uow:
        s = uow.session
        item = item_row(uow, item_id)
        m = lock_meeting(uow, item.meeting_id)
        mrules.check_open_for_business(m.status)
        if item.kind is not ItemKind.APPLICATION:
            raise DomainError(_("Alleen over een aanvraag wordt een besluit vastgelegd."))
        if s.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al besloten."))
        app = s.get(Application, item.application_id)
        day = m.starts_at.astimezone(AMSTERDAM).date()
        tally = _item_tally(item, attendees_of(uow, m), rules)
        decision = voting.check_decision(tally, decision_type, decision_date=day, deadline=deadline,
                                         reassessment=app.purpose is Purpose.REASSESSMENT)
        recognitions.check_decision_fits(uow, app, decision_type)
        criteria = recognitions.criteria_met(uow, app, decision_type, chosen, rules)
        kenmerk_rules.validate_pattern(rules.kenmerk_pattern)
        last = s.scalar(select(func.max(DecisionRecord.number)).where(DecisionRecord.year == day.year))
        k = kenmerk_rules.next_kenmerk(rules.kenmerk_pattern, day.year, last or 0)
        valid_from = (badge_valid_from or recognitions.default_valid_from(uow, app, day)) \
            if decision_type.recognises else None
        until = recognitions.badge_end(app, criteria, voting.badge_valid_until(
            decision_type, valid_from, decision.deadline, rules), valid_from, override_reason)
        rec = DecisionRecord(
            agenda_item_id=item.id, application_id=app.id, kenmerk=k.text, year=k.year, number=k.number,
            decision_type=decision_type, motivation=motivation, decided_on=day, badge_valid_from=valid_from,
            badge_valid_until=until, conditional_deadline=decision.deadline, recorded_by=ctx.actor.name,
        )
        s.add(rec)
        s.flush()  # the recognition refers to the decision
        recognitions.apply_decision(uow, rec, app, criteria, override_reason)
        target = Status.COMPLETE if decision_type is DecisionType.DEFERRED else Status.DECIDED
        change_status(ctx, app.id, target, manual=False, on_date=day,
                      remark=_("Besluit {k}: {d}").format(k=k.text, d=decision_type.label))
        touch_meeting(m)
        uow.commit()
        return k.text
