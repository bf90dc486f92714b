"""Issue 12, register UI's services: the fast rows of the Register page, the "Te doen" rows and the
re-assessments proposed for an agenda, on SQLite and PostgreSQL, from the demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from commissie_app.domain.codes import Role, Status
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.recognition import Purpose, RecognitionKind, RecognitionStatus
from commissie_app.services import (
    applications,
    follow_up_agenda,
    letter_generation,
    letter_sending,
    meeting_detail,
    meeting_planning,
    recognitions,
)
from commissie_app.services.demo import create_demo_data
from commissie_app.services.register_rows import fitting_purpose, register_lines
from commissie_app.services.todo_rows import todo_rows
from tests.conftest import TODAY, make_ctx


@pytest.fixture
def demo(ctx):
    create_demo_data(ctx)
    return ctx


def _by_name(lines):
    return {line.name: line for line in lines}


def test_register_lines_are_list_register_rows(demo):
    """Issue 12: the page's fast rows carry the same recognitions, statuses, kenmerken and dates as
    ``list_register``: the demo's withdrawn, expiring (capped by its certificate) and converted ones."""
    lines = _by_name(register_lines(demo))
    rows = {r.name: r for r in recognitions.list_register(demo)}
    assert set(lines) == set(rows) and len(lines) == 3
    for name, row in rows.items():
        line = lines[name]
        assert (line.recognition_id, line.status, line.kind, line.kenmerk, line.criteria, line.valid_from,
                line.valid_until, line.certificate_until, line.conditional_deadline, line.withdrawn_on) == (
            row.id, row.status, row.kind, row.kenmerk, row.criteria, row.valid_from, row.valid_until,
            row.certificate_until, row.conditional_deadline, row.withdrawn_on)
    assert lines["Staalstart IJmond Leerbedrijf (demo)"].status is RecognitionStatus.WITHDRAWN
    laundry = lines["Wasserette Werkkans (demo)"]
    assert laundry.status is RecognitionStatus.EXPIRING
    assert laundry.certificate_until == laundry.valid_until == TODAY + dt.timedelta(days=60)
    assert lines["Zzp Duurzaam Advies Zandvoort (demo)"].kind is RecognitionKind.FULL
    later = _by_name(register_lines(demo, today=TODAY + dt.timedelta(days=61)))
    assert later["Wasserette Werkkans (demo)"].status is RecognitionStatus.EXPIRED
    only = register_lines(demo, [laundry.recognition_id])
    assert [line.name for line in only] == ["Wasserette Werkkans (demo)"]


def test_fitting_purpose():
    """Issue 12: a conditional recognition converts, a certificate ending before the badge asks for a
    reassessment, else the badge is renewed."""
    day = dt.date(2027, 1, 1)
    assert fitting_purpose(RecognitionKind.CONDITIONAL, day, None, day) is Purpose.CONVERSION
    assert fitting_purpose(RecognitionKind.FULL, day, day - dt.timedelta(days=1), None) is Purpose.REASSESSMENT
    assert fitting_purpose(RecognitionKind.FULL, day, day, None) is Purpose.RENEWAL


def test_todo_rows_list_ends_overdue_requests_and_unsent_letters(demo):
    """Issue 12: the Te doen rows: the laundry's badge and certificate ending within the reminder period,
    an information request past its date, and a letter made but not sent until it is sent."""
    kinds = {(r.kind, r.name) for r in todo_rows(demo)}
    assert {("badge", "Wasserette Werkkans (demo)"), ("certificate", "Wasserette Werkkans (demo)")} <= kinds
    assert not any(k == "letter" for k, _n in kinds)
    overdue = [r for r in todo_rows(demo, TODAY + dt.timedelta(days=15)) if r.kind == "info_request"]
    assert [r.name for r in overdue] == ["Duinzorg Thuishulp Coöperatie (demo)"]
    assert overdue[0].application_id is not None
    closed = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(demo, m.id).items))
    made = letter_generation.generate_letters(demo, closed)
    letters = [r for r in todo_rows(demo) if r.kind == "letter"]
    assert sorted(r.letter_id for r in letters) == sorted(i.id for i in made)
    assert {r.meeting_id for r in letters} == {closed}
    letter_sending.mark_sent(demo, made[0].id, TODAY, "post")
    assert made[0].id not in {r.letter_id for r in todo_rows(demo) if r.kind == "letter"}


def test_a_proposed_reassessment_ends_on_the_agenda(demo):
    """Issue 12: the due recognition is proposed with the follow-up that fits; choosing it makes the
    follow-up application, complete, on the planned meeting's agenda, and it is no longer proposed."""
    (proposal,) = follow_up_agenda.proposals(demo)
    assert proposal.name == "Wasserette Werkkans (demo)"
    assert proposal.purpose is Purpose.RENEWAL  # the badge ends with the certificate
    planned = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.PLANNED)
    (app_id,) = follow_up_agenda.schedule_follow_ups(demo, planned, [(proposal.recognition_id, Purpose.RENEWAL)])
    detail = applications.get_application(demo, app_id)
    assert detail.status is Status.SCHEDULED
    items = [i for i in meeting_detail.get_meeting(demo, planned).items if i.kind is ItemKind.APPLICATION]
    assert app_id in {i.application_id for i in items}
    follow = recognitions.get_recognition(demo, proposal.recognition_id).follow_ups
    assert [(f.application_id, f.purpose) for f in follow] == [(app_id, Purpose.RENEWAL)]
    assert follow_up_agenda.proposals(demo) == []


def test_only_the_secretary_schedules_follow_ups(demo):
    """Issue 12: a member or the chair cannot start follow-ups onto the agenda; nothing is written."""
    (proposal,) = follow_up_agenda.proposals(demo)
    planned = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.PLANNED)
    for role in (Role.MEMBER, Role.CHAIR):
        other = make_ctx(demo.db, f"Iemand {role.value}", role)
        with pytest.raises(PermissionDeniedError):
            follow_up_agenda.schedule_follow_ups(other, planned, [(proposal.recognition_id, Purpose.RENEWAL)])
    assert recognitions.get_recognition(demo, proposal.recognition_id).follow_ups == ()
