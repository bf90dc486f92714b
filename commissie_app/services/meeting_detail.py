"""Reading one meeting as it stands (corrections applied), with the problems its record has."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from commissie_app.db.models import Application, Correction, Member
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.codes import Criterion
from commissie_app.domain.commission import Seat
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import (
    AMSTERDAM,
    AttendeeInfo,
    DecisionInfo,
    domain_attendees,
    domain_item,
    domain_record,
    load_record,
    meeting_row,
    previous_meeting,
)
from commissie_app.services.meeting_officers import chair_seat
from commissie_app.services.rules import rules_of_meeting
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class PreviousMinutes:
    """The meeting before this one, whose minutes this one adopts (item "Verslag vorige vergadering")."""

    meeting_id: uuid.UUID
    starts_at: dt.datetime
    status: MeetingStatus
    adopted_on: dt.date | None  # the date of the meeting that adopted them; None: still a draft
    adopted_here: bool  # adopted in this meeting

    @property
    def day(self) -> dt.date:
        return self.starts_at.astimezone(AMSTERDAM).date()


@dataclass(frozen=True)
class ItemInfo:
    id: uuid.UUID
    position: int
    kind: ItemKind
    title: str
    minutes: str
    application_id: uuid.UUID | None
    organisation: str
    kvk: str
    place: str
    criteria: tuple[Criterion, ...]
    founded_on: dt.date | None
    conflicts: tuple[tuple[uuid.UUID, str, str], ...]  # member id, name, reason
    votes: tuple[tuple[uuid.UUID, str, VoteChoice], ...]  # member id, name, choice
    tally: voting.Tally | None
    decision: DecisionInfo | None
    problems: tuple[str, ...] = ()  # rules the stored record of this item breaks (shown as a warning)
    purpose: Purpose = Purpose.NEW  # a follow-up application of a recognition, or a new one (issue 12)

    @property
    def accepted_decisions(self) -> frozenset[voting.DecisionType]:
        """The decisions that agree with the vote on this item (a reassessment may end in 'ingetrokken')."""
        if self.tally is None:
            return frozenset()
        return voting.accepted_decisions(self.tally, reassessment=self.purpose is Purpose.REASSESSMENT)


@dataclass(frozen=True)
class CorrectionInfo:
    entity_type: str
    entity_id: str
    field: str
    old_value: object
    new_value: object
    reason: str
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class MeetingDetail:
    id: uuid.UUID
    version: int
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    video_link: str
    status: MeetingStatus
    chair_name: str
    secretary_name: str
    minutes: str
    closed_at: dt.datetime | None
    attendees: tuple[AttendeeInfo, ...]
    items: tuple[ItemInfo, ...]
    corrections: tuple[CorrectionInfo, ...]
    rules: Rules
    problems: tuple[str, ...] = ()  # rules the stored record breaks: shown as a warning, never raised
    chair_member_id: uuid.UUID | None = None  # chosen from the members (issue 13); None: only a name, or none
    secretary_user_id: uuid.UUID | None = None
    chair_seat: Seat | None = None  # the seat the chair held on the meeting's date
    minutes_adopted_on: dt.date | None = None  # the minutes were adopted in the meeting of this date (issue 14)
    calendar_sequence: int = 0  # SEQUENCE of the invitation: raised when date, time or place change
    previous_minutes: PreviousMinutes | None = None  # the minutes this meeting adopts (none before the first)

    @property
    def chair_line(self) -> str:
        """The chair as printed: the name, with the seat held that day ('Pieter Proefmans (Haarlem Impact ...)')."""
        if self.chair_name and self.chair_seat is not None:
            return _("{name} ({seat})").format(name=self.chair_name, seat=self.chair_seat.label)
        return self.chair_name

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(AMSTERDAM)

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendees if a.attendance is Attendance.PRESENT)

    @property
    def quorum(self) -> voting.Quorum:
        return voting.item_quorum(domain_attendees(self.attendees), (), self.rules, checked=False)


# ---------------------------------------------------------------- reading


def get_meeting(ctx: ServiceContext, meeting_id: uuid.UUID) -> MeetingDetail:
    """The meeting as it stands (corrections applied). Never fails on what is stored: a record that breaks
    a rule (written before a check existed, or by hand) comes with ``problems`` to show as a warning."""
    ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    with UnitOfWork(ctx) as uow:
        s = uow.session
        m = meeting_row(uow, meeting_id)
        rules = rules_of_meeting(ctx, s, m.closed_at)
        loaded = load_record(uow, m)
        record = domain_record(m, loaded)
        problems = [*loaded.problems, *mrules.record_problems(record, rules)]
        names = dict(s.execute(select(Member.id, Member.name)).all())
        items = []
        for r in loaded.items:
            it = r.item
            app = s.get(Application, it.application_id) if it.application_id else None
            org = app.organisation if app else None
            tally, item_problems = None, ()
            if app is not None:
                tally, item_problems = mrules.item_problems(record, domain_item(r), rules)
            items.append(ItemInfo(
                id=it.id, position=it.position, kind=it.kind, title=it.title,
                minutes=it.minutes, application_id=it.application_id, organisation=org.name if org else "",
                kvk=org.kvk if org else "", place=org.place if org else "",
                criteria=tuple(e.criterion for e in app.evidence) if app else (),
                founded_on=org.founded_on if org else None,
                conflicts=tuple((c.member_id, names.get(c.member_id, "?"), c.reason) for c in it.conflicts),
                votes=tuple((mid, names.get(mid, "?"), choice) for _vid, mid, choice in r.votes if choice is not None),
                tally=tally, decision=r.decision, problems=item_problems,
                purpose=app.purpose if app else Purpose.NEW,
            ))
        corrections = tuple(
            CorrectionInfo(c.entity_type, c.entity_id, c.field, c.old_value, c.new_value, c.reason, c.at, c.by)
            for c in s.scalars(select(Correction).where(Correction.meeting_id == m.id)
                               .order_by(Correction.seq))
        )
        return MeetingDetail(m.id, m.version, m.starts_at, m.duration_minutes, m.place, m.video_link,
                             m.status, m.chair_name,
                             m.secretary_name, m.minutes, m.closed_at, loaded.attendees, tuple(items), corrections,
                             rules, tuple(dict.fromkeys(problems)), m.chair_member_id, m.secretary_user_id,
                             chair_seat(s, m), m.minutes_adopted_on, m.calendar_sequence or 0,
                             _previous_minutes(s, m))


def _previous_minutes(session, m) -> PreviousMinutes | None:
    prev = previous_meeting(session, m)
    if prev is None:
        return None
    return PreviousMinutes(prev.id, prev.starts_at, prev.status, prev.minutes_adopted_on,
                           prev.minutes_adopted_in_id == m.id)
