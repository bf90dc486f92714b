"""The register of recognitions as a list, one recognition with its history, and what is due (issue 12).

Read only: the decisions change recognitions (``services/recognitions.py``). The status is derived on read
(``domain/recognition.status_of``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import Application, DecisionRecord, Organisation, Recognition
from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion, Municipality, Status
from commissie_app.domain.errors import NotFoundError
from commissie_app.domain.recognition import (
    Purpose,
    RecognitionDates,
    RecognitionEvent,
    RecognitionKind,
    RecognitionStatus,
)
from commissie_app.domain.rules import Rules
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork


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
        rec = load_recognition(uow, recognition_id)
        row = _detail_row(uow, rec, today, ctx.rules)
        history = tuple(EventInfo(e.event, e.on_date, e.kenmerk, e.decision_id, e.valid_until, e.note, e.at, e.by)
                        for e in sorted(rec.events, key=lambda e: (e.on_date, e.at)))
        follow_ups = tuple(FollowUpInfo(a.id, a.purpose, a.received_on, a.status) for a in uow.session.scalars(
            select(Application).where(Application.follow_up_of == rec.origin_application_id)
            .order_by(Application.received_on)))
        decisions = tuple(dict.fromkeys(e.decision_id for e in history if e.decision_id is not None))
        return RecognitionDetail(row, rec.version, rec.override_reason, rec.evidence_owed, rec.withdrawal_reason,
                                 history, follow_ups, decisions)


def load_recognition(uow: UnitOfWork, recognition_id: uuid.UUID) -> Recognition:
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
    rules = ctx.rules  # read once: each read of ctx.rules is a query
    items = [item for r in due_for_reassessment(ctx, today) for item in _ends_of(r, today, rules)]
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
