"""A meeting's course: its status steps (agenda set, opened, closed) and its minutes."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from commissie_app.db.models import DecisionRecord
from commissie_app.domain import meetings as mrules
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_officers import check_chair
from commissie_app.services.meeting_record import commit_rows, item_row, meeting_row, store_corrections, touch_meeting
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- status


def set_status(ctx: ServiceContext, meeting_id: uuid.UUID, target: MeetingStatus) -> None:
    """gepland → agenda vastgesteld → geopend → gesloten. Closing locks attendance, votes and decisions."""
    require(ctx, Action.PLAN_MEETING if target is MeetingStatus.AGENDA_SET else Action.CLOSE_MEETING)
    with UnitOfWork(ctx) as uow:
        uow.action = "status"
        m = meeting_row(uow, meeting_id)
        current = m.status
        mrules.check_status_step(current, target)
        check_chair(uow.session, m, target)  # issue 13 (chair helper): agenda and opening need a seated chair
        if target is MeetingStatus.CLOSED:
            undecided = [i.title for i in m.items if i.kind is ItemKind.APPLICATION
                         and uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == i.id)).first() is None]
            if undecided:
                raise DomainError(
                    _("Neem eerst een besluit over elk agendapunt met een aanvraag (desnoods 'aangehouden'). "
                      "Nog open: {items}.").format(items=", ".join(undecided)))
            m.closed_at = ctx.now()
            m.closed_by = ctx.actor.name
        m.status = target
        touch_meeting(m)
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


def set_meeting_minutes(ctx: ServiceContext, meeting_id: uuid.UUID, text: str) -> None:
    require(ctx, Action.RECORD_DECISION)
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        if m.status is MeetingStatus.CLOSED:
            mrules.check_open_for_business(MeetingStatus.CLOSED)
        m.minutes = text
        touch_meeting(m)
        uow.commit()
