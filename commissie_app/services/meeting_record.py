"""A meeting's record as it stands: the stored rows with every correction applied in order.

A closed meeting's rows are never changed (the database refuses it, migration 0005): a correction is a
row in ``corrections``, and reading a meeting applies them in memory (``load_record``). Checking a
correction applies it to that record in memory first (``store_corrections``). Reading never fails on
what is stored: an unknown code or a rule the record breaks is collected as a problem to show.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import object_session

from commissie_app.db.models import AgendaItem, Correction, DecisionRecord, Meeting
from commissie_app.domain import commission as crules
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import NotFoundError, StaleEditError, ValidationError
from commissie_app.domain.meetings import ItemKind
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.i18n import _
from commissie_app.services.commission import domain_terms
from commissie_app.services.stale_edits import stale_error
from commissie_app.services.uow import UnitOfWork

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class AttendeeInfo:
    member_id: uuid.UUID
    name: str
    seat: Seat
    attendance: Attendance | None  # None: not recorded yet


@dataclass(frozen=True)
class DecisionInfo:
    id: uuid.UUID
    kenmerk: str
    decision_type: DecisionType
    motivation: str
    decided_on: dt.date
    badge_valid_from: dt.date | None
    conditional_deadline: dt.date | None
    recorded_by: str
    badge_valid_until: dt.date | None = None
    # what the letter states besides (migration 0016): criteria found met (codes as stored), conditions,
    # and for 'aangehouden' the request and its date
    criteria_met: tuple[str, ...] = ()
    conditions: str = ""
    deferral_request: str = ""
    answer_by: dt.date | None = None


def touch_meeting(meeting: Meeting, expected_version: int | None = None) -> None:
    """Bump the meeting's version: a change to the meeting itself or its agenda (not a vote, attendance
    or conflict: those rows have versions of their own, so two members voting at once never collide)."""
    if expected_version is not None and meeting.version != expected_version:
        session = object_session(meeting)
        if session is None:
            raise StaleEditError("meeting")
        items = session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)).all()
        raise stale_error(session, "meeting", [("meeting", meeting.id)] + [("agenda_item", i) for i in items])
    meeting.updated_at = dt.datetime.now(dt.timezone.utc)


def meeting_row(uow: UnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    m = uow.session.get(Meeting, meeting_id)
    if m is None:
        raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
    return m


def lock_meeting(uow: UnitOfWork, meeting_id: uuid.UUID, *, shared: bool = False) -> Meeting:
    """The meeting, locked until the end of the unit of work (PostgreSQL; SQLite ignores it): votes take a
    shared lock, so they never wait for each other, while a change of attendance, a conflict or a decision
    (which decide who may vote and what the votes mean) waits for them and then reads what they wrote."""
    m = uow.session.get(Meeting, meeting_id, with_for_update={"read": True} if shared else True)
    if m is None:
        raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
    return m


def previous_meeting(session, m: Meeting) -> Meeting | None:
    """The meeting before ``m`` (by date): the one whose minutes ``m`` adopts under "Verslag vorige vergadering"."""
    return session.scalars(select(Meeting).where(Meeting.starts_at < m.starts_at, Meeting.id != m.id)
                           .order_by(Meeting.starts_at.desc()).limit(1)).first()


def item_row(uow: UnitOfWork, item_id: uuid.UUID) -> AgendaItem:
    item = uow.session.get(AgendaItem, item_id)
    if item is None:
        raise NotFoundError(_("Dit agendapunt bestaat niet (meer)."))
    return item


def domain_attendees(attendees) -> tuple[voting.Attendee, ...]:
    return tuple(
        voting.Attendee(a.member_id, a.name, a.seat, a.attendance or Attendance.ABSENT) for a in attendees
    )


# A closed meeting's rows are never changed: a correction is a row in ``corrections`` and the record as
# it stands is the stored rows with every correction applied in order (``Overrides``).
Overrides = dict[tuple[str, str, str], object]  # (entity type, entity id, field) -> corrected value
Pending = tuple[str, object, str, object, object]  # entity type, entity id, field, old value, new value


def overrides_of(uow: UnitOfWork, meeting: Meeting, pending: tuple[Pending, ...] = ()) -> Overrides:
    out: Overrides = {}
    for c in uow.session.scalars(select(Correction).where(Correction.meeting_id == meeting.id)
                                 .order_by(Correction.seq)):
        out[(c.entity_type, c.entity_id, c.field)] = c.new_value
    for entity_type, entity_id, field, _old, new in pending:
        out[(entity_type, str(entity_id), field)] = new
    return out


def parse_code(enum, value, problems: list[str] | None = None, what: str = ""):
    """A stored code as its enum member; None (and a problem) for a value the app does not know."""
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        if problems is not None:
            problems.append(_("{what}: onbekende waarde ‘{value}’ in de database.").format(what=what, value=value))
        return None


def attendees_of(uow: UnitOfWork, meeting: Meeting, overrides: Overrides | None = None,
               problems: list[str] | None = None) -> tuple[AttendeeInfo, ...]:
    """The seat holders on the meeting date, with their recorded (and corrected) attendance."""
    day = meeting.starts_at.astimezone(AMSTERDAM).date()
    composition = crules.composition_on(domain_terms(uow.session), day)
    recorded = {r.member_id: r.state for r in meeting.attendance}
    overrides = overrides or {}
    out = []
    for seat, term in composition.items():
        if term is None:
            continue
        state = overrides.get(("attendance", str(term.member_id), "state"), recorded.get(term.member_id))
        out.append(AttendeeInfo(term.member_id, term.member_name, seat,
                                parse_code(Attendance, state, problems, _("Aanwezigheid van {name}").format(
                                    name=term.member_name))))
    return tuple(out)


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def decision_info(d: DecisionRecord | None, overrides: Overrides | None = None,
                   problems: list[str] | None = None) -> DecisionInfo | None:
    """The decision as it stands: the stored row with its corrections applied."""
    if d is None:
        return None
    overrides = overrides or {}

    def get(field: str):
        return overrides.get(("decision", str(d.id), field), getattr(d, field))

    dtype = parse_code(DecisionType, get("decision_type"), problems, _("Besluit {k}").format(k=d.kenmerk))
    if dtype is None:
        return None
    return DecisionInfo(d.id, d.kenmerk, dtype, str(get("motivation") or ""), d.decided_on,
                        _as_date(get("badge_valid_from")), _as_date(get("conditional_deadline")), d.recorded_by,
                        _as_date(get("badge_valid_until")), tuple(get("criteria_met") or ()),
                        str(get("conditions") or ""), str(get("deferral_request") or ""),
                        _as_date(get("answer_by")))


def decision_corrections(session) -> dict[str, list[Correction]]:
    """Every correction of a decision, by decision id, in the order made (few rows: one query)."""
    out: dict[str, list[Correction]] = {}
    for c in session.scalars(select(Correction).where(Correction.entity_type == "decision")
                             .order_by(Correction.seq)):
        out.setdefault(c.entity_id, []).append(c)
    return out


def effective_decision(d: DecisionRecord, corrections: dict[str, list[Correction]],
                       as_of: dt.datetime | None = None) -> DecisionInfo:
    """A decision with its corrections made up to ``as_of`` (all when None): what a letter states."""
    overrides = {(c.entity_type, c.entity_id, c.field): c.new_value for c in corrections.get(str(d.id), ())
                 if as_of is None or c.at <= as_of}
    return decision_info(d, overrides) or decision_info(d)


@dataclass(frozen=True)
class StoredItem:
    item: AgendaItem
    number: int
    votes: tuple[tuple[uuid.UUID, uuid.UUID, VoteChoice | None], ...]  # vote id, member id, choice
    decision: DecisionInfo | None


@dataclass(frozen=True)
class StoredRecord:
    """A meeting's record as it stands (stored rows and corrections, plus any pending correction)."""

    attendees: tuple[AttendeeInfo, ...]
    items: tuple[StoredItem, ...]
    problems: tuple[str, ...]  # values the app cannot read

    def of(self, item_id: uuid.UUID) -> StoredItem:
        return next(i for i in self.items if i.item.id == item_id)


def load_record(uow: UnitOfWork, m: Meeting, pending: tuple[Pending, ...] = ()) -> StoredRecord:
    overrides = overrides_of(uow, m, pending)
    problems: list[str] = []
    attendees = attendees_of(uow, m, overrides, problems)
    decisions = {d.agenda_item_id: d for d in uow.session.scalars(
        select(DecisionRecord).join(AgendaItem).where(AgendaItem.meeting_id == m.id))}
    items = []
    for n, it in enumerate(m.items, start=1):
        votes = tuple((v.id, v.member_id, parse_code(VoteChoice, overrides.get(("vote", str(v.id), "choice"), v.choice),
                                                 problems, _("Stem bij punt {n}").format(n=n)))
                      for v in it.votes)
        items.append(StoredItem(it, n, votes, decision_info(decisions.get(it.id), overrides, problems)))
    return StoredRecord(attendees, tuple(items), tuple(dict.fromkeys(problems)))


def _item_label(r: StoredItem) -> str:
    return _("punt {n} ({title})").format(n=r.number, title=r.item.title)


def domain_item(r: StoredItem) -> mrules.ItemRecord:
    d = r.decision
    return mrules.ItemRecord(
        _item_label(r), tuple(voting.Conflict(c.member_id, c.reason) for c in r.item.conflicts),
        tuple(voting.Vote(member, choice) for _vid, member, choice in r.votes if choice is not None),
        d.decision_type if d else None, d.conditional_deadline if d else None,
        r.item.application is not None and r.item.application.purpose is Purpose.REASSESSMENT)


def domain_record(m: Meeting, loaded: StoredRecord) -> mrules.MeetingRecord:
    return mrules.MeetingRecord(
        m.starts_at.astimezone(AMSTERDAM).date(), domain_attendees(loaded.attendees),
        tuple(domain_item(r) for r in loaded.items if r.item.kind is ItemKind.APPLICATION))


def checked_reason(reason: str | None, missing: str | None = None) -> str:
    """The reason on one line; refused (``missing``, else the correction's message) when empty."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": missing or _("Geef de reden van de correctie op.")})
    return reason


def store_corrections(uow: UnitOfWork, meeting: Meeting, pending: tuple[Pending, ...], reason: str,
             rules: Rules | None = None) -> None:
    """Store corrections of a closed meeting after checking the whole meeting as they would leave it."""
    reason = checked_reason(reason)
    if rules is not None:
        mrules.check_correction(domain_record(meeting, load_record(uow, meeting)),
                                domain_record(meeting, load_record(uow, meeting, pending)), rules)
    uow.action = "correct"
    last = uow.session.scalar(select(func.max(Correction.seq)).where(Correction.meeting_id == meeting.id)) or 0
    for seq, (entity_type, entity_id, field, old, new) in enumerate(pending, start=last + 1):
        uow.session.add(Correction(meeting_id=meeting.id, entity_type=entity_type, entity_id=str(entity_id),
                                   field=field, old_value=old, new_value=new, reason=reason, by=uow.ctx.actor.name,
                                   at=uow.ctx.now(), seq=seq))


def commit_rows(uow: UnitOfWork) -> None:
    """Commit new rows of a meeting (a vote, attendance, a conflict, corrections); the same row written at the
    same moment by someone else (its unique key) is a stale edit, not an unexpected error."""
    try:
        uow.commit()
    except IntegrityError as err:  # the unit of work rolls back
        raise StaleEditError("meeting row") from err
