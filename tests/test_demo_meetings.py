"""Demo data with the commission and its meetings."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from commissie_app.domain.codes import Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType
from commissie_app.services import applications as apps
from commissie_app.services import commission, meeting_detail, meeting_documents, meeting_planning
from commissie_app.services.demo import create_demo_data
from tests.conftest import TODAY, make_ctx


def test_demo_has_a_closed_meeting_with_every_decision_type_and_a_planned_one(ctx):
    create_demo_data(ctx)
    rows = meeting_planning.list_meetings(ctx)
    closed = [r for r in rows if r.status is MeetingStatus.CLOSED]
    planned = [r for r in rows if r.status is MeetingStatus.PLANNED]
    assert closed and planned
    assert all(r.local_start.date() < TODAY for r in closed)
    assert all(r.local_start.date() > TODAY for r in planned)

    held = meeting_detail.get_meeting(ctx, closed[0].id)
    decisions = [i.decision for i in held.items if i.kind is ItemKind.APPLICATION]
    assert all(decisions)
    # every type but 'ingetrokken', which needs a recognition decided before (Issue 12: the next meeting)
    assert {d.decision_type for d in decisions} == set(DecisionType) - {DecisionType.WITHDRAWN}
    assert sorted(d.kenmerk for d in decisions) == [f"KIP-{held.local_start.year}-{n:03}" for n in range(1, 5)]
    every = {i.decision.decision_type for r in closed for i in meeting_detail.get_meeting(ctx, r.id).items
             if i.decision}
    assert every == set(DecisionType)
    conditional = next(d for d in decisions if d.decision_type is DecisionType.CONDITIONAL)
    assert conditional.conditional_deadline > conditional.decided_on
    # one conflict of interest, recorded attendance for all five seats, votes by name
    assert sum(len(i.conflicts) for i in held.items) == 1
    assert {a.seat for a in held.attendees} == set(Seat)
    assert all(a.attendance is not None for a in held.attendees)
    assert Attendance.EXCUSED in {a.attendance for a in held.attendees}
    assert sum(len(i.votes) for i in held.items) >= 10
    assert held.corrections  # the approved minutes carry one correction
    # closed at the end of that meeting, not at the moment the demo data was made
    assert held.closed_at.astimezone(held.local_start.tzinfo).date() == held.local_start.date()
    assert held.closed_at > held.local_start

    upcoming = meeting_detail.get_meeting(ctx, planned[0].id)
    on_agenda = [i.application_id for i in upcoming.items if i.kind is ItemKind.APPLICATION]
    assert on_agenda
    assert all(apps.get_application(ctx, a).status is Status.SCHEDULED for a in on_agenda)
    # the deferred application is back on the next agenda
    deferred = next(i.application_id for i in held.items if i.decision and i.decision.decision_type is DecisionType.DEFERRED)
    assert deferred in on_agenda


def test_demo_keeps_every_status_and_the_twice_a_year_rule(ctx):
    create_demo_data(ctx)
    rows = apps.list_rows(ctx)
    assert {r.status for r in rows} == set(Status)
    assert len(rows) == 15  # 13 organisations; two follow-up applications (Issue 12)
    assert meeting_planning.year_warnings(ctx) == []
    # five fictional members on the five seats; the business seat is due for replacement
    holders = {t.seat: t for t in commission.terms(ctx) if t.covers(TODAY)}
    assert set(holders) == set(Seat)
    assert len({t.member_id for t in holders.values()}) == 5
    warnings = commission.composition_warnings(ctx)
    assert len(warnings) == 1 and holders[Seat.BUSINESS].member_name in warnings[0]
    # decided applications come from the meeting: each has a decision
    decided = {r.application_id for r in rows if r.status is Status.DECIDED}
    closed = [r for r in meeting_planning.list_meetings(ctx) if r.status is MeetingStatus.CLOSED]
    decided_in_meeting = {i.application_id for r in closed for i in meeting_detail.get_meeting(ctx, r.id).items
                          if i.decision and i.decision.decision_type is not DecisionType.DEFERRED}
    assert decided == decided_in_meeting


@pytest.mark.parametrize("today", [dt.date(2027, 1, 12), dt.date(2027, 12, 20), dt.date(2027, 4, 1)])
def test_demo_meets_twice_a_year_whatever_the_date(sqlite_db, today):
    ctx = make_ctx(sqlite_db)
    ctx.today = lambda: today
    create_demo_data(ctx)
    assert meeting_planning.year_warnings(ctx) == []
    statuses = [r.status for r in meeting_planning.list_meetings(ctx)]
    assert MeetingStatus.CLOSED in statuses and MeetingStatus.PLANNED in statuses


def test_demo_minutes_render(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    held = next(r for r in meeting_planning.list_meetings(sqlite_ctx) if r.application_count == 4)
    data = meeting_documents.minutes_pdf(sqlite_ctx, held.id)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)
    for label in ("toegekend", "voorwaardelijk toegekend", "afgewezen", "aangehouden", "Belangenverstrengeling",
                  "Correcties na sluiting", "Vastgesteld in de vergadering van"):  # issue 14: adopted later
        assert label in text
    assert "Aldus vastgesteld" not in text
    assert text.count("Belangenverstrengeling") == 1 and text.count("belangenverstrengeling") == 0  # issue 14: once
    assert "Bea Bedrijfsma (Bedrijfsleven) neemt niet deel aan de bespreking" in text
