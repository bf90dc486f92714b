"""The advice register (issue 15): the commission's advice to the Coördinatieteam, asked and unasked (seed 004).

An advice is recorded (subject, asked by whom and when, or unasked; its text), adopted in an opened meeting at
an agenda item (usually the standard item "Advies aan het Coördinatieteam": the meeting and item are kept),
sent, and answered (the response and its date). Its status follows from those dates (``domain/advice``).
The secretary and the chair record (``Action.RECORD_ADVICE``); members and observers read. Every change names
the version it was loaded at and is refused when someone else saved in between; the unit of work audits it.

``agenda_notes`` gives the lines the two standard agenda items show (meeting view and agenda PDF): the open
advice, and the developments since the previous meeting. ``year_summary`` gives the annual report's figures.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commissie_app.db.models import Advice, AdviceMemo, AgendaItem, Development, Meeting
from commissie_app.domain import advice as rules
from commissie_app.domain.advice import ADVICE_ITEM, DEVELOPMENTS_ITEM, AdviceData, AdviceStatus
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_officers import meeting_day
from commissie_app.services.stale_edits import checked_row
from commissie_app.services.uow import UnitOfWork

#: the first meeting (no meeting before it) shows the developments of this many days before it
FIRST_MEETING_DAYS = 183


@dataclass(frozen=True)
class AdviceInfo:
    id: uuid.UUID
    version: int
    subject: str
    asked: bool
    asked_by: str
    asked_on: dt.date | None
    text: str
    meeting_id: uuid.UUID | None
    agenda_item_id: uuid.UUID | None
    item_number: int | None  # the item's place on that meeting's agenda (1-based)
    adopted_on: dt.date | None
    sent_on: dt.date | None
    response: str
    response_on: dt.date | None
    recorded_by: str
    created_at: dt.datetime
    memos: int = 0

    @property
    def status(self) -> AdviceStatus:
        return rules.advice_status(self.adopted_on, self.sent_on, self.response_on)

    @property
    def data(self) -> AdviceData:
        return AdviceData(self.subject, self.asked, self.text, self.asked_by, self.asked_on)

    @property
    def kind_text(self) -> str:
        """'gevraagd door Jan Jansen op 3 maart 2026' or 'ongevraagd'."""
        return rules.occasion_text(self.asked, self.asked_by, self.asked_on)

    @property
    def adopted_text(self) -> str:
        """'vergadering van 12 maart 2026, agendapunt 5' ('' when not adopted)."""
        return rules.adopted_text(self.adopted_on, self.item_number)

    @property
    def line(self) -> str:
        """One line for the agenda and the meeting view: subject, asked or not, status."""
        return _("{subject} ({kind}; {status})").format(subject=self.subject, kind=self.kind_text,
                                                         status=self.status.label)


def _infos(uow: UnitOfWork, where=None) -> list[AdviceInfo]:
    memos = (select(AdviceMemo.advice_id, func.count().label("n")).group_by(AdviceMemo.advice_id).subquery())
    q = (select(Advice, AgendaItem.position, func.coalesce(memos.c.n, 0))
         .outerjoin(AgendaItem, AgendaItem.id == Advice.agenda_item_id)
         .outerjoin(memos, memos.c.advice_id == Advice.id)
         .order_by(Advice.created_at.desc(), Advice.id))
    if where is not None:
        q = q.where(where)
    out = []
    for a, position, n in uow.session.execute(q).all():
        out.append(AdviceInfo(
            id=a.id, version=a.version, subject=a.subject, asked=a.asked, asked_by=a.asked_by, asked_on=a.asked_on,
            text=a.text, meeting_id=a.meeting_id, agenda_item_id=a.agenda_item_id,
            item_number=None if position is None else position + 1, adopted_on=a.adopted_on, sent_on=a.sent_on,
            response=a.response, response_on=a.response_on, recorded_by=a.recorded_by, created_at=a.created_at,
            memos=n))
    return out


def list_advice(ctx: ServiceContext, *, open_only: bool = False) -> list[AdviceInfo]:
    """Every advice (or only those not yet answered), the newest recorded first."""
    with UnitOfWork(ctx) as uow:
        return _infos(uow, Advice.response_on.is_(None) if open_only else None)


def get_advice(ctx: ServiceContext, advice_id: uuid.UUID) -> AdviceInfo:
    with UnitOfWork(ctx) as uow:
        found = _infos(uow, Advice.id == advice_id)
    if not found:
        raise NotFoundError(_("Dit advies bestaat niet (meer)."))
    return found[0]


# ---------------------------------------------------------------- changes


def _row(uow: UnitOfWork, advice_id: uuid.UUID, expected_version: int) -> Advice:
    return checked_row(uow.session, Advice, advice_id, expected_version, "advice", _("Dit advies bestaat niet (meer)."))


def add_advice(ctx: ServiceContext, data: AdviceData) -> uuid.UUID:
    require(ctx, Action.RECORD_ADVICE)
    data = rules.validate_advice(data, ctx.today())
    with UnitOfWork(ctx) as uow:
        row = Advice(subject=data.subject, asked=data.asked, asked_by=data.asked_by, asked_on=data.asked_on,
                     text=data.text, response="", recorded_by=ctx.actor.name)
        uow.session.add(row)
        uow.commit()
        return row.id


def update_advice(ctx: ServiceContext, advice_id: uuid.UUID, data: AdviceData, *, expected_version: int) -> None:
    """Change the subject, the question or the text; refused once the advice has been sent."""
    require(ctx, Action.RECORD_ADVICE)
    data = rules.validate_advice(data, ctx.today())
    with UnitOfWork(ctx) as uow:
        row = _row(uow, advice_id, expected_version)
        if row.sent_on is not None:
            raise DomainError(_("Dit advies is op {day} verzonden en kan niet meer worden gewijzigd. Leg een "
                                "aanvulling vast als een nieuw advies.").format(day=format_date_nl(row.sent_on)))
        row.subject, row.asked, row.asked_by, row.asked_on, row.text = (
            data.subject, data.asked, data.asked_by, data.asked_on, data.text)
        uow.commit()


def adopt_advice(ctx: ServiceContext, advice_id: uuid.UUID, agenda_item_id: uuid.UUID, *,
                 expected_version: int) -> None:
    """The commission adopted the advice in an opened meeting at this agenda item (not an application's):
    the meeting, the item and the meeting's date are recorded."""
    require(ctx, Action.RECORD_ADVICE)
    with UnitOfWork(ctx) as uow:
        uow.action = "adopt"
        row = _row(uow, advice_id, expected_version)
        item = uow.session.get(AgendaItem, agenda_item_id)
        if item is None:
            raise NotFoundError(_("Dit agendapunt bestaat niet (meer)."))
        meeting = uow.session.get(Meeting, item.meeting_id)
        if item.kind is ItemKind.APPLICATION:
            raise DomainError(_("Een advies wordt vastgesteld bij het agendapunt ‘{item}’, niet bij een "
                                "aanvraag.").format(item=ADVICE_ITEM))
        if meeting.status is not MeetingStatus.OPEN:
            raise DomainError(_("Een advies wordt vastgesteld in een geopende vergadering; open eerst de "
                                "vergadering."))
        if row.adopted_on is not None:
            raise DomainError(_("Dit advies is al vastgesteld in de vergadering van {day}.").format(
                day=format_date_nl(row.adopted_on)))
        if not row.text.strip():
            raise DomainError(_("Dit advies heeft nog geen tekst; vul eerst het advies in."))
        row.meeting_id, row.agenda_item_id, row.adopted_on = meeting.id, item.id, meeting_day(meeting.starts_at)
        uow.commit()


def mark_sent(ctx: ServiceContext, advice_id: uuid.UUID, sent_on: dt.date, *, expected_version: int) -> None:
    """The adopted advice went to the Coördinatieteam on ``sent_on``; from then on its text is fixed."""
    require(ctx, Action.RECORD_ADVICE)
    with UnitOfWork(ctx) as uow:
        uow.action = "send_advice"  # not "send": that is a letter going out
        row = _row(uow, advice_id, expected_version)
        if row.sent_on is not None:
            raise DomainError(_("Dit advies is al verzonden op {day}.").format(day=format_date_nl(row.sent_on)))
        rules.check_sent(row.adopted_on, sent_on, ctx.today())
        row.sent_on = sent_on
        uow.commit()


def record_response(ctx: ServiceContext, advice_id: uuid.UUID, response: str, response_on: dt.date, *,
                    expected_version: int) -> None:
    """The Coördinatieteam's response (and its date) to a sent advice; the advice is then answered."""
    require(ctx, Action.RECORD_ADVICE)
    with UnitOfWork(ctx) as uow:
        uow.action = "response"
        row = _row(uow, advice_id, expected_version)
        row.response = rules.check_response(row.sent_on, response, response_on, ctx.today())
        row.response_on = response_on
        uow.commit()


# ---------------------------------------------------------------- the standard agenda items


@dataclass(frozen=True)
class ItemNotes:
    """What a standard agenda item shows: a heading, its lines (``empty`` when there are none) and, for the
    advice item, the advice of each line (``ids``) and which of them may still be adopted there."""

    heading: str
    lines: tuple[str, ...]
    empty: str = ""
    ids: tuple[uuid.UUID, ...] = ()
    adoptable: frozenset[uuid.UUID] = frozenset()
    is_advice: bool = False


def previous_meeting_day(uow: UnitOfWork, meeting: Meeting) -> dt.date | None:
    before = uow.session.scalar(select(func.max(Meeting.starts_at)).where(Meeting.starts_at < meeting.starts_at))
    return meeting_day(before) if before is not None else None


def developments_window(uow: UnitOfWork, meeting: Meeting) -> tuple[dt.date, dt.date]:
    """(after, up to): the developments a meeting discusses, those since the meeting before it."""
    day = meeting_day(meeting.starts_at)
    since = previous_meeting_day(uow, meeting) or day - dt.timedelta(days=FIRST_MEETING_DAYS)
    return since, day


def agenda_notes(ctx: ServiceContext, meeting_id: uuid.UUID) -> dict[uuid.UUID, ItemNotes]:
    """Per standard item of the meeting that has them: the open advice ("Advies aan het Coördinatieteam"; in a
    closed meeting those adopted there) and the developments since the previous meeting ("Ontwikkelingen
    Impact Ondernemen")."""
    with UnitOfWork(ctx) as uow:
        meeting = uow.session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
        out: dict[uuid.UUID, ItemNotes] = {}
        for item in meeting.items:
            if item.kind is not ItemKind.STANDARD:
                continue
            if item.title == ADVICE_ITEM:
                out[item.id] = _advice_notes(uow, meeting, item)
            elif item.title == DEVELOPMENTS_ITEM:
                out[item.id] = _development_notes(uow, meeting)
        return out


def _advice_notes(uow: UnitOfWork, meeting: Meeting, item: AgendaItem) -> ItemNotes:
    adopted = _infos(uow, Advice.agenda_item_id == item.id)
    lines = [_("Vastgesteld: {subject} ({kind})").format(subject=a.subject, kind=a.kind_text) for a in adopted]
    ids = [a.id for a in adopted]
    closed = meeting.status is MeetingStatus.CLOSED
    others = [] if closed else [a for a in _infos(uow, Advice.response_on.is_(None)) if a.agenda_item_id != item.id]
    lines += [a.line for a in others]
    ids += [a.id for a in others]
    return ItemNotes(_("Vastgestelde adviezen") if closed else _("Openstaande adviezen"), tuple(lines),
                     _("Geen openstaande adviezen."), tuple(ids),
                     frozenset(a.id for a in others if a.status is AdviceStatus.DRAFT), is_advice=True)


def _development_notes(uow: UnitOfWork, meeting: Meeting) -> ItemNotes:
    since, until = developments_window(uow, meeting)
    rows = uow.session.scalars(select(Development).where(Development.happened_on > since,
                                                         Development.happened_on <= until)
                               .order_by(Development.happened_on, Development.created_at)).all()
    lines = tuple(f"{format_date_nl(d.happened_on)}: {d.topic}" for d in rows)
    return ItemNotes(_("Ontwikkelingen sinds {day}").format(day=format_date_nl(since)), lines,
                     _("Geen nieuwe ontwikkelingen vastgelegd."))


# ---------------------------------------------------------------- the year in figures


@dataclass(frozen=True)
class YearSummary:
    """The annual report's figures on advice and developments for one calendar year."""

    year: int
    given: int  # advice adopted that year
    asked: int
    unasked: int
    sent: int  # advice sent that year
    answered: int  # responses received that year
    open_at_year_end: int  # recorded by the end of the year and not answered by then
    developments: int
    development_topics: tuple[tuple[dt.date, str], ...]
    # the advice adopted that year: (adopted on, subject, asked, status as it stands now), by date
    adopted: tuple[tuple[dt.date, str, bool, AdviceStatus], ...] = ()


def year_summary(ctx: ServiceContext, year: int) -> YearSummary:
    with UnitOfWork(ctx) as uow:
        return summarise_year(uow.session, year)


def summarise_year(session: Session, year: int) -> YearSummary:
    """``year_summary`` inside a session that is already open (the annual report reads everything in one)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = session.scalars(select(Advice).order_by(Advice.adopted_on, Advice.created_at)).all()
    given = [a for a in rows if a.adopted_on is not None and start <= a.adopted_on <= end]
    recorded = [a for a in rows if (a.asked_on or a.adopted_on or a.created_at.date()) <= end]
    devs = session.execute(select(Development.happened_on, Development.topic)
                           .where(Development.happened_on >= start, Development.happened_on <= end)
                           .order_by(Development.happened_on, Development.created_at)).all()
    return YearSummary(
        year=year, given=len(given), asked=sum(1 for a in given if a.asked),
        unasked=sum(1 for a in given if not a.asked),
        sent=sum(1 for a in rows if a.sent_on is not None and start <= a.sent_on <= end),
        answered=sum(1 for a in rows if a.response_on is not None and start <= a.response_on <= end),
        open_at_year_end=sum(1 for a in recorded if a.response_on is None or a.response_on > end),
        developments=len(devs), development_topics=tuple((d, t) for d, t in devs),
        adopted=tuple((a.adopted_on, a.subject, a.asked, rules.advice_status(a.adopted_on, a.sent_on, a.response_on))
                      for a in given))
