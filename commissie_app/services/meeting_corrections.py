"""Corrections of a closed meeting: a vote, a decision (its type, deadline, motivation).

Each is a new row in ``corrections`` (the stored vote and decision rows never change), checked against
the whole meeting as it would stand (``domain/meetings.check_correction``). A vote correction that changes
the outcome so that the decision no longer fits needs the corrected decision in the same step. Attendance
is corrected through ``meeting_attendance.set_attendance(..., correction_reason=...)``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from commissie_app.db.models import AgendaItem, Application, DecisionRecord, Meeting
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import DecisionType, VoteChoice
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import (
    DecisionInfo,
    Pending,
    StoredItem,
    checked_reason,
    commit_rows,
    domain_item,
    domain_record,
    item_row,
    load_record,
    lock_meeting,
    store_corrections,
)
from commissie_app.services import recognitions
from commissie_app.services.rules import rules_of_meeting
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class CorrectedDecision:
    """The decision on an item as a correction gives it; ``deadline`` only for a conditional recognition
    (None: the one already recorded, or the default term). ``conditions`` and ``criteria_met`` (None: as
    recorded) are what the letter states; they are cleared for a type they do not belong to."""

    decision_type: DecisionType
    motivation: str
    deadline: dt.date | None = None
    conditions: str | None = None
    criteria_met: tuple[Criterion, ...] | None = None


@dataclass(frozen=True)
class VoteCorrectionPreview:
    """What a vote correction would do to its item, for the correction dialog."""

    before: voting.Tally
    after: voting.Tally
    decision: DecisionInfo | None
    decision_needed: bool  # the recorded decision no longer agrees with the vote
    allowed: frozenset[DecisionType]  # decisions a correction may give the item after this vote


def correct_decision_motivation(ctx: ServiceContext, decision_id: uuid.UUID, motivation: str, reason: str) -> None:
    """After closing, the motivation can only be corrected by a separate, audited record."""
    require(ctx, Action.CORRECT_RECORD)
    with UnitOfWork(ctx) as uow:
        d = _decision_row(uow, decision_id)
        current = load_record(uow, item_row(uow, d.agenda_item_id).meeting).of(d.agenda_item_id).decision
    correct_decision(ctx, decision_id, CorrectedDecision(current.decision_type, motivation,
                                                         current.conditional_deadline), reason)


def correct_decision(ctx: ServiceContext, decision_id: uuid.UUID, decision: CorrectedDecision, reason: str) -> None:
    """Correct a decision of a closed meeting (a new record; the original row stays). The corrected decision
    must agree with the vote as it stands; its letter is a new letter version."""
    require(ctx, Action.CORRECT_RECORD)
    ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        d = _decision_row(uow, decision_id)
        item = item_row(uow, d.agenda_item_id)
        _check_closed(lock_meeting(uow, item.meeting_id))
        rules = rules_of_meeting(ctx, uow.session, item.meeting.closed_at)
        pending = _decision_changes(uow, item, load_record(uow, item.meeting).of(item.id).decision, decision, rules)
        if not pending:
            raise DomainError(_("Het gecorrigeerde besluit is gelijk aan het vastgelegde; er is niets te corrigeren."))
        store_corrections(uow, item.meeting, pending, reason, rules)
        _recognition_follows(uow, item, reason)
        commit_rows(uow)


def _recognition_follows(uow: UnitOfWork, item: AgendaItem, reason: str) -> None:
    """The organisation's recognition follows the decision as the correction leaves it (issue 12)."""
    stands = load_record(uow, item.meeting).of(item.id).decision
    if stands is not None:
        recognitions.apply_correction(uow, stands, uow.session.get(Application, item.application_id),
                                      checked_reason(reason))


def _decision_row(uow: UnitOfWork, decision_id: uuid.UUID) -> DecisionRecord:
    d = uow.session.get(DecisionRecord, decision_id)
    if d is None:
        raise NotFoundError(_("Dit besluit bestaat niet (meer)."))
    return d


def _check_closed(m: Meeting) -> None:
    if m.status is not MeetingStatus.CLOSED:
        raise DomainError(_("Een correctie is alleen nodig nadat de vergadering is gesloten; zolang zij open is, "
                            "wijzigt u het besluit of de stem zelf."))


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_json(v) for v in value]
    return value.value if isinstance(value, (DecisionType, Criterion)) else value


def _decision_changes(uow: UnitOfWork, item: AgendaItem, current: DecisionInfo | None, new: CorrectedDecision,
                      rules: Rules) -> tuple[Pending, ...]:
    """The corrections that turn ``current`` into ``new`` (badge dates follow from the type and the rules)."""
    if current is None:
        raise DomainError(_("Over dit agendapunt is geen besluit vastgelegd; er is niets te corrigeren."))
    motivation = (new.motivation or "").strip()
    if not motivation:
        raise ValidationError({"motivation": _("Schrijf de motivering van het gecorrigeerde besluit.")})
    kind = new.decision_type
    if kind is not current.decision_type and DecisionType.DEFERRED in (kind, current.decision_type):
        raise DomainError(_(
            "Een besluit kan met een correctie niet ‘{deferred}’ worden of ophouden dat te zijn: dan verandert ook de "
            "status van de aanvraag. Zet de aanvraag zo nodig op de agenda van een volgende vergadering."
        ).format(deferred=DecisionType.DEFERRED.label))
    recognised = kind in (DecisionType.GRANTED, DecisionType.CONDITIONAL)
    valid_from = (current.badge_valid_from or current.decided_on) if recognised else None
    deadline = new.deadline
    if kind is DecisionType.CONDITIONAL and deadline is None:
        deadline = current.conditional_deadline or voting.default_conditional_deadline(current.decided_on, rules)
    values = {"decision_type": kind, "motivation": motivation, "conditional_deadline": deadline,
              "badge_valid_from": valid_from,
              "badge_valid_until": voting.badge_valid_until(kind, valid_from, deadline, rules),
              "conditions": _corrected_conditions(current, new),
              "criteria_met": _corrected_criteria(item, current, new) if recognised else ()}
    return tuple(("decision", current.id, field, _json(getattr(current, field)), _json(value))
                 for field, value in values.items() if _json(getattr(current, field)) != _json(value))


def _corrected_conditions(current: DecisionInfo, new: CorrectedDecision) -> str:
    if new.decision_type is not DecisionType.CONDITIONAL:
        return ""
    return (current.conditions if new.conditions is None else new.conditions).strip()


def _corrected_criteria(item: AgendaItem, current: DecisionInfo, new: CorrectedDecision) -> tuple:
    """The criteria a recognising decision rests on after the correction: those given, else as recorded, else
    (a decision that recognised nothing before) the criteria of the application's evidence, as the recognition
    it now makes (``recognitions.apply_correction``)."""
    if new.criteria_met is not None:
        return tuple(new.criteria_met)
    if current.criteria_met or current.decision_type.recognises:
        return current.criteria_met
    return tuple(e.criterion for e in item.application.evidence)


def correct_vote(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, choice: VoteChoice, reason: str,
                 *, decision: CorrectedDecision | None = None) -> None:
    """A vote of a closed meeting is corrected by a separate record with a reason; the original stays.

    The whole meeting is checked as the correction would leave it. When the correction changes the outcome
    so that the recorded decision no longer fits, ``decision`` gives the corrected decision in the same
    step (a new letter version follows from it); without it the correction is refused.
    """
    require(ctx, Action.CORRECT_RECORD)
    reason = checked_reason(reason)
    ctx.rules
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        _check_closed(lock_meeting(uow, item.meeting_id))
        rules = rules_of_meeting(ctx, uow.session, item.meeting.closed_at)
        record = load_record(uow, item.meeting).of(item.id)
        pending = _vote_change(record, member_id, choice)
        if decision is not None:
            pending += _decision_changes(uow, item, record.decision, decision, rules)
        store_corrections(uow, item.meeting, pending, reason, rules)
        if decision is not None:
            _recognition_follows(uow, item, reason)
        commit_rows(uow)


def _vote_change(record: StoredItem, member_id: uuid.UUID, choice: VoteChoice) -> tuple[Pending, ...]:
    vote = next(((vid, old) for vid, mid, old in record.votes if mid == member_id), None)
    if vote is None:
        raise NotFoundError(_("Dit lid heeft niet gestemd op dit agendapunt."))
    vote_id, old = vote
    if old is choice:
        raise DomainError(_("De stem is al ‘{c}’; er is niets te corrigeren.").format(c=choice.label))
    return (("vote", vote_id, "choice", old.value if old else None, choice.value),)


def preview_vote_correction(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID,
                            choice: VoteChoice) -> VoteCorrectionPreview:
    """The tally before and after a vote correction, and whether the decision must be corrected with it."""
    ctx.rules
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = item.meeting
        rules = rules_of_meeting(ctx, uow.session, m.closed_at)
        before = load_record(uow, m)
        record = before.of(item.id)
        after = load_record(uow, m, _vote_change(record, member_id, choice))
        t_before = mrules.item_problems(domain_record(m, before), domain_item(record), rules)[0]
        t_after = mrules.item_problems(domain_record(m, after), domain_item(after.of(item.id)), rules)[0]
    current = record.decision
    if current is None:
        return VoteCorrectionPreview(t_before, t_after, None, False, frozenset())
    reassessment = domain_item(record).reassessment
    needed = current.decision_type not in voting.accepted_decisions(t_after, reassessment=reassessment)
    return VoteCorrectionPreview(t_before, t_after, current, needed,
                                 mrules.correctable_decisions(current.decision_type, t_after, reassessment))
