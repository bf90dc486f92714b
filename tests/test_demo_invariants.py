"""Issue 14: the demo data tells one consistent story.

The demo is built once per database (SQLite and PostgreSQL) and read back straight from the tables; each check
below states one rule of the domain on its own terms (DESIGN.md, forms/rules.toml) instead of asking the services
that wrote the data, so a service and its check cannot share a mistake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from commissie_app.db.engine import Database
from commissie_app.db.models import (
    AgendaItem,
    Application,
    AttendanceRecord,
    AuditEvent,
    Correction,
    DecisionRecord,
    Evidence,
    Meeting,
    Recognition,
    StatusChange,
    Term,
    VoteRecord,
)
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services.demo import create_demo_data
from tests.conftest import TODAY, _pg_db, make_ctx

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
S = Status
#: DESIGN.md: ontvangen -> in behandeling -> (informatie opgevraagd <-> in behandeling) -> compleet -> geagendeerd
#: -> besloten; ingetrokken from any open status; 'aangehouden' sends a scheduled application back to compleet.
STEPS = {
    S.RECEIVED: {S.IN_PROGRESS, S.WITHDRAWN},
    S.IN_PROGRESS: {S.INFO_REQUESTED, S.COMPLETE, S.WITHDRAWN},
    S.INFO_REQUESTED: {S.IN_PROGRESS, S.WITHDRAWN},
    S.COMPLETE: {S.SCHEDULED, S.WITHDRAWN},
    S.SCHEDULED: {S.DECIDED, S.COMPLETE, S.WITHDRAWN},
    S.DECIDED: set(),
    S.WITHDRAWN: set(),
}
#: how texts name a criterion's evidence, and the words that say it no longer holds
NAMES = {"B Corp": Criterion.BCORP, "PSO 30+": Criterion.PSO30, "Social Enterprise NL": Criterion.SE_NL,
         "Code Sociale Ondernemingen": Criterion.CODE_SO}
ENDED = re.compile(r"\b(verlopen|ingetrokken|beëindigd)\b")
KENMERK = re.compile(r"KIP-(\d{4})-(\d{3})")


@dataclasses.dataclass
class Demo:
    db: Database
    ctx: object
    today: dt.date
    now: dt.datetime  # the morning of the demo's today: no recorded moment may lie after it


@pytest.fixture(scope="module", params=[
    ("sqlite", TODAY), pytest.param(("postgresql", TODAY), marks=pytest.mark.postgres),
    ("sqlite", dt.date(2027, 4, 1)),  # another season: the demo's meetings fall in two years
], ids=lambda p: f"{p[0]}-{p[1]}")
def demo(request, tmp_path_factory, sqlite_template):
    """The demo data made on the demo's today."""
    kind, today = request.param
    now = dt.datetime.combine(today, dt.time(9, 0), tzinfo=AMSTERDAM).astimezone(dt.timezone.utc)
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        shutil.copy(sqlite_template, path)
        database = Database(f"sqlite:///{path}")
    else:
        database = _pg_db(request.getfixturevalue("pg_url"))
    ctx = dataclasses.replace(make_ctx(database), today=lambda: today, now=lambda: now)
    create_demo_data(ctx)
    yield Demo(database, ctx, today, now)
    database.dispose()


@pytest.fixture
def s(demo):
    with demo.db.session() as session:
        yield session


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


def meetings(s) -> list[Meeting]:
    return list(s.scalars(select(Meeting).order_by(Meeting.starts_at)))


def item_meeting(s) -> dict:
    """agenda item id -> its meeting"""
    return {i.id: i.meeting for m in meetings(s) for i in m.items}


def test_every_status_history_runs_forward_in_time_and_ends_in_the_current_status(s):
    """Issue 14: no application reaches 'compleet' after it was put on an agenda; every step is one the workflow
    allows, dated on or after the one before, starting on the day of receipt and ending in the current status."""
    faults = []
    for app in s.scalars(select(Application)):
        name = f"{app.organisation.name} ({app.received_on})"
        history = list(s.scalars(select(StatusChange).where(StatusChange.application_id == app.id)
                                 .order_by(StatusChange.at)))
        if not history or history[0].from_status is not None or history[0].to_status is not S.RECEIVED:
            faults.append(f"{name}: history does not start with 'ontvangen'")
            continue
        if history[0].on_date != app.received_on:
            faults.append(f"{name}: received {app.received_on}, history starts {history[0].on_date}")
        for before, step in zip(history, history[1:]):
            if step.from_status is not before.to_status:
                faults.append(f"{name}: step from {step.from_status} follows a step to {before.to_status}")
            if step.to_status not in STEPS[step.from_status]:
                faults.append(f"{name}: {step.from_status.value} -> {step.to_status.value} is no workflow step")
            if step.on_date < before.on_date:
                faults.append(f"{name}: {step.to_status.value} on {step.on_date} after "
                              f"{before.to_status.value} on {before.on_date}")
        if history[-1].to_status is not app.status:
            faults.append(f"{name}: history ends in {history[-1].to_status.value}, status is {app.status.value}")
    assert faults == []


def test_no_past_event_is_dated_after_the_demo_today(demo, s):
    """Issue 14: what has happened carries a date on or before the demo's today (and a recorded moment before its
    now); held meetings lie before it, the planned one after it."""
    today, now = demo.today, demo.now
    faults = []
    for app in s.scalars(select(Application)):
        dates = [("received", app.received_on)] + [(c.to_status.value, c.on_date) for c in app.status_changes]
        faults += [f"{app.organisation.name}: {what} on {day}" for what, day in dates if day > today]
    for d in s.scalars(select(DecisionRecord)):
        if d.decided_on > today:
            faults.append(f"{d.kenmerk} decided on {d.decided_on}")
    for r in s.scalars(select(Recognition)):
        faults += [f"recognition event {e.kenmerk} on {e.on_date}" for e in r.events if e.on_date > today or e.at > now]
        if r.withdrawn_on and r.withdrawn_on > today:
            faults.append(f"recognition withdrawn on {r.withdrawn_on}")
    for c in s.scalars(select(Correction)):
        if c.at > now:
            faults.append(f"correction '{c.reason}' recorded at {c.at}")
    for m in meetings(s):
        day = local_day(m.starts_at)
        if m.status is MeetingStatus.CLOSED:
            if day >= today or m.closed_at is None or m.closed_at > now or local_day(m.closed_at) != day:
                faults.append(f"meeting of {day} closed at {m.closed_at}")
        elif day <= today:
            faults.append(f"meeting of {day} is {m.status.value}, not held")
    for t in s.scalars(select(Term)):
        if t.ends_on and t.ends_on > today:
            faults.append(f"term of {t.member.name} ended {t.ends_on}")
    assert faults == []


def test_every_decision_is_dated_on_its_meeting_and_each_decided_application_has_one(s):
    """Issue 14: a decision's date is its meeting's date; its kenmerk is unique and of its year; an application
    in 'besloten' has exactly one decision that is not 'aangehouden', others have none; the badge starts on the
    decision date."""
    faults = []
    of_item = item_meeting(s)
    decisions = list(s.scalars(select(DecisionRecord)))
    for d in decisions:
        meeting = of_item[d.agenda_item_id]
        item = s.get(AgendaItem, d.agenda_item_id)
        if meeting.status is not MeetingStatus.CLOSED:
            faults.append(f"{d.kenmerk}: decided in a meeting that is {meeting.status.value}")
        if d.decided_on != local_day(meeting.starts_at):
            faults.append(f"{d.kenmerk}: decided on {d.decided_on}, meeting on {local_day(meeting.starts_at)}")
        if item.application_id != d.application_id:
            faults.append(f"{d.kenmerk}: not the application of its agenda item")
        found = KENMERK.fullmatch(d.kenmerk)
        if not found or int(found[1]) != d.decided_on.year or int(found[2]) != d.number:
            faults.append(f"{d.kenmerk}: not the kenmerk of number {d.number} of {d.decided_on.year}")
        if d.decision_type in (DecisionType.GRANTED, DecisionType.CONDITIONAL):
            if d.badge_valid_from != d.decided_on or not d.badge_valid_until or d.badge_valid_until <= d.decided_on:
                faults.append(f"{d.kenmerk}: badge {d.badge_valid_from} - {d.badge_valid_until}")
        elif d.badge_valid_from or d.badge_valid_until:
            faults.append(f"{d.kenmerk}: a {d.decision_type.value} decision with a badge")
    if len({d.kenmerk for d in decisions}) != len(decisions):
        faults.append("a kenmerk is used twice")
    for app in s.scalars(select(Application)):
        final = [d.kenmerk for d in decisions
                 if d.application_id == app.id and d.decision_type is not DecisionType.DEFERRED]
        expected = 1 if app.status is S.DECIDED else 0
        if len(final) != expected:
            faults.append(f"{app.organisation.name} ({app.status.value}): decisions {final}")
    assert faults == []


def _badge_cap(decision: DecisionRecord, evidence: list[tuple[Criterion, dt.date | None]],
               criteria: list[str]) -> dt.date | None:
    """forms/rules.toml: a badge runs no longer than the certificate it rests on."""
    ends = [until for c, until in evidence if c.value in criteria and until is not None]
    return min(ends) if ends else None


def _evidence_then(s, app_id, seq: int) -> list[tuple[Criterion, dt.date | None]]:
    """The application's evidence as the audit trail shows it just before event ``seq``."""
    rows = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(app_id), AuditEvent.seq < seq)
                     .order_by(AuditEvent.seq.desc()))
    for event in rows:
        listed = (event.new_values or {}).get("evidence")
        if listed is not None:
            return [(Criterion(c), dt.date.fromisoformat(until) if until else None)
                    for c, _ref, until in (str(x).split("|") for x in listed)]
    return [(e.criterion, e.valid_until) for e in s.scalars(select(Evidence).where(Evidence.application_id == app_id))]


def _decision_seq(s, decision: DecisionRecord) -> int:
    return s.scalar(select(AuditEvent.seq).where(AuditEvent.entity_id == str(decision.id))
                    .order_by(AuditEvent.seq).limit(1))


def test_meeting_texts_agree_with_the_evidence_dates_of_that_day(s):
    """Issue 14: a certificate the minutes or the decision call 'verlopen', 'ingetrokken' or 'beëindigd' ended
    before that meeting (in the evidence as it stood when the decision was taken); the criteria a grant rests on
    had valid evidence that day, and its badge runs no longer than that evidence."""
    faults = []
    of_item = item_meeting(s)
    for d in s.scalars(select(DecisionRecord)):
        day = local_day(of_item[d.agenda_item_id].starts_at)
        evidence = dict(_evidence_then(s, d.application_id, _decision_seq(s, d)))
        item = s.get(AgendaItem, d.agenda_item_id)
        for sentence in re.split(r"[.;]\s", f"{item.minutes} {d.motivation}"):
            if not ENDED.search(sentence):
                continue
            for name, criterion in NAMES.items():
                until = evidence.get(criterion, "absent")
                if name in sentence and (until is None or until == "absent" or until >= day):
                    faults.append(f"{d.kenmerk} ({day}): '{sentence.strip()}' but {criterion.value} valid until {until}")
        rec = s.scalars(select(Recognition).where(Recognition.decision_id == d.id)).first()
        if rec is not None and d.decision_type in (DecisionType.GRANTED, DecisionType.CONDITIONAL):
            for code in rec.criteria:
                until = evidence.get(Criterion(code), "absent")
                if until == "absent" or (until is not None and until < day):
                    faults.append(f"{d.kenmerk}: granted on {code}, evidence valid until {until}")
            cap = _badge_cap(d, list(evidence.items()), rec.criteria)
            if cap and d.badge_valid_until > cap and not rec.override_reason:
                faults.append(f"{d.kenmerk}: badge until {d.badge_valid_until}, certificate until {cap}")
    assert faults == []


def test_recognitions_follow_from_their_decisions(s):
    """Issue 14: each grant makes a recognition named by its kenmerk, dated on the decision day, valid as the
    decision says; a withdrawal ends it on its own day; no decision without a recognition where one is due."""
    faults = []
    decisions = {d.id: d for d in s.scalars(select(DecisionRecord))}
    recognised = set()
    for r in s.scalars(select(Recognition)):
        by_kenmerk = {d.kenmerk: d for d in decisions.values()}
        for e in r.events:
            d = by_kenmerk.get(e.kenmerk)
            if d is None or e.decision_id != d.id or e.on_date != d.decided_on:
                faults.append(f"recognition of {r.organisation.name}: event {e.event} {e.kenmerk} on {e.on_date}")
            elif e.event.value != "withdrawn" and e.valid_until != d.badge_valid_until:
                faults.append(f"{e.kenmerk}: event valid until {e.valid_until}, decision {d.badge_valid_until}")
            recognised.add(e.decision_id)
        first, last = decisions[r.events[0].decision_id], decisions[r.decision_id]
        if r.valid_from != first.badge_valid_from:
            faults.append(f"recognition of {r.organisation.name} from {r.valid_from}, {first.kenmerk} "
                          f"from {first.badge_valid_from}")
        if last.decision_type is DecisionType.WITHDRAWN:
            if r.withdrawn_on != last.decided_on:
                faults.append(f"recognition of {r.organisation.name} withdrawn on {r.withdrawn_on}, "
                              f"{last.kenmerk} on {last.decided_on}")
        elif r.valid_until != last.badge_valid_until or r.withdrawn_on:
            faults.append(f"recognition of {r.organisation.name} until {r.valid_until}, {last.kenmerk} "
                          f"{last.badge_valid_until}")
    due = {DecisionType.GRANTED, DecisionType.CONDITIONAL, DecisionType.WITHDRAWN}
    faults += [f"{d.kenmerk}: no recognition" for d in decisions.values()
               if d.decision_type in due and d.id not in recognised]
    assert faults == []


def test_closed_meetings_have_attendance_quorum_and_votes_that_carry_their_decisions(demo, s):
    """Issue 14: every seat held on a held meeting's day has its attendance; at least the rules' quorum is
    present, also per item without the members with a conflict; only present members without a conflict vote;
    the votes carry the decision (more 'voor' than 'tegen' for a grant, the other way round for a rejection or
    withdrawal); a planned meeting has no attendance, votes or decisions yet."""
    quorum = demo.ctx.rules.quorum_seats
    faults = []
    for m in meetings(s):
        day = local_day(m.starts_at)
        attendance = {a.member_id: a.state for a in s.scalars(select(AttendanceRecord)
                                                                .where(AttendanceRecord.meeting_id == m.id))}
        votes = {i.id: list(s.scalars(select(VoteRecord).where(VoteRecord.agenda_item_id == i.id))) for i in m.items}
        decided = {d.agenda_item_id: d for d in s.scalars(select(DecisionRecord).where(
            DecisionRecord.agenda_item_id.in_([i.id for i in m.items])))}
        if m.status is not MeetingStatus.CLOSED:
            if attendance or any(votes.values()) or decided:
                faults.append(f"meeting of {day} ({m.status.value}) has attendance, votes or decisions")
            continue
        seated = {t.member_id for t in s.scalars(select(Term)) if t.starts_on <= day and (t.ends_on is None
                                                                                          or t.ends_on >= day)}
        if set(attendance) != seated:
            faults.append(f"meeting of {day}: attendance of {len(attendance)} members, {len(seated)} seated")
        present = {mid for mid, state in attendance.items() if state is Attendance.PRESENT}
        if len(present) < quorum:
            faults.append(f"meeting of {day}: {len(present)} present, quorum {quorum}")
        for item in m.items:
            voting = present - {c.member_id for c in item.conflicts}
            cast = votes[item.id]
            if cast and len(voting) < quorum:
                faults.append(f"{item.title} ({day}): votes without quorum")
            faults += [f"{item.title} ({day}): a vote by an absent or conflicted member"
                       for v in cast if v.member_id not in voting]
            d = decided.get(item.id)
            if item.kind is ItemKind.APPLICATION and d is None:
                faults.append(f"{item.title} ({day}): no decision in a closed meeting")
            if d is None:
                continue
            yes = sum(v.choice is VoteChoice.FOR for v in cast)
            no = sum(v.choice is VoteChoice.AGAINST for v in cast)
            carried = {DecisionType.GRANTED: yes > no, DecisionType.CONDITIONAL: yes > no,
                       DecisionType.REJECTED: no > yes, DecisionType.WITHDRAWN: no > yes,
                       DecisionType.DEFERRED: yes == no}[d.decision_type]
            if not carried:
                faults.append(f"{d.kenmerk}: {d.decision_type.value} with {yes} voor, {no} tegen")
    assert faults == []


def test_minutes_speak_of_meetings_that_exist(s):
    """Issue 14: 'Verslag vorige vergadering' adopts the minutes of the meeting held before, named by its date;
    the first meeting adopts none (no 'vastgesteld' minutes of a meeting that does not exist)."""
    faults = []
    held = [m for m in meetings(s) if m.status is MeetingStatus.CLOSED]
    for n, m in enumerate(held):
        text = next((i.minutes for i in m.items if i.title == "Verslag vorige vergadering"), "")
        day = local_day(m.starts_at)
        if n == 0 and "vastgesteld" in text:
            faults.append(f"meeting of {day}: '{text}' but no earlier meeting")
        if n > 0 and "vastgesteld" in text and format_date_nl(local_day(held[n - 1].starts_at)) not in text:
            faults.append(f"meeting of {day}: '{text}' does not name the meeting before, "
                          f"{local_day(held[n - 1].starts_at)}")
        if n > 0 and "geen verslag" in text:
            faults.append(f"meeting of {day}: '{text}' but the meeting of {local_day(held[n - 1].starts_at)} was held")
    assert faults == []


def test_the_coordination_team_is_spelled_as_its_name_everywhere():
    """Issue 14: 'Coördinatieteam' is a name: one spelling (capital C, diaeresis) in the app's texts, forms,
    letter templates and documentation."""
    root = Path(__file__).resolve().parents[1]
    wrong = re.compile(r"co[oö]rdinatieteam", re.IGNORECASE)
    faults = []
    for folder in ("commissie_app", "forms", "docs"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in {".py", ".toml", ".txt", ".md", ".j2", ".html", ".po", ".pot"}:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
                faults += [f"{path.relative_to(root)}:{n}: {w}" for w in wrong.findall(line) if w != "Coördinatieteam"]
    assert faults == []


def test_each_meetings_minutes_are_adopted_at_the_next_meeting(s):
    """Issue 14: the minutes of a held meeting are adopted at the meeting held after it, on that meeting's day; the
    minutes of the last held meeting stay a draft until the next one, and no meeting adopts its own or later ones."""
    faults = []
    held = [m for m in meetings(s) if m.status is MeetingStatus.CLOSED]
    for m, after in zip(held, held[1:] + [None]):
        day = local_day(m.starts_at)
        if after is None:
            if m.minutes_adopted_on is not None:
                faults.append(f"meeting of {day}: minutes adopted {m.minutes_adopted_on}, no meeting held since")
        elif m.minutes_adopted_in_id != after.id or m.minutes_adopted_on != local_day(after.starts_at):
            faults.append(f"meeting of {day}: minutes adopted {m.minutes_adopted_on}, the next meeting was "
                          f"{local_day(after.starts_at)}")
    faults += [f"meeting of {local_day(m.starts_at)} ({m.status.value}): minutes adopted {m.minutes_adopted_on}"
               for m in meetings(s) if m.status is not MeetingStatus.CLOSED and m.minutes_adopted_on is not None]
    assert faults == []


def test_every_recognition_letter_prints_the_period_the_register_holds(demo, s):
    """Issue 14: the conversion letter (KIP-2026-005) printed a badge period that began on the conversion day while
    the register's recognition runs from the conditional grant; a follow-up letter names the earlier decision."""
    from commissie_app.services.decision_letter_data import letter_data
    from commissie_app.services.meeting_record import decision_corrections, effective_decision
    corrections = decision_corrections(s)
    faults, conversions = [], 0
    for r in s.scalars(select(Recognition)):
        for e in r.events:
            d = s.get(DecisionRecord, e.decision_id)
            if d is None or d.decision_type not in (DecisionType.GRANTED, DecisionType.CONDITIONAL):
                continue
            meeting = s.get(AgendaItem, d.agenda_item_id).meeting
            data = letter_data(s, effective_decision(d, corrections), d, s.get(Application, d.application_id), meeting,
                               demo.today)
            if (data.badge_valid_from, data.badge_valid_until) != (r.valid_from, e.valid_until):
                faults.append(f"{d.kenmerk}: letter {data.badge_valid_from}–{data.badge_valid_until}, register "
                              f"{r.valid_from}–{e.valid_until}")
            if e.event.value == "converted":
                conversions += 1
                first = r.events[0]
                if (data.occasion, data.earlier_kenmerk, data.earlier_decided_on) != (
                        "omzetting", first.kenmerk, first.on_date):
                    faults.append(f"{d.kenmerk}: converts {data.earlier_kenmerk} of {data.earlier_decided_on}")
    assert conversions >= 1 and faults == []


def test_the_letters_contact_is_the_secretary_who_signs(demo, s):
    """Issue 14: the demo's letters named "Sanne de Wit" as contact and were signed by "Sanne Secretaris"."""
    from commissie_app.services.letter_settings import get_letter_settings
    secretaries = {m.secretary_name for m in meetings(s) if m.secretary_name}
    assert secretaries == {get_letter_settings(demo.ctx).contact_name}
