"""Meetings: planning, agenda, attendance, conflicts, votes, decisions, minutes and closing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import (
    AgendaItem,
    Application,
    AttendanceRecord,
    ConflictRecord,
    Correction,
    DecisionRecord,
    Meeting,
    Member,
    Organisation,
    VoteRecord,
)
from commissie_app.domain import kenmerk as kenmerk_rules
from commissie_app.domain import meetings as mrules
from commissie_app.domain import voting
from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DomainError, NotFoundError, StaleEditError, ValidationError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.i18n import _
from commissie_app.services.applications import apply_status
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_corrections import (  # noqa: F401 - part of this service's interface
    CorrectedDecision,
    VoteCorrectionPreview,
    correct_decision,
    correct_decision_motivation,
    correct_vote,
    preview_vote_correction,
)
from commissie_app.services.meeting_record import (  # noqa: F401 - AMSTERDAM, the infos: this interface
    AMSTERDAM,
    AttendeeInfo,
    DecisionInfo,
    attendees_of,
    commit_rows,
    current_rules,
    domain_attendees,
    domain_item,
    domain_record,
    item_row,
    load_record,
    lock_meeting,
    meeting_row,
    parse_code,
    store_corrections,
)
from commissie_app.services.uow import UnitOfWork


_rules = current_rules  # the commission's rules, read once per call (a test may replace them)


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
    criteria: tuple[str, ...]
    founded_on: dt.date | None
    conflicts: tuple[tuple[uuid.UUID, str, str], ...]  # member id, name, reason
    votes: tuple[tuple[uuid.UUID, str, VoteChoice], ...]  # member id, name, choice
    tally: voting.Tally | None
    decision: DecisionInfo | None
    problems: tuple[str, ...] = ()  # rules the stored record of this item breaks (shown as a warning)


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

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(AMSTERDAM)

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendees if a.attendance is Attendance.PRESENT)

    @property
    def quorum(self) -> voting.Quorum:
        return voting.item_quorum(domain_attendees(self.attendees), (), self.rules, checked=False)


# ---------------------------------------------------------------- helpers


def _touch(meeting: Meeting, expected_version: int | None = None) -> None:
    """Bump the meeting's version: a change to the meeting itself or its agenda (not a vote, attendance
    or conflict: those rows have versions of their own, so two members voting at once never collide)."""
    if expected_version is not None and meeting.version != expected_version:
        raise StaleEditError("meeting")
    meeting.updated_at = dt.datetime.now(dt.timezone.utc)


def _item_tally(item: AgendaItem, attendees: tuple[AttendeeInfo, ...], rules: Rules) -> voting.Tally:
    return voting.tally_votes(
        domain_attendees(attendees),
        [voting.Conflict(c.member_id, c.reason) for c in item.conflicts],
        [voting.Vote(v.member_id, VoteChoice(v.choice)) for v in item.votes],
        rules,
    )


# ---------------------------------------------------------------- planning


def plan_meeting(ctx: ServiceContext, starts_at: dt.datetime, *, place: str = "", video_link: str = "",
                 duration_minutes: int = 120, chair_name: str = "", secretary_name: str = "") -> uuid.UUID:
    """A new meeting with the standard agenda. ``starts_at`` is aware, or local Amsterdam time."""
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
                    duration_minutes=duration_minutes, status=MeetingStatus.PLANNED.value,
                    chair_name=chair_name.strip(), secretary_name=secretary_name.strip() or ctx.actor.name)
        titles = [*mrules.STANDARD_ITEMS_BEFORE, *mrules.STANDARD_ITEMS_AFTER]
        m.items = [AgendaItem(position=i, kind=ItemKind.STANDARD.value, title=t) for i, t in enumerate(titles)]
        uow.session.add(m)
        uow.session.flush()
        uow.audit("create", "meeting", m.id, None, {"starts_at": m.starts_at, "place": m.place,
                                                    "video_link": m.video_link})
        uow.commit()
        return m.id


def update_meeting(ctx: ServiceContext, meeting_id: uuid.UUID, *, expected_version: int, starts_at: dt.datetime,
                   place: str, video_link: str, duration_minutes: int, chair_name: str, secretary_name: str) -> None:
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=AMSTERDAM)
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(MeetingStatus(m.status))
        _touch(m, expected_version)
        old = {"starts_at": m.starts_at, "place": m.place, "video_link": m.video_link,
               "duration_minutes": m.duration_minutes, "chair_name": m.chair_name, "secretary_name": m.secretary_name}
        m.starts_at = starts_at.astimezone(dt.timezone.utc)
        m.place, m.video_link, m.duration_minutes = place.strip(), video_link.strip(), duration_minutes
        m.chair_name, m.secretary_name = chair_name.strip(), secretary_name.strip()
        uow.audit("update", "meeting", m.id, old, {k: getattr(m, k) for k in old})
        uow.commit()


def list_meetings(ctx: ServiceContext, year: int | None = None) -> list[MeetingRow]:
    with UnitOfWork(ctx) as uow:
        counts = dict(uow.session.execute(select(AgendaItem.meeting_id, func.count()).group_by(AgendaItem.meeting_id)).all())
        app_counts = dict(uow.session.execute(
            select(AgendaItem.meeting_id, func.count()).where(AgendaItem.kind == ItemKind.APPLICATION.value)
            .group_by(AgendaItem.meeting_id)).all())
        rows = [
            MeetingRow(m.id, m.starts_at, parse_code(MeetingStatus, m.status) or MeetingStatus.CLOSED,
                       m.place or m.video_link, counts.get(m.id, 0),
                       app_counts.get(m.id, 0))
            for m in uow.session.scalars(select(Meeting).order_by(Meeting.starts_at))
        ]
    if year is not None:
        rows = [r for r in rows if r.local_start.year == year]
    return rows


def record_problems(ctx: ServiceContext) -> dict[uuid.UUID, tuple[str, ...]]:
    """Per meeting whose stored record breaks a rule, what is wrong (for a warning in lists)."""
    rules = _rules()
    out = {}
    with UnitOfWork(ctx) as uow:
        for m in uow.session.scalars(select(Meeting).order_by(Meeting.starts_at)):
            loaded = load_record(uow, m)
            problems = (*loaded.problems, *mrules.record_problems(domain_record(m, loaded), rules))
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
        raise DomainError(_("'{ref}' is geen id of datum (jjjj-mm-dd) van een vergadering.").format(ref=ref))
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


def set_status(ctx: ServiceContext, meeting_id: uuid.UUID, target: MeetingStatus) -> None:
    """gepland → agenda vastgesteld → geopend → gesloten. Closing locks attendance, votes and decisions."""
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        current = MeetingStatus(m.status)
        mrules.check_status_step(current, target)
        if target is MeetingStatus.CLOSED:
            undecided = [i.title for i in m.items if i.kind == ItemKind.APPLICATION.value
                         and uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == i.id)).first() is None]
            if undecided:
                raise DomainError(
                    _("Neem eerst een besluit over elk agendapunt met een aanvraag (desnoods 'aangehouden'). "
                      "Nog open: {items}.").format(items=", ".join(undecided)))
            m.closed_at = ctx.now()
            m.closed_by = ctx.actor.name
        m.status = target.value
        _touch(m)
        uow.audit("status", "meeting", m.id, {"status": current}, {"status": target})
        uow.commit()


# ---------------------------------------------------------------- agenda


def complete_applications(ctx: ServiceContext) -> list[tuple[uuid.UUID, str]]:
    """Applications with status 'compleet' that could go on an agenda (id, organisation name)."""
    with UnitOfWork(ctx) as uow:
        return list(uow.session.execute(
            select(Application.id, Organisation.name).join(Organisation)
            .where(Application.status == Status.COMPLETE.value).order_by(Application.received_on)).all())


def add_application_item(ctx: ServiceContext, meeting_id: uuid.UUID, application_id: uuid.UUID) -> uuid.UUID:
    return add_application_items(ctx, meeting_id, [application_id])[0]


def add_application_items(ctx: ServiceContext, meeting_id: uuid.UUID, application_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Put applications on the agenda (before 'Rondvraag'); each becomes 'geagendeerd'."""
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(MeetingStatus(m.status))
        ids = []
        for app_id in application_ids:
            app = uow.session.get(Application, app_id)
            if app is None:
                raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
            if Status(app.status) is not Status.COMPLETE:
                raise DomainError(_("Alleen een complete aanvraag kan op de agenda; '{org}' heeft status '{s}'.")
                                  .format(org=app.organisation.name, s=Status(app.status).label))
            item = AgendaItem(kind=ItemKind.APPLICATION.value, title=_("Aanvraag {org}").format(org=app.organisation.name),
                              application_id=app.id, position=0)
            _insert(m, item)
            apply_status(uow, app, Status.SCHEDULED, manual=False,
                         remark=_("Geagendeerd voor de vergadering van {day}").format(
                             day=m.starts_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y")))
            uow.session.flush()
            uow.audit("create", "agenda_item", item.id, None, {"meeting": str(m.id), "title": item.title})
            ids.append(item.id)
        _touch(m)
        uow.commit()
        return ids


def _insert(m: Meeting, item: AgendaItem) -> None:
    items = list(m.items)
    pos = mrules.insert_position([ItemKind(i.kind) for i in items], [i.title for i in items])
    items.insert(pos, item)
    m.items = items
    for i, it in enumerate(items):
        it.position = i


def add_free_item(ctx: ServiceContext, meeting_id: uuid.UUID, title: str) -> uuid.UUID:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Vul de titel van het agendapunt in.")})
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(MeetingStatus(m.status))
        item = AgendaItem(kind=ItemKind.FREE.value, title=title, position=0)
        _insert(m, item)
        _touch(m)
        uow.session.flush()
        uow.audit("create", "agenda_item", item.id, None, {"meeting": str(m.id), "title": title})
        uow.commit()
        return item.id


def reorder_items(ctx: ServiceContext, meeting_id: uuid.UUID, item_ids: list[uuid.UUID]) -> None:
    """Set the agenda order (drag and drop): ``item_ids`` is the whole agenda in its new order."""
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        mrules.check_agenda_editable(MeetingStatus(m.status))
        by_id = {i.id: i for i in m.items}
        if sorted(by_id, key=str) != sorted(item_ids, key=str):
            raise StaleEditError("agenda")
        old = [str(i.id) for i in m.items]
        for pos, iid in enumerate(item_ids):
            by_id[iid].position = pos
        _touch(m)
        uow.audit("reorder", "meeting", m.id, {"items": old}, {"items": [str(i) for i in item_ids]})
        uow.commit()


def remove_item(ctx: ServiceContext, item_id: uuid.UUID) -> None:
    """Take an item off the agenda; an application goes back to 'compleet'."""
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = item.meeting
        mrules.check_agenda_editable(MeetingStatus(m.status))
        if ItemKind(item.kind) is ItemKind.STANDARD:
            raise DomainError(_("Een vast agendapunt kan niet worden verwijderd."))
        if item.votes or uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al gestemd of besloten; het kan niet meer van de agenda."))
        if item.application_id:
            app = uow.session.get(Application, item.application_id)
            apply_status(uow, app, Status.COMPLETE, manual=False, remark=_("Van de agenda gehaald"))
        uow.audit("delete", "agenda_item", item.id, {"meeting": str(m.id), "title": item.title}, None)
        m.items.remove(item)
        for i, it in enumerate(m.items):
            it.position = i
        _touch(m)
        uow.commit()


# ---------------------------------------------------------------- in the meeting


def set_attendance(ctx: ServiceContext, meeting_id: uuid.UUID, member_id: uuid.UUID, state: Attendance,
                   *, correction_reason: str | None = None) -> None:
    """Record attendance in an opened meeting; after closing only as a correction with a reason, checked
    against the whole meeting (a member who voted cannot be corrected to absent)."""
    with UnitOfWork(ctx) as uow:
        m = lock_meeting(uow, meeting_id)
        status = MeetingStatus(m.status)
        if status is MeetingStatus.CLOSED and correction_reason is not None:
            loaded = load_record(uow, m)
            attendee = next((a for a in loaded.attendees if a.member_id == member_id), None)
            if attendee is None:
                raise DomainError(_("Alleen wie op de vergaderdatum een zetel heeft staat op de presentielijst."))
            old = attendee.attendance.value if attendee.attendance else None
            if old == state.value:
                raise DomainError(_("{name} staat al als '{state}' op de presentielijst; er is niets te corrigeren.")
                                  .format(name=attendee.name, state=state.label))
            store_corrections(uow, m, (("attendance", member_id, "state", old, state.value),), correction_reason,
                              _rules())
            commit_rows(uow)
            return
        mrules.check_open_for_business(status)
        attendees = {a.member_id: a for a in attendees_of(uow, m)}
        if member_id not in attendees:
            raise DomainError(_("Alleen wie op de vergaderdatum een zetel heeft staat op de presentielijst."))
        rec = next((r for r in m.attendance if r.member_id == member_id), None)
        old = rec.state if rec else None
        if old != state.value and state is not Attendance.PRESENT:
            voted = uow.session.scalars(select(VoteRecord.id).join(AgendaItem).where(
                AgendaItem.meeting_id == m.id, VoteRecord.member_id == member_id)).first()
            if voted:
                raise DomainError(_("{name} heeft al gestemd in deze vergadering en kan niet meer als "
                                    "afwezig worden gemeld.").format(name=attendees[member_id].name))
        uow.audit("attendance", "meeting", m.id, {"member": str(member_id), "state": old},
                  {"member": str(member_id), "state": state})
        if rec is None:
            m.attendance.append(AttendanceRecord(member_id=member_id, seat=attendees[member_id].seat.value,
                                                 state=state.value))
        else:
            rec.state = state.value
        commit_rows(uow)


def declare_conflict(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, reason: str) -> None:
    conflict = voting.declare_conflict(member_id, reason)
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        mrules.check_open_for_business(MeetingStatus(lock_meeting(uow, item.meeting_id).status))
        if ItemKind(item.kind) is not ItemKind.APPLICATION:
            raise DomainError(_("Belangenverstrengeling wordt gemeld bij een agendapunt met een aanvraag."))
        if any(v.member_id == member_id for v in item.votes):
            raise DomainError(_("Dit lid heeft al gestemd; meld belangenverstrengeling vóór de stemming."))
        if any(c.member_id == member_id for c in item.conflicts):
            raise DomainError(_("Voor dit lid is al belangenverstrengeling gemeld bij dit agendapunt."))
        if uow.session.get(Member, member_id) is None:
            raise NotFoundError(_("Dit lid bestaat niet (meer)."))
        item.conflicts.append(ConflictRecord(member_id=member_id, reason=conflict.reason))
        uow.audit("conflict", "agenda_item", item.id, None, {"member": str(member_id), "reason": conflict.reason})
        commit_rows(uow)


def record_vote(ctx: ServiceContext, item_id: uuid.UUID, member_id: uuid.UUID, choice: VoteChoice) -> None:
    """Record (or, before a decision, change) one member's vote; refused without quorum or with a conflict."""
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = lock_meeting(uow, item.meeting_id, shared=True)
        mrules.check_open_for_business(MeetingStatus(m.status))
        if ItemKind(item.kind) is not ItemKind.APPLICATION:
            raise DomainError(_("Er wordt alleen gestemd over agendapunten met een aanvraag."))
        if uow.session.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al besloten; de stemming ligt vast."))
        attendees = attendees_of(uow, m)
        existing = next((v for v in item.votes if v.member_id == member_id), None)  # its version is checked
        voting.check_vote(domain_attendees(attendees), [voting.Conflict(c.member_id, c.reason) for c in item.conflicts],
                          member_id, _rules())
        seat = next(a.seat for a in attendees if a.member_id == member_id)
        if existing is None:
            item.votes.append(VoteRecord(member_id=member_id, seat=seat.value, choice=choice.value))
            old = None
        else:
            old, existing.choice = existing.choice, choice.value
        uow.audit("vote", "agenda_item", item.id, {"member": str(member_id), "choice": old},
                  {"member": str(member_id), "choice": choice})
        commit_rows(uow)


def set_item_minutes(ctx: ServiceContext, item_id: uuid.UUID, text: str, *, correction_reason: str | None = None) -> None:
    with UnitOfWork(ctx) as uow:
        item = item_row(uow, item_id)
        m = item.meeting
        if MeetingStatus(m.status) is MeetingStatus.CLOSED:
            if correction_reason is None:
                mrules.check_open_for_business(MeetingStatus.CLOSED)
            store_corrections(uow, m, (("agenda_item", item.id, "minutes", item.minutes, text),), correction_reason)
        else:
            uow.audit("update", "agenda_item", item.id, {"minutes": item.minutes}, {"minutes": text})
        item.minutes = text
        _touch(m)
        commit_rows(uow)


def record_decision(ctx: ServiceContext, item_id: uuid.UUID, decision_type: DecisionType, motivation: str,
                    *, deadline: dt.date | None = None, badge_valid_from: dt.date | None = None) -> str:
    """Record the decision on an application item; returns its kenmerk.

    The decision must agree with the vote. The application becomes 'besloten', or 'compleet' again when
    the decision is 'aangehouden'. A recognition stores the badge's start and, if conditional, the deadline.
    """
    motivation = motivation.strip()
    if not motivation:
        raise ValidationError({"motivation": _("Schrijf de motivering van het besluit.")})
    rules = _rules()
    for attempt in range(3):
        try:
            return _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules)
        except IntegrityError:
            # another machine took the same kenmerk number at the same moment: take the next one
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record_decision(ctx, item_id, decision_type, motivation, deadline, badge_valid_from, rules: Rules) -> str:
    with UnitOfWork(ctx) as uow:
        s = uow.session
        item = item_row(uow, item_id)
        m = lock_meeting(uow, item.meeting_id)
        mrules.check_open_for_business(MeetingStatus(m.status))
        if ItemKind(item.kind) is not ItemKind.APPLICATION:
            raise DomainError(_("Alleen over een aanvraag wordt een besluit vastgelegd."))
        if s.scalars(select(DecisionRecord.id).where(DecisionRecord.agenda_item_id == item.id)).first():
            raise DomainError(_("Over dit agendapunt is al besloten."))
        app = s.get(Application, item.application_id)
        day = m.starts_at.astimezone(AMSTERDAM).date()
        tally = _item_tally(item, attendees_of(uow, m), rules)
        decision = voting.check_decision(tally, decision_type, decision_date=day, deadline=deadline,
                                         founded_on=app.organisation.founded_on)
        kenmerk_rules.validate_pattern(rules.kenmerk_pattern)
        last = s.scalar(select(func.max(DecisionRecord.number)).where(DecisionRecord.year == day.year))
        k = kenmerk_rules.next_kenmerk(rules.kenmerk_pattern, day.year, last or 0)
        recognised = decision_type in (DecisionType.GRANTED, DecisionType.CONDITIONAL)
        valid_from = (badge_valid_from or day) if recognised else None
        rec = DecisionRecord(
            agenda_item_id=item.id, application_id=app.id, kenmerk=k.text, year=k.year, number=k.number,
            decision_type=decision_type.value, motivation=motivation, decided_on=day,
            badge_valid_from=valid_from,
            badge_valid_until=voting.badge_valid_until(decision_type, valid_from, decision.deadline, rules),
            conditional_deadline=decision.deadline, recorded_by=ctx.actor.name,
        )
        s.add(rec)
        target = Status.COMPLETE if decision_type is DecisionType.DEFERRED else Status.DECIDED
        apply_status(uow, app, target, manual=False, on_date=day,
                     remark=_("Besluit {k}: {d}").format(k=k.text, d=decision_type.label))
        _touch(m)
        s.flush()
        uow.audit("create", "decision", rec.id, None,
                  {"kenmerk": k.text, "type": decision_type, "motivation": motivation, "tally": tally.summary,
                   "deadline": decision.deadline, "badge_valid_from": rec.badge_valid_from,
                   "badge_valid_until": rec.badge_valid_until})
        uow.commit()
        return k.text


def set_meeting_minutes(ctx: ServiceContext, meeting_id: uuid.UUID, text: str) -> None:
    with UnitOfWork(ctx) as uow:
        m = meeting_row(uow, meeting_id)
        if MeetingStatus(m.status) is MeetingStatus.CLOSED:
            mrules.check_open_for_business(MeetingStatus.CLOSED)
        uow.audit("update", "meeting", m.id, {"minutes": m.minutes}, {"minutes": text})
        m.minutes = text
        _touch(m)
        uow.commit()


# ---------------------------------------------------------------- reading


def get_meeting(ctx: ServiceContext, meeting_id: uuid.UUID) -> MeetingDetail:
    """The meeting as it stands (corrections applied). Never fails on what is stored: a record that breaks
    a rule (written before a check existed, or by hand) comes with ``problems`` to show as a warning."""
    rules = _rules()
    with UnitOfWork(ctx) as uow:
        s = uow.session
        m = meeting_row(uow, meeting_id)
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
                id=it.id, position=it.position, kind=parse_code(ItemKind, it.kind) or ItemKind.FREE, title=it.title,
                minutes=it.minutes, application_id=it.application_id, organisation=org.name if org else "",
                kvk=org.kvk if org else "", place=org.place if org else "",
                criteria=tuple(e.criterion for e in app.evidence) if app else (),
                founded_on=org.founded_on if org else None,
                conflicts=tuple((c.member_id, names.get(c.member_id, "?"), c.reason) for c in it.conflicts),
                votes=tuple((mid, names.get(mid, "?"), choice) for _vid, mid, choice in r.votes if choice is not None),
                tally=tally, decision=r.decision, problems=item_problems,
            ))
        corrections = tuple(
            CorrectionInfo(c.entity_type, c.entity_id, c.field, c.old_value, c.new_value, c.reason, c.at, c.by)
            for c in s.scalars(select(Correction).where(Correction.meeting_id == m.id)
                               .order_by(Correction.seq))
        )
        return MeetingDetail(m.id, m.version, m.starts_at, m.duration_minutes, m.place, m.video_link,
                             parse_code(MeetingStatus, m.status) or MeetingStatus.CLOSED, m.chair_name,
                             m.secretary_name, m.minutes, m.closed_at, loaded.attendees, tuple(items), corrections,
                             rules, tuple(dict.fromkeys(problems)))
