"""In the meeting: votes on an application item and the decision that follows (with its kenmerk)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import (
    AgendaItem,
    Application,
    DecisionRecord,
    Recognition,
    RecognitionEventRecord,
    VoteRecord,
)
from commissie_app.domain import kenmerk as kenmerk_rules
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.decision_content import DecisionContent, check_content
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
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


def refuse_if_decided(uow: UnitOfWork, item: AgendaItem, message: str) -> None:
    """Refuse with ``message`` once the item has a decision: what the decision rests on stays as it was."""
    if uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
        raise DomainError(message)


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
        refuse_if_decided(uow, item, _("Over dit agendapunt is al besloten; de stemming ligt vast."))
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
                    criteria_met: list[Criterion] | None = None, override_reason: str = "",
                    content: DecisionContent = DecisionContent()) -> str:
    """Record the decision on an application item; returns its kenmerk.

    The decision must agree with the vote. The application becomes 'besloten', or 'compleet' again when
    the decision is 'aangehouden'. A recognition stores the badge's start and, if conditional, the deadline.
    A granting decision rests on ``criteria_met`` (default: those the consolidated assessment answered 'ja');
    the badge never runs past the end of their certificates unless ``override_reason`` says why. The
    organisation's recognition is made or changed in the same unit of work (``services/recognitions.py``).
    ``content`` holds what the letter states besides (issue 14): a conditional recognition's conditions, and
    for 'aangehouden' the request and the date it is due (both required then; ``domain/decision_content``).
    """
    require(ctx, Action.RECORD_DECISION)
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Schrijf de motivering van het besluit.")})
    rules = ctx.rules
    for attempt in range(3):
        try:
            return _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules,
                                    criteria_met, override_reason, content)
        except IntegrityError:
            # another machine took the same kenmerk number at the same moment: take the next one
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules: Rules,
                     chosen: list[Criterion] | None, override_reason: str, content: DecisionContent) -> str:
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
        content = check_content(decision_type, day, content)
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
            criteria_met=[c.value for c in criteria], conditions=content.conditions,
            deferral_request=content.deferral_request, answer_by=content.answer_by,
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


def clear_vote(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """Clear one member's vote while the meeting is open and the item is not decided (to cast it again);
    whoever may record votes today may clear one. The audit log keeps the vote removed."""
    require(ctx, Action.RECORD_VOTES)
    remove_before_decision(
        ctx, item_id, member_id, "votes", action="clear_vote", shared=True,
        decided=_("Over dit agendapunt is al besloten; de stemming ligt vast. Wijzig zo nodig het besluit."),
        missing=_("Dit lid heeft bij dit agendapunt (nog) niet gestemd; er is niets te wissen."))


def remove_before_decision(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, rows: str, *, action: str,
                           decided: str, missing: str, shared: bool = False) -> None:
    """Remove the member's row of the item's ``rows`` (votes, conflicts) in the open meeting before the item is
    decided (``decided``: the refusal after); the audit log keeps the removed row under ``action``."""
    with UnitOfWork(ctx) as uow:
        uow.action = action
        item = item_row(uow, item_id)
        mrules.check_open_for_business(lock_meeting(uow, item.meeting_id, shared=shared).status)
        refuse_if_decided(uow, item, decided)
        collection = getattr(item, rows)
        row = next((r for r in collection if r.member_id == member_id), None)
        if row is None:
            raise NotFoundError(missing)
        collection.remove(row)  # delete-orphan: the row goes
        commit_rows(uow)


def change_decision(ctx: ServiceContext, decision_id: uuid.UUID, decision_type: DecisionType, motivation: str,
                    reason: str, *, deadline: dt.date | None = None,
                    criteria_met: list[Criterion] | None = None,
                    content: DecisionContent = DecisionContent()) -> str:
    """Change the type of a decision while its meeting is open (after closing it is a correction): the same
    kenmerk, the new type checked against the vote, the recognition following; the reason goes into the audit
    log. A decision cannot become 'aangehouden' (the application would leave the agenda); from 'aangehouden'
    it can (its request and date are then cleared). ``content``: the conditions of a conditional recognition.
    Returns the kenmerk."""
    require(ctx, Action.RECORD_DECISION)
    motivation, reason = motivation.strip(), " ".join((reason or "").split())
    errors = {}
    if not motivation:
        errors["motivation"] = _("Schrijf de motivering van het besluit.")
    if not reason:
        errors["reason"] = _("Geef de reden op waarom het besluit wordt gewijzigd.")
    if errors:
        raise ValidationError(errors)
    rules = ctx.rules
    with UnitOfWork(ctx) as uow:
        uow.action = "change_decision"
        s = uow.session
        d = s.get(DecisionRecord, decision_id)
        if d is None:
            raise NotFoundError(_("Dit besluit bestaat niet (meer)."))
        item = item_row(uow, d.agenda_item_id)
        m = lock_meeting(uow, item.meeting_id)
        mrules.check_open_for_business(m.status)
        old = d.decision_type
        if decision_type is old:
            raise DomainError(_("Het besluit is al ‘{d}’; kies een ander besluit.").format(d=old.label))
        if decision_type is DecisionType.DEFERRED:
            raise DomainError(_("Een besluit kan niet achteraf ‘{deferred}’ worden: de aanvraag zou dan van de agenda "
                                "gaan. Kies een besluit dat bij de stemming past.")
                              .format(deferred=DecisionType.DEFERRED.label))
        app = s.get(Application, item.application_id)
        tally = _item_tally(item, attendees_of(uow, m), rules)
        decision = voting.check_decision(tally, decision_type, decision_date=d.decided_on, deadline=deadline,
                                         reassessment=app.purpose is Purpose.REASSESSMENT)
        content = check_content(decision_type, d.decided_on, content)
        recognitions.check_decision_fits(uow, app, decision_type)
        linked = s.scalars(select(Recognition).join(RecognitionEventRecord).where(
            RecognitionEventRecord.decision_id == d.id)).first()
        rested_on = d.criteria_met or (linked.criteria if linked is not None else [])
        if criteria_met is None and rested_on:  # the criteria the decision rested on
            criteria_met = [Criterion(c) for c in rested_on]
        criteria = recognitions.criteria_met(uow, app, decision_type, criteria_met, rules)
        valid_from = recognitions.default_valid_from(uow, app, d.decided_on) if decision_type.recognises else None
        until = recognitions.badge_end(app, criteria, voting.badge_valid_until(
            decision_type, valid_from, decision.deadline, rules), valid_from, "")
        d.decision_type, d.motivation, d.conditional_deadline = decision_type, motivation, decision.deadline
        d.badge_valid_from, d.badge_valid_until = valid_from, until
        d.criteria_met, d.conditions = [c.value for c in criteria], content.conditions
        d.deferral_request, d.answer_by = content.deferral_request, content.answer_by
        s.flush()
        if linked is None:
            recognitions.apply_decision(uow, d, app, criteria)
        else:
            recognitions.apply_correction(uow, d, app, reason)
        if old is DecisionType.DEFERRED:  # the application comes back from 'compleet' and is decided now
            for target in (Status.SCHEDULED, Status.DECIDED):
                change_status(ctx, app.id, target, manual=False, on_date=d.decided_on,
                              remark=_("Besluit {k} gewijzigd: {d}").format(k=d.kenmerk, d=decision_type.label))
        uow.record_event("change_decision", "decision", d.id,
                         {"kenmerk": d.kenmerk, "decision_type": decision_type.value, "reason": reason},
                         old={"kenmerk": d.kenmerk, "decision_type": old.value})
        touch_meeting(m)
        uow.commit()
        return d.kenmerk
