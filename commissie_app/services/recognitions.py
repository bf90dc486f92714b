"""The register of recognitions (issue 12, docs/register-design.md): what a decision does to an
organisation's recognition (here), the register as a list with one recognition's history and what is due
(``recognition_register``), follow-up applications (``recognition_follow_ups``); their names are also
available from this module.

A granting decision makes a recognition; a decision on a follow-up application (conversion, renewal,
reassessment) changes it; nothing here recomputes a recorded date. The status is derived on read
(``domain/recognition.status_of``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import event, select

from commissie_app.db.models import Application, Assessment, DecisionRecord, Recognition, RecognitionEventRecord
from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.recognition import Purpose, RecognitionEvent, RecognitionKind
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
# the register and the follow-ups, also by the names the design gives them here (docs/register-design.md)
from commissie_app.services.recognition_follow_ups import start_follow_up  # noqa: F401
from commissie_app.services.recognition_register import (  # noqa: F401
    EventInfo,
    FollowUpInfo,
    RecognitionDetail,
    RegisterQuery,
    RegisterRow,
    TodoItem,
    due_for_reassessment,
    get_recognition,
    list_register,
    recognition_of_application,
    todo,
)
from commissie_app.services.uow import UnitOfWork

CONSOLIDATED = "consolidated"  # services/assessments.CONSOLIDATED (not imported: no cycle through assessments)
#: the assessment form's question 'Onder welke voorwaarden?' (forms/assessment/kip-erkenning-v1.toml)
CONDITIONS_QUESTION = "advice_conditions"


# ---------------------------------------------------------------- what a decision does


def criteria_met(uow: UnitOfWork, app: Application, decision_type: DecisionType,
                 chosen: Iterable[Criterion] | None, rules: Rules) -> tuple[Criterion, ...]:
    """The criteria a granting decision rests on, checked: those chosen, or by default those the consolidated
    assessment answered 'ja'. Empty for a decision that recognises nothing."""
    if not decision_type.recognises:
        return ()
    if chosen is None:
        chosen = _assessed_criteria(uow, app.id)
        if not chosen:
            raise DomainError(_(
                "Kies de criteria waaraan de organisatie volgens de commissie voldoet: de gezamenlijke beoordeling "
                "beantwoordt geen criterium met ‘ja’."))
    return rrules.check_criteria_met(chosen, conditional=decision_type is DecisionType.CONDITIONAL,
                                     founded_on=app.organisation.founded_on, received_on=app.received_on,
                                     rules=rules)


def assessed_criteria(ctx: ServiceContext, app_id: uuid.UUID) -> tuple[Criterion, ...]:
    """The criteria the consolidated assessment of an application answered 'ja' (the decision dialog's
    starting point)."""
    with UnitOfWork(ctx) as uow:
        return _assessed_criteria(uow, app_id)


@dataclass(frozen=True)
class DecisionStart:
    """What the decision dialog starts from: the criteria the consolidated assessment found met, the
    criteria claimed, the end date of each certificate (the evidence's 'geldig tot'), and the conditions the
    consolidated assessment proposes for a conditional recognition (its 'Onder welke voorwaarden?')."""

    assessed: tuple[Criterion, ...]
    claimed: tuple[Criterion, ...]
    certificates: dict[Criterion, dt.date]
    conditions: str = ""


def decision_start(ctx: ServiceContext, app_id: uuid.UUID) -> DecisionStart:
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, app_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        answers = _consolidated_answers(uow, app_id)
        return DecisionStart(_assessed_criteria(uow, app_id), tuple(c for c in Criterion if c in
                                                                   {e.criterion for e in app.evidence}),
                             {e.criterion: e.valid_until for e in app.evidence if e.valid_until is not None},
                             str(answers.get(CONDITIONS_QUESTION) or "").strip())


def _consolidated_answers(uow: UnitOfWork, app_id: uuid.UUID) -> dict:
    return uow.session.scalar(select(Assessment.answers).where(
        Assessment.application_id == app_id, Assessment.kind == CONSOLIDATED)) or {}


def _assessed_criteria(uow: UnitOfWork, app_id: uuid.UUID) -> tuple[Criterion, ...]:
    answers = _consolidated_answers(uow, app_id)
    return tuple(c for c in Criterion if answers.get(f"crit_{c.value.lower()}") == "ja")


def certificate_until(app: Application, criteria: Iterable[Criterion]) -> dt.date | None:
    """The earliest end date of the certificates (the application's evidence) of the criteria met."""
    return rrules.certificate_end(((e.criterion, e.valid_until) for e in app.evidence), criteria)


def badge_end(app: Application, criteria: tuple[Criterion, ...], proposed: dt.date | None, valid_from: dt.date | None,
              override_reason: str) -> dt.date | None:
    """The badge's last day: ``proposed``, but never past the certificate's end without a reason."""
    end = rrules.capped_badge_end(proposed, certificate_until(app, criteria), override_reason)
    if end is not None and valid_from is not None:
        rrules.check_badge_end(valid_from, end)
    return end


def default_valid_from(uow: UnitOfWork, app: Application, day: dt.date) -> dt.date:
    """A renewal decided before the end date continues the badge the day after it ends; else the decision day."""
    rec = _followed(uow, app) if app.purpose is Purpose.RENEWAL else None
    if rec is not None and rec.withdrawn_on is None and rec.valid_until >= day:
        return rec.valid_until + dt.timedelta(days=1)
    return day


def check_decision_fits(uow: UnitOfWork, app: Application, decision_type: DecisionType) -> None:
    """A follow-up's decision needs the recognition it follows up, still standing."""
    if app.purpose is Purpose.NEW or decision_type in (DecisionType.DEFERRED, DecisionType.REJECTED):
        return
    rec = _followed(uow, app)
    if rec is None:
        raise DomainError(_("De erkenning waarop deze vervolgaanvraag volgt, is niet gevonden."))
    if rec.withdrawn_on is not None:
        raise DomainError(_("De erkenning waarop deze vervolgaanvraag volgt, is ingetrokken; daarover kan niet meer "
                            "worden besloten. Een nieuwe erkenning begint met een nieuwe aanvraag."))


def apply_decision(uow: UnitOfWork, decision: DecisionRecord, app: Application, criteria: tuple[Criterion, ...],
                   override_reason: str = "") -> Recognition | None:
    """What the decision does to the organisation's recognition, in the decision's unit of work: a new
    application's grant makes one; a conversion, renewal or reassessment changes the one it follows up;
    'ingetrokken' ends it; 'afgewezen' and 'aangehouden' change nothing."""
    dtype = decision.decision_type
    if not (dtype.recognises or dtype is DecisionType.WITHDRAWN):
        return None
    check_decision_fits(uow, app, dtype)
    if dtype is DecisionType.WITHDRAWN:
        return _withdraw(uow, _followed(uow, app), decision)
    if app.purpose is Purpose.NEW:
        rec = Recognition(organisation_id=app.organisation_id, origin_application_id=app.id, valid_from=
                          decision.badge_valid_from, created_at=uow.ctx.now())
        uow.session.add(rec)
        event = RecognitionEvent.CONDITIONAL if dtype is DecisionType.CONDITIONAL else RecognitionEvent.GRANTED
    else:
        rec = _followed(uow, app)
        event = _follow_up_event(app.purpose, rec, dtype)
    _set_period(rec, decision, app, criteria, override_reason)
    _add_event(uow, rec, event, decision, override_reason)
    return rec


def apply_correction(uow: UnitOfWork, stands, app: Application, reason: str) -> None:
    """A closed meeting's decision was corrected (``stands``: the decision as the record now stands, a
    ``meeting_record.DecisionInfo``): the recognition it set follows, with a 'gecorrigeerd' event; a decision
    that now recognises where it did not makes one (criteria: the application's evidence)."""
    rec = uow.session.scalars(select(Recognition).join(RecognitionEventRecord).where(
        RecognitionEventRecord.decision_id == stands.id)).first()
    dtype = stands.decision_type
    if rec is None:
        if dtype.recognises:
            rec = apply_decision(uow, stands, app, tuple(e.criterion for e in app.evidence))
            _add_event(uow, rec, RecognitionEvent.CORRECTED, stands, reason)
        return
    if rec.decision_id != stands.id:
        return  # a later decision set the recognition since: that one stands
    before = _period(rec)
    if dtype.recognises:
        rec.withdrawn_on, rec.withdrawal_reason = None, ""
        _set_period(rec, stands, app, tuple(Criterion(c) for c in rec.criteria), rec.override_reason)
    elif dtype is DecisionType.WITHDRAWN:
        rec.withdrawn_on, rec.withdrawal_reason = stands.decided_on, stands.motivation
    else:  # no longer a recognition: it ends on the decision's date
        rec.withdrawn_on, rec.withdrawal_reason = stands.decided_on, reason
    if _period(rec) != before:
        _add_event(uow, rec, RecognitionEvent.CORRECTED, stands, reason)


def _period(rec: Recognition) -> tuple:
    return rec.kind, rec.valid_until, rec.conditional_deadline, rec.withdrawn_on


def _follow_up_event(purpose: Purpose, rec: Recognition, dtype: DecisionType) -> RecognitionEvent:
    if dtype is DecisionType.GRANTED and rec.kind is RecognitionKind.CONDITIONAL:
        return RecognitionEvent.CONVERTED
    if dtype is DecisionType.CONDITIONAL and purpose is Purpose.CONVERSION:
        return RecognitionEvent.CONDITIONAL  # the commission gives more time
    return RecognitionEvent.RENEWED


def _set_period(rec: Recognition, decision: DecisionRecord, app: Application, criteria: tuple[Criterion, ...],
                override_reason: str) -> None:
    conditional = decision.decision_type is DecisionType.CONDITIONAL
    rec.decision_id = decision.id
    rec.kind = RecognitionKind.CONDITIONAL if conditional else RecognitionKind.FULL
    rec.criteria = [c.value for c in criteria]
    rec.valid_until = decision.badge_valid_until
    rec.certificate_until = certificate_until(app, criteria)
    rec.override_reason = override_reason.strip() if _past_certificate(rec) else ""
    rec.conditional_deadline = decision.conditional_deadline if conditional else None
    # what a conditional recognition still owes, unless the decision says otherwise
    rec.evidence_owed = _("Een keurmerk of inschrijving voor een van de andere criteria.") if conditional else ""


def _past_certificate(rec: Recognition) -> bool:
    return rec.certificate_until is not None and rec.valid_until > rec.certificate_until


def _withdraw(uow: UnitOfWork, rec: Recognition, decision: DecisionRecord) -> Recognition:
    rec.decision_id = decision.id
    rec.withdrawn_on = decision.decided_on
    rec.withdrawal_reason = decision.motivation
    _add_event(uow, rec, RecognitionEvent.WITHDRAWN, decision, decision.motivation)
    return rec


def _add_event(uow: UnitOfWork, rec: Recognition, event: RecognitionEvent, decision: DecisionRecord | None,
               note: str = "", on_date: dt.date | None = None) -> None:
    rec.events.append(RecognitionEventRecord(
        event=event, decision_id=decision.id if decision else None, kenmerk=decision.kenmerk if decision else "",
        on_date=on_date or decision.decided_on, valid_until=rec.valid_until, note=note.strip(), at=uow.ctx.now(),
        by=uow.ctx.actor.name))


@event.listens_for(RecognitionEventRecord, "before_update")
@event.listens_for(RecognitionEventRecord, "before_delete")
def _history_stays(mapper, connection, target: RecognitionEventRecord) -> None:
    """A line of a recognition's history is never changed or removed: a change is a new line."""
    raise DomainError(_("De geschiedenis van een erkenning wordt niet gewijzigd; een wijziging is een nieuwe regel."))


def _followed(uow: UnitOfWork, app: Application) -> Recognition | None:
    """The recognition a follow-up application continues (``follow_up_of`` is its origin application)."""
    if app.follow_up_of is None:
        return None
    return uow.session.scalars(select(Recognition).where(
        Recognition.origin_application_id == app.follow_up_of)).first()
