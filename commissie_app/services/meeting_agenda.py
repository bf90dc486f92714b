"""A meeting's agenda: complete applications onto it, free items, order, taking items off."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from commissie_app.db.models import AgendaItem, Application, DecisionRecord, Meeting, Organisation
from commissie_app.domain import meetings as mrules
from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import ItemKind
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.applications import change_status
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import AMSTERDAM, item_row, meeting_row, touch_meeting
from commissie_app.services.stale_edits import stale_error
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- agenda


def complete_applications(ctx: ServiceContext) -> list[tuple[uuid.UUID, str]]:
    """Applications with status 'compleet' that could go on an agenda (id, organisation name)."""
    with UnitOfWork(ctx) as uow:
        return list(uow.session.execute(
            select(Application.id, Organisation.name).join(Organisation)
            .where(Application.status == Status.COMPLETE).order_by(Application.received_on)).all())


def add_application_item(ctx: ServiceContext, meeting_id: uuid.UUID, application_id: uuid.UUID) -> uuid.UUID:
    return add_application_items(ctx, meeting_id, [application_id])[0]


def add_application_items(ctx: ServiceContext, meeting_id: uuid.UUID, application_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Put applications on the agenda (before 'Rondvraag'); each becomes 'geagendeerd'."""
    require(ctx, Action.PLAN_MEETING)
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(m.status)
        ids = []
        for app_id in application_ids:
            app = uow.session.get(Application, app_id)
            if app is None:
                raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
            if app.status is not Status.COMPLETE:
                raise DomainError(_("Alleen een complete aanvraag kan op de agenda worden gezet; ‘{org}’ heeft de status ‘{s}’.")
                                  .format(org=app.organisation.name, s=app.status.label))
            item = AgendaItem(kind=ItemKind.APPLICATION, title=_("Aanvraag {org}").format(org=app.organisation.name),
                              application_id=app.id, position=0)
            _insert(m, item)
            change_status(ctx, app.id, Status.SCHEDULED, manual=False,
                          remark=_("Geagendeerd voor de vergadering van {day}").format(
                              day=m.starts_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y")))
            uow.session.flush()
            ids.append(item.id)
        touch_meeting(m)
        uow.commit()
        return ids


def _insert(m: Meeting, item: AgendaItem) -> None:
    items = list(m.items)
    pos = mrules.insert_position([i.kind for i in items], [i.title for i in items])
    items.insert(pos, item)
    m.items = items
    for i, it in enumerate(items):
        it.position = i


def add_free_item(ctx: ServiceContext, meeting_id: uuid.UUID, title: str) -> uuid.UUID:
    require(ctx, Action.PLAN_MEETING)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Vul de titel van het agendapunt in.")})
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(m.status)
        item = AgendaItem(kind=ItemKind.FREE, title=title, position=0)
        _insert(m, item)
        touch_meeting(m)
        uow.session.flush()
        uow.commit()
        return item.id


def reorder_items(ctx: ServiceContext, meeting_id: uuid.UUID, item_ids: list[uuid.UUID]) -> None:
    """Set the agenda order (drag and drop): ``item_ids`` is the whole agenda in its new order."""
    require(ctx, Action.PLAN_MEETING)
    with UnitOfWork(ctx) as uow:
        uow.action = "reorder"
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(m.status)
        by_id = {i.id: i for i in m.items}
        if sorted(by_id, key=str) != sorted(item_ids, key=str):
            raise stale_error(uow.session, "agenda", [("meeting", m.id), *(("agenda_item", i) for i in by_id)])
        for pos, iid in enumerate(item_ids):
            by_id[iid].position = pos
        touch_meeting(m)
        uow.commit()


def remove_item(ctx: ServiceContext, item_id: uuid.UUID) -> None:
    """Take an item off the agenda; an application goes back to 'compleet'."""
    require(ctx, Action.PLAN_MEETING)
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = item.meeting
        mrules.check_agenda_editable(m.status)
        if item.kind is ItemKind.STANDARD:
            raise DomainError(_("Een vast agendapunt kan niet worden verwijderd."))
        if item.votes or uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al gestemd of besloten; het kan niet meer van de agenda worden "
                                "gehaald."))
        if item.application_id:
            change_status(ctx, item.application_id, Status.COMPLETE, manual=False, remark=_("Van de agenda gehaald"))
        m.items.remove(item)
        for i, it in enumerate(m.items):
            it.position = i
        touch_meeting(m)
        uow.commit()
