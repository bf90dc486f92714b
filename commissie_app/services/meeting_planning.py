"""Meetings: planning one, changing its details, and the list of meetings (per year, by date)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from commissie_app.db.models import AgendaItem, Meeting
from commissie_app.domain import meetings as mrules
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_officers import check_chair, choose_officers
from commissie_app.services.meeting_record import (
    AMSTERDAM,
    domain_record,
    load_record,
    meeting_row,
    touch_meeting,
)
from commissie_app.services.rules import rules_of_meeting
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class MeetingRow:
    id: uuid.UUID
    starts_at: dt.datetime  # aware, UTC
    status: MeetingStatus
    place: str
    item_count: int
    application_count: int

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(AMSTERDAM)


# ---------------------------------------------------------------- planning


def plan_meeting(ctx: ServiceContext, starts_at: dt.datetime, *, place: str = "", video_link: str = "",
                 duration_minutes: int = 120, chair_member_id: uuid.UUID | None = None,
                 secretary_user_id: uuid.UUID | None = None) -> uuid.UUID:
    """A new meeting with the standard agenda. ``starts_at`` is aware, or local Amsterdam time. The chair is a
    member with a seat on that date (may stay empty until the agenda is set); the secretary a user with the
    secretary role, by default the one planning (``meeting_officers``)."""
    require(ctx, Action.PLAN_MEETING)
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=AMSTERDAM)
    errors = {}
    if not place.strip() and not video_link.strip():
        errors["place"] = _("Vul een plaats of een videolink in.")
    if not 15 <= duration_minutes <= 600:
        errors["duration_minutes"] = _("Een vergadering duurt tussen 15 minuten en 10 uur.")
    if errors:
        raise ValidationError(errors)
    with UnitOfWork(ctx) as uow:
        m = Meeting(starts_at=starts_at.astimezone(dt.timezone.utc), place=place.strip(), video_link=video_link.strip(),
                    duration_minutes=duration_minutes, status=MeetingStatus.PLANNED)
        if secretary_user_id is None and ctx.actor.role is Role.SECRETARY:
            secretary_user_id = ctx.actor.user_id
        choose_officers(uow.session, m, chair_member_id, secretary_user_id)
        titles = [*mrules.STANDARD_ITEMS_BEFORE, *mrules.STANDARD_ITEMS_AFTER]
        m.items = [AgendaItem(position=i, kind=ItemKind.STANDARD, title=t) for i, t in enumerate(titles)]
        uow.session.add(m)
        uow.commit()
        return m.id


def update_meeting(ctx: ServiceContext, meeting_id: uuid.UUID, *, expected_version: int, starts_at: dt.datetime,
                   place: str, video_link: str, duration_minutes: int, chair_member_id: uuid.UUID | None,
                   secretary_user_id: uuid.UUID | None) -> None:
    require(ctx, Action.PLAN_MEETING)
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=AMSTERDAM)
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(m.status)
        touch_meeting(m, expected_version)
        when_and_where = (m.starts_at, m.duration_minutes, m.place, m.video_link)
        m.starts_at = starts_at.astimezone(dt.timezone.utc)
        m.place, m.video_link, m.duration_minutes = place.strip(), video_link.strip(), duration_minutes
        if (m.starts_at, m.duration_minutes, m.place, m.video_link) != when_and_where:
            # the invitation's SEQUENCE: calendar programs replace the entry only for a higher number
            m.calendar_sequence = (m.calendar_sequence or 0) + 1
        choose_officers(uow.session, m, chair_member_id, secretary_user_id)
        check_chair(uow.session, m, m.status)  # a set agenda keeps a chair with a seat
        uow.commit()


def list_meetings(ctx: ServiceContext, year: int | None = None) -> list[MeetingRow]:
    with UnitOfWork(ctx) as uow:
        counts = dict(uow.session.execute(select(AgendaItem.meeting_id, func.count()).group_by(AgendaItem.meeting_id)).all())
        app_counts = dict(uow.session.execute(
            select(AgendaItem.meeting_id, func.count()).where(AgendaItem.kind == ItemKind.APPLICATION)
            .group_by(AgendaItem.meeting_id)).all())
        rows = [
            MeetingRow(m.id, m.starts_at, m.status,
                       m.place or m.video_link, counts.get(m.id, 0),
                       app_counts.get(m.id, 0))
            for m in uow.session.scalars(select(Meeting).order_by(Meeting.starts_at))
        ]
    if year is not None:
        rows = [r for r in rows if r.local_start.year == year]
    return rows


def record_problems(ctx: ServiceContext) -> dict[uuid.UUID, tuple[str, ...]]:
    """Per meeting whose stored record breaks a rule, what is wrong (for a warning in lists)."""
    ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    out = {}
    with UnitOfWork(ctx) as uow:
        for m in uow.session.scalars(select(Meeting).order_by(Meeting.starts_at)):
            loaded = load_record(uow, m)
            problems = (*loaded.problems, *mrules.record_problems(
                domain_record(m, loaded), rules_of_meeting(ctx, uow.session, m.closed_at)))
            if problems:
                out[m.id] = tuple(dict.fromkeys(problems))
    return out


def find_meeting(ctx: ServiceContext, ref: str) -> uuid.UUID:
    """A meeting by its id or by its date (jjjj-mm-dd), as the CLI accepts it."""
    ref = ref.strip()
    rows = list_meetings(ctx)
    try:
        wanted = uuid.UUID(ref)
        if any(r.id == wanted for r in rows):
            return wanted
    except ValueError:
        pass
    try:
        day = dt.date.fromisoformat(ref)
    except ValueError:
        raise DomainError(_("‘{ref}’ is geen id of datum (jjjj-mm-dd) van een vergadering.").format(ref=ref))
    found = [r for r in rows if r.local_start.date() == day]
    if not found:
        raise NotFoundError(_("Er is geen vergadering op {day}.").format(day=ref))
    if len(found) > 1:
        raise DomainError(_("Er zijn meerdere vergaderingen op {day}; gebruik het id.").format(day=ref))
    return found[0].id


def year_warnings(ctx: ServiceContext) -> list[str]:
    """Warnings for the current year (and any year with meetings) with fewer than two meetings."""
    rows = list_meetings(ctx)
    years = {ctx.today().year} | {r.local_start.year for r in rows}
    return mrules.year_warnings([(r.local_start.date(), r.status) for r in rows], years)
