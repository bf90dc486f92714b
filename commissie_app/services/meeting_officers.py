"""Chair and secretary of a meeting, chosen from the database (issue 13).

The chair is a member who holds a seat on the meeting's date; the secretary is a user with the secretary
role (who need not hold a seat). A meeting may be planned without a chair, but its agenda is not set and it
is not opened without one (``check_chair``, called by ``meeting_closing.set_status``). The meeting keeps the
names as printed (``chair_name``, ``secretary_name``), written whenever the officers are chosen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import Meeting, Member, User
from commissie_app.domain import commission as crules
from commissie_app.domain.codes import Role
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.commission import domain_terms
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import AMSTERDAM
from commissie_app.services.uow import UnitOfWork

#: the steps that need a chair who holds a seat on the meeting's date
NEEDS_CHAIR = (MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)


@dataclass(frozen=True)
class ChairChoice:
    member_id: uuid.UUID
    name: str
    seat: Seat


@dataclass(frozen=True)
class SecretaryChoice:
    user_id: uuid.UUID
    name: str


@dataclass(frozen=True)
class OfficerChoices:
    """Who may chair a meeting on ``day`` (seat holders, in seat order), who may be its secretary (active
    users with the secretary role, by name), and the chair proposed by default: the commission's chair (a user
    with the chair role whose member holds a seat that day), else the latest meeting's chair if still seated."""

    day: dt.date
    chairs: tuple[ChairChoice, ...]
    secretaries: tuple[SecretaryChoice, ...]
    default_chair_id: uuid.UUID | None


def meeting_day(starts_at: dt.datetime) -> dt.date:
    """The meeting's date in Dutch time (a naive moment is Dutch time already)."""
    if starts_at.tzinfo is None:
        return starts_at.date()
    return starts_at.astimezone(AMSTERDAM).date()


def officer_choices(ctx: ServiceContext, day: dt.date) -> OfficerChoices:
    with UnitOfWork(ctx) as uow:
        s = uow.session
        seats = crules.composition_on(domain_terms(s), day)
        chairs = tuple(ChairChoice(t.member_id, t.member_name, seat) for seat, t in seats.items() if t is not None)
        secretaries = tuple(SecretaryChoice(u.id, u.name) for u in s.scalars(
            select(User).where(User.role == Role.SECRETARY, User.active.is_(True)).order_by(User.name)))
        seated = {c.member_id for c in chairs}
        users_as_chair = s.scalars(select(User.member_id).where(User.role == Role.CHAIR, User.active.is_(True))
                                   .order_by(User.name))
        latest_chairs = s.scalars(select(Meeting.chair_member_id).where(Meeting.chair_member_id.is_not(None))
                                  .order_by(Meeting.starts_at.desc()))
        default = next((m for m in users_as_chair if m in seated), None) or next(
            (m for m in latest_chairs if m in seated), None)
    return OfficerChoices(day, chairs, secretaries, default)


def _seat_on(session, member_id: uuid.UUID, day: dt.date) -> Seat | None:
    return crules.seat_of(domain_terms(session), member_id, day)


def chair_seat(session, meeting: Meeting) -> Seat | None:
    """The seat the meeting's chair held on its date (None: no chair chosen, or no seat that day)."""
    if meeting.chair_member_id is None:
        return None
    return _seat_on(session, meeting.chair_member_id, meeting_day(meeting.starts_at))


def _no_seat(day: dt.date) -> str:
    return _("De voorzitter moet op {day} een zetel in de commissie hebben. Kies een lid met een zetel "
             "(Vergadering wijzigen…).").format(day=format_date_nl(day))


def choose_officers(session, meeting: Meeting, chair_member_id: uuid.UUID | None,
                    secretary_user_id: uuid.UUID | None) -> None:
    """Set chair and secretary (and their printed names) on ``meeting``, whose date is set. A chair must hold a
    seat on that date, a secretary must be an active user with the secretary role (ValidationError, keys
    ``chair`` and ``secretary``). No chair is allowed while planning."""
    day = meeting_day(meeting.starts_at)
    errors = {}
    chair = session.get(Member, chair_member_id) if chair_member_id is not None else None
    if chair_member_id is not None and (chair is None or _seat_on(session, chair.id, day) is None):
        errors["chair"] = _no_seat(day)
    secretary = session.get(User, secretary_user_id) if secretary_user_id is not None else None
    if secretary_user_id is not None and (secretary is None or secretary.role is not Role.SECRETARY
                                          or not secretary.active):
        errors["secretary"] = _("Kies als secretaris een gebruiker met de rol secretaris.")
    if errors:
        raise ValidationError(errors)
    meeting.chair_member_id = chair.id if chair else None
    meeting.chair_name = chair.name if chair else ""
    meeting.secretary_user_id = secretary.id if secretary else None
    meeting.secretary_name = secretary.name if secretary else ""


def check_chair(session, meeting: Meeting, target: MeetingStatus) -> None:
    """Refuse (ValidationError, key ``chair``) to set the agenda of, or open, a meeting whose chair holds no
    seat on its date. Other steps (closing) are not checked."""
    if target not in NEEDS_CHAIR:
        return
    day = meeting_day(meeting.starts_at)
    if meeting.chair_member_id is None:
        raise ValidationError({"chair": _(
            "Deze vergadering heeft geen voorzitter. Kies eerst een voorzitter met een zetel in de commissie "
            "(Vergadering wijzigen…).")})
    if chair_seat(session, meeting) is None:
        raise ValidationError({"chair": _no_seat(day)})
