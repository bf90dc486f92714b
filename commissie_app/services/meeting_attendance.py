"""In the meeting: who is present (and its correction after closing), conflicts of interest."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from commissie_app.db.models import AgendaItem, AttendanceRecord, ConflictRecord, Member, VoteRecord
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import (
    attendees_of,
    commit_rows,
    item_row,
    load_record,
    lock_meeting,
    store_corrections,
)
from commissie_app.services.meeting_votes import remove_before_decision
from commissie_app.services.rules import rules_of_meeting
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- in the meeting


def set_attendance(ctx: ServiceContext, meeting_id: uuid.UUID, member_id: uuid.UUID, state: Attendance,
                   *, correction_reason: str | None = None) -> None:
    """Record attendance in an opened meeting; after closing only as a correction with a reason, checked
    against the whole meeting (a member who voted cannot be corrected to absent)."""
    require(ctx, Action.RECORD_ATTENDANCE)
    ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        uow.action = "attendance"
        m = lock_meeting(uow, meeting_id)
        status = m.status
        if status is MeetingStatus.CLOSED and correction_reason is not None:
            loaded = load_record(uow, m)
            attendee = next((a for a in loaded.attendees if a.member_id == member_id), None)
            if attendee is None:
                raise DomainError(_("Alleen wie op de vergaderdatum een zetel heeft staat op de presentielijst."))
            old = attendee.attendance.value if attendee.attendance else None
            if old == state.value:
                raise DomainError(_("{name} staat al als ‘{state}’ op de presentielijst; er is niets te corrigeren.")
                                  .format(name=attendee.name, state=state.label))
            store_corrections(uow, m, (("attendance", member_id, "state", old, state.value),), correction_reason,
                              rules_of_meeting(ctx, uow.session, m.closed_at))
            commit_rows(uow)
            return
        mrules.check_open_for_business(status)
        attendees = {a.member_id: a for a in attendees_of(uow, m)}
        if member_id not in attendees:
            raise DomainError(_("Alleen wie op de vergaderdatum een zetel heeft staat op de presentielijst."))
        rec = next((r for r in m.attendance if r.member_id == member_id), None)
        old = rec.state if rec else None
        if old is not state and state is not Attendance.PRESENT:
            voted = uow.session.scalars(select(VoteRecord.id).join(AgendaItem).where(
                AgendaItem.meeting_id == m.id, VoteRecord.member_id == member_id)).first()
            if voted:
                raise DomainError(_("{name} heeft al gestemd in deze vergadering en kan niet meer als "
                                    "afwezig worden gemeld.").format(name=attendees[member_id].name))
        if rec is None:
            m.attendance.append(AttendanceRecord(member_id=member_id, seat=attendees[member_id].seat,
                                                 state=state))
        else:
            rec.state = state
        commit_rows(uow)


def declare_conflict(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, reason: str) -> None:
    require(ctx, Action.DECLARE_CONFLICT, owner_member_id=member_id)
    conflict = voting.declare_conflict(member_id, reason)
    with UnitOfWork(ctx) as uow:
        uow.action = "conflict"
        item = item_row(uow, item_id)
        mrules.check_open_for_business(lock_meeting(uow, item.meeting_id).status)
        if item.kind is not ItemKind.APPLICATION:
            raise DomainError(_("Belangenverstrengeling wordt gemeld bij een agendapunt met een aanvraag."))
        if any(v.member_id == member_id for v in item.votes):
            raise DomainError(_("Dit lid heeft al gestemd; meld belangenverstrengeling vóór de stemming."))
        if any(c.member_id == member_id for c in item.conflicts):
            raise DomainError(_("Voor dit lid is al belangenverstrengeling gemeld bij dit agendapunt."))
        if uow.session.get(Member, member_id) is None:
            raise NotFoundError(_("Dit lid bestaat niet (meer)."))
        item.conflicts.append(ConflictRecord(member_id=member_id, reason=conflict.reason))
        commit_rows(uow)


def withdraw_conflict(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """Take back a declaration (made for the wrong member, say) while the meeting is open and before the item
    is decided: whoever may declare it today may withdraw it. The audit log keeps the declaration removed."""
    require(ctx, Action.DECLARE_CONFLICT, owner_member_id=member_id)
    remove_before_decision(
        ctx, item_id, member_id, "conflicts", action="withdraw_conflict",
        decided=_("Over dit agendapunt is al besloten; de melding van belangenverstrengeling ligt vast."),
        missing=_("Voor dit lid is bij dit agendapunt geen belangenverstrengeling gemeld."))
