"""Use cases "print the agenda", "send the invitation" and "print the minutes" of a meeting.

Each call reads the meeting in one unit of work (through ``meeting_detail.get_meeting``) and hands
values to the renderers in :mod:`commissie_app.documents`, with the letterhead stored in the database
(``letter_settings.get_letter_settings``); nothing is written to the database.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from commissie_app.db.models import AgendaItem, VoteRecord
from commissie_app.documents import ics
from commissie_app.documents.meeting_docs import VoteOwner, render_agenda, render_minutes
from commissie_app.services import advice, meeting_detail
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.uow import UnitOfWork


def agenda_pdf(ctx: ServiceContext, meeting_id: uuid.UUID) -> bytes:
    # issue 15: the standard items list the open advice and the recent developments
    return render_agenda(meeting_detail.get_meeting(ctx, meeting_id), get_letter_settings(ctx),
                         notes=advice.agenda_notes(ctx, meeting_id))


def agenda_ics(ctx: ServiceContext, meeting_id: uuid.UUID) -> bytes:
    return ics.meeting_ics(meeting_detail.get_meeting(ctx, meeting_id), now=ctx.now(),
                           sender=get_letter_settings(ctx).sender_name)


def vote_owners(ctx: ServiceContext, meeting_id: uuid.UUID) -> dict[str, VoteOwner]:
    """Vote record id -> (item, member), to name corrected votes in the minutes."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(
            select(VoteRecord.id, VoteRecord.agenda_item_id, VoteRecord.member_id)
            .join(AgendaItem, VoteRecord.agenda_item_id == AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id)
        ).all()
    return {str(vid): VoteOwner(item_id, member_id) for vid, item_id, member_id in rows}


def minutes_pdf(ctx: ServiceContext, meeting_id: uuid.UUID) -> bytes:
    detail = meeting_detail.get_meeting(ctx, meeting_id)
    return render_minutes(detail, get_letter_settings(ctx), vote_owners=vote_owners(ctx, meeting_id))
