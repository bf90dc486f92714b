"""The register of recognitions (issue 12, docs/register-design.md): what a decision does to an
organisation's recognition, the register as a list, one recognition with its history, what is due.

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

from commissie_app.db.models import (
    Application,
    Assessment,
    DecisionRecord,
    Evidence,
    Organisation,
    Recognition,
    RecognitionEventRecord,
    StatusChange,
)
from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion, Municipality, Status
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.permissions import Action
from commissie_app.domain.recognition import (
    Purpose,
    RecognitionDates,
    RecognitionEvent,
    RecognitionKind,
    RecognitionStatus,
)
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork

CONSOLIDATED = "consolidated"  # services/assessments.CONSOLIDATED (not imported: no cycle through assessments)
#: what a conditional recognition still owes, unless the decision says otherwise
EVIDENCE_OWED = "Een keurmerk of inschrijving voor een van de andere criteria."


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
    criteria claimed, and the end date of each certificate (the evidence's 'geldig tot')."""

    assessed: tuple[Criterion, ...]
    claimed: tuple[Criterion, ...]
    certificates: dict[Criterion, dt.date]


def decision_start(ctx: ServiceContext, app_id: uuid.UUID) -> DecisionStart:
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, app_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        return DecisionStart(_assessed_criteria(uow, app_id), tuple(c for c in Criterion if c in
                                                                   {e.criterion for e in app.evidence}),
                             {e.criterion: e.valid_until for e in app.evidence if e.valid_until is not None})


def _assessed_criteria(uow: UnitOfWork, app_id: uuid.UUID) -> tuple[Criterion, ...]:
    answers = uow.session.scalar(select(Assessment.answers).where(
        Assessment.application_id == app_id, Assessment.kind == CONSOLIDATED)) or {}
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
    rec.evidence_owed = _(EVIDENCE_OWED) if conditional else ""


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


# ---------------------------------------------------------------- the register


@dataclass(frozen=True)
class RegisterRow:
    id: uuid.UUID
    organisation_id: uuid.UUID
    name: str
    kvk: str
    municipality: Municipality
    website: str
    criteria: tuple[Criterion, ...]
    kind: RecognitionKind
    status: RecognitionStatus
    kenmerk: str
    valid_from: dt.date
    valid_until: dt.date
    certificate_until: dt.date | None
    conditional_deadline: dt.date | None
    withdrawn_on: dt.date | None
    origin_application_id: uuid.UUID


@dataclass(frozen=True)
class RegisterQuery:
    """Search text (name, KvK, kenmerk, place), and filters; None: all."""

    text: str = ""
    statuses: frozenset[RecognitionStatus] | None = None
    criterion: Criterion | None = None
    municipality: Municipality | None = None


_REGISTER_COLUMNS = (Recognition.id, Recognition.organisation_id, Organisation.name, Organisation.kvk,
                     Organisation.municipality, Organisation.website, Recognition.criteria, Recognition.kind,
                     DecisionRecord.kenmerk, Recognition.valid_from, Recognition.valid_until,
                     Recognition.certificate_until, Recognition.conditional_deadline, Recognition.withdrawn_on,
                     Recognition.origin_application_id, Organisation.place)


def list_register(ctx: ServiceContext, query: RegisterQuery | None = None, *,
                  today: dt.date | None = None) -> list[RegisterRow]:
    """Every recognition (one Core query, no ORM objects), by organisation name, with its status today."""
    today, rules = today or ctx.today(), ctx.rules
    stmt = (select(*_REGISTER_COLUMNS).join(Organisation, Organisation.id == Recognition.organisation_id)
            .join(DecisionRecord, DecisionRecord.id == Recognition.decision_id)
            .order_by(Organisation.name, Recognition.valid_from))
    with ctx.db.engine.connect() as conn:
        rows = [_register_row(r, today, rules) for r in conn.execute(stmt)]
    return [r for r, place in rows if _matches(r, place, query)] if query else [r for r, _p in rows]


def _register_row(r, today: dt.date, rules: Rules) -> tuple[RegisterRow, str]:
    kind = RecognitionKind(r.kind)
    dates = RecognitionDates(kind, r.valid_until, r.certificate_until, r.withdrawn_on)
    row = RegisterRow(
        r.id, r.organisation_id, r.name, r.kvk, Municipality(r.municipality), r.website,
        tuple(Criterion(c) for c in r.criteria), kind, rrules.status_of(dates, today, rules), r.kenmerk,
        r.valid_from, r.valid_until, r.certificate_until, r.conditional_deadline, r.withdrawn_on,
        r.origin_application_id)
    return row, r.place


def _matches(row: RegisterRow, place: str, q: RegisterQuery) -> bool:
    if q.statuses is not None and row.status not in q.statuses:
        return False
    if q.criterion is not None and q.criterion not in row.criteria:
        return False
    if q.municipality is not None and row.municipality is not q.municipality:
        return False
    needle = q.text.strip().lower()
    return not needle or any(needle in v.lower() for v in (row.name, row.kvk, row.kenmerk, place))


# ---------------------------------------------------------------- one recognition


@dataclass(frozen=True)
class EventInfo:
    event: RecognitionEvent
    on_date: dt.date
    kenmerk: str
    decision_id: uuid.UUID | None
    valid_until: dt.date | None
    note: str
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class FollowUpInfo:
    application_id: uuid.UUID
    purpose: Purpose
    received_on: dt.date
    status: Status


@dataclass(frozen=True)
class RecognitionDetail:
    row: RegisterRow
    version: int
    override_reason: str
    evidence_owed: str
    withdrawal_reason: str
    history: tuple[EventInfo, ...]
    follow_ups: tuple[FollowUpInfo, ...]
    decision_ids: tuple[uuid.UUID, ...]  # every decision in its history (their letters are its documents)


def get_recognition(ctx: ServiceContext, recognition_id: uuid.UUID, *, today: dt.date | None = None
                    ) -> RecognitionDetail:
    """One recognition as it stands today, with its whole history and its follow-up applications."""
    today = today or ctx.today()
    with UnitOfWork(ctx) as uow:
        rec = _load(uow, recognition_id)
        row = _detail_row(uow, rec, today, ctx.rules)
        history = tuple(EventInfo(e.event, e.on_date, e.kenmerk, e.decision_id, e.valid_until, e.note, e.at, e.by)
                        for e in sorted(rec.events, key=lambda e: (e.on_date, e.at)))
        follow_ups = tuple(FollowUpInfo(a.id, a.purpose, a.received_on, a.status) for a in uow.session.scalars(
            select(Application).where(Application.follow_up_of == rec.origin_application_id)
            .order_by(Application.received_on)))
        decisions = tuple(dict.fromkeys(e.decision_id for e in history if e.decision_id is not None))
        return RecognitionDetail(row, rec.version, rec.override_reason, rec.evidence_owed, rec.withdrawal_reason,
                                 history, follow_ups, decisions)


def _load(uow: UnitOfWork, recognition_id: uuid.UUID) -> Recognition:
    rec = uow.session.get(Recognition, recognition_id)
    if rec is None:
        raise NotFoundError(_("Deze erkenning bestaat niet (meer)."))
    return rec


def _detail_row(uow: UnitOfWork, rec: Recognition, today: dt.date, rules: Rules) -> RegisterRow:
    org, kenmerk = rec.organisation, uow.session.get(DecisionRecord, rec.decision_id).kenmerk
    dates = RecognitionDates(rec.kind, rec.valid_until, rec.certificate_until, rec.withdrawn_on)
    return RegisterRow(rec.id, org.id, org.name, org.kvk, org.municipality, org.website,
                       tuple(Criterion(c) for c in rec.criteria), rec.kind, rrules.status_of(dates, today, rules),
                       kenmerk, rec.valid_from, rec.valid_until, rec.certificate_until, rec.conditional_deadline,
                       rec.withdrawn_on, rec.origin_application_id)


def recognition_of_application(ctx: ServiceContext, app_id: uuid.UUID) -> uuid.UUID | None:
    """The recognition an application made or follows up (None: none)."""
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, app_id)
        if app is None:
            return None
        origin = app.follow_up_of or app.id
        return uow.session.scalar(select(Recognition.id).where(Recognition.origin_application_id == origin))


# ---------------------------------------------------------------- what is due


def _open_follow_up_origins(conn) -> set[uuid.UUID]:
    """Origin applications that already have a follow-up still in progress."""
    return set(conn.execute(select(Application.follow_up_of).where(
        Application.follow_up_of.is_not(None), Application.status.not_in((Status.DECIDED, Status.WITHDRAWN)))
    ).scalars())


def due_for_reassessment(ctx: ServiceContext, today: dt.date | None = None) -> list[RegisterRow]:
    """Standing recognitions whose badge (or certificate, or conditional deadline) ends within the reminder
    period, or has ended, without a follow-up application in progress: to propose for an agenda."""
    today = today or ctx.today()
    horizon = rrules.reminder_horizon(today, ctx.rules)
    with ctx.db.engine.connect() as conn:
        busy = _open_follow_up_origins(conn)
    return [r for r in list_register(ctx, today=today)
            if r.withdrawn_on is None and r.origin_application_id not in busy
            and min(d for d in (r.valid_until, r.certificate_until, r.conditional_deadline) if d) <= horizon]


@dataclass(frozen=True)
class TodoItem:
    """One thing for the secretary: what ends or is overdue, on which date, for whom."""

    kind: str  # badge | certificate | conditional | info_request
    on_date: dt.date
    name: str
    text: str
    recognition_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None


def todo(ctx: ServiceContext, today: dt.date | None = None) -> list[TodoItem]:
    """Badges, certificates and conditional deadlines ending within the reminder period (or ended without a
    follow-up), and information requests past their due date; by date. (Letters made but not sent are the
    letters' part: ``services/letter_*``.)"""
    today = today or ctx.today()
    items = [item for r in due_for_reassessment(ctx, today) for item in _ends_of(r, today, ctx.rules)]
    items += _overdue_requests(ctx, today)
    return sorted(items, key=lambda i: (i.on_date, i.name))


def _ends_of(r: RegisterRow, today: dt.date, rules: Rules) -> list[TodoItem]:
    horizon = rrules.reminder_horizon(today, rules)
    ends = (("badge", r.valid_until, _("SROI-badge loopt af")),
            ("certificate", r.certificate_until, _("Certificaat loopt af")),
            ("conditional", r.conditional_deadline, _("Termijn voorwaardelijke erkenning loopt af")))
    return [TodoItem(kind, day, r.name, text, recognition_id=r.id, application_id=r.origin_application_id)
            for kind, day, text in ends if day is not None and day <= horizon]


def _overdue_requests(ctx: ServiceContext, today: dt.date) -> list[TodoItem]:
    stmt = (select(Application.id, Application.info_due_on, Organisation.name)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .where(Application.status == Status.INFO_REQUESTED, Application.info_due_on < today))
    with ctx.db.engine.connect() as conn:
        return [TodoItem("info_request", due, name, _("Gevraagde informatie niet ontvangen"), application_id=app_id)
                for app_id, due, name in conn.execute(stmt)]


# ---------------------------------------------------------------- follow-up applications


def start_follow_up(ctx: ServiceContext, recognition_id: uuid.UUID, purpose: Purpose,
                    received_on: dt.date | None = None, notes: str = "",
                    evidence: tuple[EvidenceData, ...] | None = None) -> uuid.UUID:
    """A follow-up application of a recognition (status 'ontvangen'), linked to it; its evidence is
    ``evidence`` or, by default, the last application's, to be brought up to date. Assessed, put on an agenda
    and decided like any other."""
    require(ctx, Action.REGISTER_APPLICATION)
    if not purpose.is_follow_up:
        raise DomainError(_("Een vervolgaanvraag is een omzetting, verlenging of herbeoordeling."))
    received_on = received_on or ctx.today()
    if received_on > ctx.today():
        raise ValidationError({"received_on": _("De datum van ontvangst kan niet in de toekomst liggen.")})
    with UnitOfWork(ctx) as uow:
        rec = _load(uow, recognition_id)
        _check_can_follow_up(uow, rec, purpose)
        app = _new_follow_up(uow, rec, purpose, received_on, notes, evidence)
        uow.commit()
        return app.id


def _check_can_follow_up(uow: UnitOfWork, rec: Recognition, purpose: Purpose) -> None:
    if rec.withdrawn_on is not None:
        raise DomainError(_("Deze erkenning is ingetrokken; een nieuwe erkenning begint met een nieuwe aanvraag."))
    if purpose is Purpose.CONVERSION and rec.kind is not RecognitionKind.CONDITIONAL:
        raise DomainError(_("Alleen een voorwaardelijke erkenning kan worden omgezet naar een volledige."))
    busy = uow.session.scalars(select(Application.id).where(
        Application.follow_up_of == rec.origin_application_id,
        Application.status.not_in((Status.DECIDED, Status.WITHDRAWN)))).first()
    if busy is not None:
        raise DomainError(_("Voor deze erkenning loopt al een vervolgaanvraag; rond die eerst af."))


def _new_follow_up(uow: UnitOfWork, rec: Recognition, purpose: Purpose, received_on: dt.date,
                   notes: str, evidence: tuple[EvidenceData, ...] | None) -> Application:
    if evidence is None:
        last = uow.session.get(Application, _latest_application_id(uow, rec))
        evidence = tuple(EvidenceData(e.criterion, e.reference, e.valid_until) for e in last.evidence)
    if uow.session.scalars(select(Application.id).where(Application.organisation_id == rec.organisation_id,
                                                        Application.received_on == received_on)).first():
        raise DomainError(_("Deze organisatie heeft al een aanvraag die op deze datum is ontvangen."))
    app = Application(
        id=uuid.uuid4(), organisation_id=rec.organisation_id, received_on=received_on, status=Status.RECEIVED,
        purpose=purpose, follow_up_of=rec.origin_application_id, notes=notes.strip(),
        evidence=[Evidence(criterion=e.criterion, reference=e.reference, valid_until=e.valid_until)
                  for e in evidence])
    app.status_changes.append(StatusChange(
        from_status=None, to_status=Status.RECEIVED, on_date=received_on, by=uow.ctx.actor.name,
        remark=_("Vervolgaanvraag ({purpose})").format(purpose=purpose.label)))
    uow.session.add(app)
    return app


def _latest_application_id(uow: UnitOfWork, rec: Recognition) -> uuid.UUID:
    """The application of the decision that last set the recognition."""
    return uow.session.get(DecisionRecord, rec.decision_id).application_id
