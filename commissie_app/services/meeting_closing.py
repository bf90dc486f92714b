"""A meeting's course: its status steps (agenda set, opened, closed, the agenda reopened) with the date check
and what is still open before closing, and its minutes."""

from __future__ import annotations

import datetime as dt
import uuid

from commissie_app.domain import meetings as mrules
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.domain.voting import Outcome
from commissie_app.i18n import _
from commissie_app.services import meeting_detail
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_officers import check_chair, meeting_day
from commissie_app.services.meeting_record import (
    checked_reason,
    commit_rows,
    item_row,
    lock_meeting,
    previous_meeting,
    store_corrections,
    touch_meeting,
)
from commissie_app.services.stale_edits import stale_error
from commissie_app.services.uow import UnitOfWork


class DateNotConfirmedError(DomainError):
    """The step is taken on another day than the meeting's: the user must confirm it first (``date_confirmed``)."""


# ---------------------------------------------------------------- status


def date_question(target: MeetingStatus, meeting_day: dt.date, today: dt.date) -> str:
    """What a status step taken ``today`` needs confirmed because of the meeting's date ("" when nothing).
    Opening before the meeting's date is refused (a ``DomainError``)."""
    day, now = format_date_nl(meeting_day), format_date_nl(today)
    if target is MeetingStatus.OPEN and today < meeting_day:
        raise DomainError(_("De vergadering van {day} kan niet eerder geopend worden; het is vandaag {today}.")
                          .format(day=day, today=now))
    if target is MeetingStatus.OPEN and today > meeting_day:
        return _("De vergadering was op {day}; vandaag is het {today}. Wat u vastlegt, geldt als besloten in de "
                 "vergadering van {day}. Toch nu openen?").format(day=day, today=now)
    if target is MeetingStatus.AGENDA_SET and today > meeting_day:
        return _("De vergadering van {day} is al geweest (vandaag is het {today}). Toch de agenda "
                 "vaststellen?").format(day=day, today=now)
    return ""


def open_items(detail: meeting_detail.MeetingDetail) -> tuple[str, ...]:
    """What must be done before the meeting can be closed: attendance not recorded, application items
    without a decision (with the votes still missing). Empty: the meeting can be closed."""
    out = []
    missing = [a.name for a in detail.attendees if a.attendance is None]
    if missing:
        out.append(_("Aanwezigheid niet vastgelegd: {names}.").format(names=", ".join(missing)))
    for n, item in enumerate(detail.items, start=1):
        if item.kind is not ItemKind.APPLICATION or item.decision is not None:
            continue
        text = _("Punt {n} ({title}): nog geen besluit").format(n=n, title=item.title)
        tally = item.tally
        if tally is not None and tally.outcome is Outcome.INCOMPLETE and tally.votes_cast and tally.missing:
            text += "; " + _("nog niet gestemd: {names}").format(names=", ".join(a.name for a in tally.missing))
        out.append(text + ".")
    return tuple(out)


def open_items_message(items: tuple[str, ...]) -> str:
    """The refusal to close, listing ``items`` (``open_items``)."""
    return _("De vergadering kan nog niet gesloten worden. Nog open:") + "\n" + "\n".join(f"– {t}" for t in items)


def set_status(ctx: ServiceContext, meeting_id: uuid.UUID, target: MeetingStatus, *,
               date_confirmed: bool = False) -> None:
    """gepland → agenda vastgesteld → geopend → gesloten. Opening before the meeting's date is refused; a step
    after it needs ``date_confirmed``. Closing is refused while ``open_items`` lists anything, and locks
    attendance, votes and decisions."""
    require(ctx, Action.PLAN_MEETING if target is MeetingStatus.AGENDA_SET else Action.CLOSE_MEETING)
    ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        uow.action = "status"
        m = lock_meeting(uow, meeting_id)
        current = m.status
        mrules.check_status_step(current, target)
        check_chair(uow.session, m, target)  # issue 13 (chair helper): agenda and opening need a seated chair
        question = date_question(target, meeting_day(m.starts_at), ctx.today())
        if question and not date_confirmed:
            raise DateNotConfirmedError(question)
        if target is MeetingStatus.CLOSED:
            still_open = open_items(meeting_detail.get_meeting(ctx, meeting_id))
            if still_open:
                raise DomainError(open_items_message(still_open))
            m.closed_at = ctx.now()
            m.closed_by = ctx.actor.name
        m.status = target
        touch_meeting(m)
        uow.commit()


def reopen_agenda(ctx: ServiceContext, meeting_id: uuid.UUID, reason: str) -> None:
    """A set agenda back to 'gepland' before the meeting opens, with the reason in the audit log."""
    require(ctx, Action.PLAN_MEETING)
    reason = checked_reason(reason, _("Geef de reden op waarom de agenda wordt heropend."))
    with UnitOfWork(ctx) as uow:
        uow.action = "reopen_agenda"
        m = lock_meeting(uow, meeting_id)
        if m.status is not MeetingStatus.AGENDA_SET:
            raise DomainError(_("Alleen een vastgestelde agenda van een vergadering die nog niet geopend is, kan "
                                "worden heropend (de status is ‘{s}’).").format(s=m.status.label))
        m.status = MeetingStatus.PLANNED
        touch_meeting(m)
        uow.record_event("reopen_agenda", "meeting", m.id, {"status": MeetingStatus.PLANNED.value, "reason": reason},
                         old={"status": MeetingStatus.AGENDA_SET.value})
        uow.commit()


# ---------------------------------------------------------------- minutes


def set_item_minutes(ctx: ServiceContext, item_id: uuid.UUID, text: str, *, correction_reason: str | None = None) -> None:
    require(ctx, Action.RECORD_DECISION if correction_reason is None else Action.CORRECT_RECORD)
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = item.meeting
        if m.status is MeetingStatus.CLOSED:
            if correction_reason is None:
                mrules.check_open_for_business(MeetingStatus.CLOSED)
            store_corrections(uow, m, (("agenda_item", item.id, "minutes", item.minutes, text),), correction_reason)
        item.minutes = text
        touch_meeting(m)
        commit_rows(uow)


def set_meeting_minutes(ctx: ServiceContext, meeting_id: uuid.UUID, text: str, *,
                        expected_text: str | None = None) -> None:
    """The meeting's general minutes text (printed under "Algemeen" in the minutes). ``expected_text`` is the
    text the editor loaded: when someone else saved another text meanwhile, the save is refused as a stale
    edit (naming who and when) instead of overwriting it. After closing, the minutes change only through a
    correction."""
    require(ctx, Action.RECORD_DECISION)
    with UnitOfWork(ctx) as uow:
        m = lock_meeting(uow, meeting_id)
        if m.status is MeetingStatus.CLOSED:
            mrules.check_open_for_business(MeetingStatus.CLOSED)
        if expected_text is not None and m.minutes != expected_text:
            raise stale_error(uow.session, "meeting", [("meeting", m.id)])
        if m.minutes == text:
            return
        m.minutes = text
        touch_meeting(m)
        uow.commit()


# ---------------------------------------------------------------- adoption of the previous minutes


def adopt_previous_minutes(ctx: ServiceContext, meeting_id: uuid.UUID) -> dt.date:
    """Record, in the opened meeting ``meeting_id`` (its item "Verslag vorige vergadering"), that the minutes of
    the meeting before it are adopted (vastgesteld). Returns the adoption date (this meeting's date), which the
    minutes print from then on instead of "concept". Adopted minutes change only through a correction."""
    require(ctx, Action.RECORD_DECISION)
    with UnitOfWork(ctx) as uow:
        uow.action = "adopt_minutes"
        m = lock_meeting(uow, meeting_id)
        mrules.check_open_for_business(m.status)
        prev = previous_meeting(uow.session, m)
        if prev is None:
            raise DomainError(_("Dit is de eerste vergadering: er is geen verslag van een vorige vergadering om "
                                "vast te stellen."))
        prev_day = format_date_nl(meeting_day(prev.starts_at))
        if prev.status is not MeetingStatus.CLOSED:
            raise DomainError(_("De vergadering van {day} is nog niet gesloten; sluit die eerst, dan kan haar "
                                "verslag worden vastgesteld.").format(day=prev_day))
        if prev.minutes_adopted_on is not None:
            raise DomainError(_("Het verslag van de vergadering van {day} is al vastgesteld in de vergadering van "
                                "{adopted}.").format(day=prev_day, adopted=format_date_nl(prev.minutes_adopted_on)))
        prev = lock_meeting(uow, prev.id)
        prev.minutes_adopted_on = meeting_day(m.starts_at)
        prev.minutes_adopted_in_id = m.id
        touch_meeting(prev)
        uow.commit()
        return prev.minutes_adopted_on
