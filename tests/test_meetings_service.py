"""Meetings through the service layer, on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, Outcome, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import (
    commission,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from tests.factories import app_data, deferral, org_data, seated_chair
from tests.meeting_days import step

SEATS = list(Seat)


def seat_members(ctx, since=dt.date(2026, 1, 1)):
    ids = []
    for i, seat in enumerate(SEATS):
        mid = commission.add_member(ctx, f"Lid {i + 1}")
        commission.appoint(ctx, mid, seat, since)
        ids.append(mid)
    return ids


def complete_app(ctx, kvk="01234567", founded=dt.date(2020, 1, 1)):
    app_id = apps.register_application(ctx, org_data(kvk=kvk, name=f"Org {kvk}", founded_on=founded), app_data())
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    return app_id


def open_meeting(ctx, app_ids, day=dt.datetime(2026, 12, 1, 14, 0)):
    mid = meeting_planning.plan_meeting(ctx, day, place="Stadhuis Haarlem", chair_member_id=seated_chair(ctx, day))
    meeting_agenda.add_application_items(ctx, mid, app_ids)
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    return mid


def app_item(ctx, mid, n=0):
    return [i for i in meeting_detail.get_meeting(ctx, mid).items if i.kind is ItemKind.APPLICATION][n]


def test_new_meeting_has_the_standard_agenda_and_applications_go_before_rondvraag(ctx):
    a = complete_app(ctx)
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis")
    meeting_agenda.add_application_item(ctx, mid, a)
    meeting_agenda.add_free_item(ctx, mid, "Jaarverslag 2026")
    titles = [i.title for i in meeting_detail.get_meeting(ctx, mid).items]
    assert titles == ["Opening", "Vaststelling agenda", "Verslag vorige vergadering",
                      "Ontwikkelingen Impact Ondernemen", "Advies aan het Coördinatieteam",
                      "Aanvraag Org 01234567", "Jaarverslag 2026", "Rondvraag", "Sluiting"]
    assert apps.get_application(ctx, a).status is Status.SCHEDULED


def test_only_complete_applications_go_on_the_agenda(ctx):
    a = apps.register_application(ctx, org_data(), app_data())
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis")
    with pytest.raises(DomainError) as e:
        meeting_agenda.add_application_item(ctx, mid, a)
    assert "complete aanvraag" in str(e.value)
    assert [r[0] for r in meeting_agenda.complete_applications(ctx)] == []


def test_reorder_and_remove_sends_application_back(ctx):
    a, b = complete_app(ctx, "11111111"), complete_app(ctx, "22222222")
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis")
    meeting_agenda.add_application_items(ctx, mid, [a, b])
    items = meeting_detail.get_meeting(ctx, mid).items
    order = [i.id for i in items]
    order[5], order[6] = order[6], order[5]
    meeting_agenda.reorder_items(ctx, mid, order)
    assert [i.id for i in meeting_detail.get_meeting(ctx, mid).items] == order
    meeting_agenda.remove_item(ctx, order[5])
    assert apps.get_application(ctx, b).status is Status.COMPLETE
    assert len(meeting_detail.get_meeting(ctx, mid).items) == 8


def test_whole_meeting_with_conflict_votes_decision_and_closing(ctx):
    members = seat_members(ctx)
    a = complete_app(ctx)
    mid = open_meeting(ctx, [a])
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.EXCUSED)
    item = app_item(ctx, mid)
    meeting_attendance.declare_conflict(ctx, item.id, members[0], "Is adviseur van de organisatie")
    with pytest.raises(DomainError) as e:
        meeting_votes.record_vote(ctx, item.id, members[0], VoteChoice.FOR)
    assert "belangenverstrengeling" in str(e.value)
    with pytest.raises(DomainError):
        meeting_votes.record_vote(ctx, item.id, members[4], VoteChoice.FOR)
    for m, c in zip(members[1:4], [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST]):
        meeting_votes.record_vote(ctx, item.id, m, c)
    tally = app_item(ctx, mid).tally
    assert (tally.votes_for, tally.votes_against, tally.outcome) == (2, 1, Outcome.POSITIVE)
    with pytest.raises(DomainError):
        meeting_votes.record_decision(ctx, item.id, DecisionType.REJECTED, "Past niet")
    k = meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet aan PSO 30+.", criteria_met=[Criterion.PSO30])
    assert k == "KIP-2026-001"
    assert apps.get_application(ctx, a).status is Status.DECIDED
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    with pytest.raises(DomainError) as e:
        meeting_votes.record_vote(ctx, item.id, members[1], VoteChoice.AGAINST)
    assert "gesloten" in str(e.value)
    with pytest.raises(DomainError):
        meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.PRESENT)
    with pytest.raises(ValidationError):
        meeting_corrections.correct_vote(ctx, item.id, members[3], VoteChoice.FOR, reason=" ")
    meeting_corrections.correct_vote(ctx, item.id, members[3], VoteChoice.ABSTAIN, reason="Verkeerd genoteerd")
    detail = meeting_detail.get_meeting(ctx, mid)
    assert [(c.field, c.old_value, c.new_value, c.reason) for c in detail.corrections] == [
        ("choice", "against", "abstain", "Verkeerd genoteerd")]
    assert detail.items[5].decision.kenmerk == "KIP-2026-001"


def test_no_votes_without_quorum(ctx):
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx)])
    for m in members[:3]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    meeting_attendance.declare_conflict(ctx, item.id, members[0], "Familie van de aanvrager")
    with pytest.raises(DomainError) as e:
        meeting_votes.record_vote(ctx, item.id, members[1], VoteChoice.FOR)
    assert "geen quorum" in str(e.value)
    k = meeting_votes.record_decision(ctx, item.id, DecisionType.DEFERRED, "Geen quorum; volgende vergadering.",
                                      content=deferral())
    assert k.startswith("KIP-2026-")
    assert apps.get_application(ctx, app_item(ctx, mid).application_id).status is Status.COMPLETE


def test_kenmerk_is_sequential_and_conditional_gets_a_deadline(ctx):
    members = seat_members(ctx)
    a, b = complete_app(ctx, "11111111"), complete_app(ctx, "22222222", founded=dt.date(2025, 6, 1))
    mid = open_meeting(ctx, [a, b])
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    ks = []
    for n in range(2):
        item = app_item(ctx, mid, n)
        for m in members:
            meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
        ks.append(meeting_votes.record_decision(ctx, item.id, DecisionType.CONDITIONAL, "Startup met missie.",
                                                criteria_met=[Criterion.PSO30]))
    assert ks == ["KIP-2026-001", "KIP-2026-002"]
    d = app_item(ctx, mid, 1).decision
    assert d.conditional_deadline == dt.date(2028, 11, 30)  # Issues 12, 14: decision + 24 months, less a day
    assert d.badge_valid_from == dt.date(2026, 12, 1)


def test_closing_needs_a_decision_on_every_application(ctx):
    seat_members(ctx)  # issue 13: a meeting opens with a chair who holds a seat
    mid = open_meeting(ctx, [complete_app(ctx)])
    with pytest.raises(DomainError) as e:
        meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    assert "Nog open" in str(e.value)


def test_year_warning_and_find_by_date(ctx):
    assert any("2026" in w for w in meeting_planning.year_warnings(ctx))
    m1 = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 3, 1, 14, 0), place="A")
    meeting_planning.plan_meeting(ctx, dt.datetime(2026, 10, 1, 14, 0), place="B")
    assert not any("2026" in w for w in meeting_planning.year_warnings(ctx))
    assert meeting_planning.find_meeting(ctx, "2026-03-01") == m1
    assert meeting_planning.find_meeting(ctx, str(m1)) == m1
    with pytest.raises(DomainError):
        meeting_planning.find_meeting(ctx, "2026-05-05")


def test_overlapping_terms_are_refused(ctx):
    a = commission.add_member(ctx, "A")
    b = commission.add_member(ctx, "B")
    commission.appoint(ctx, a, Seat.BUSINESS, dt.date(2025, 1, 1))
    with pytest.raises(DomainError):
        commission.appoint(ctx, b, Seat.BUSINESS, dt.date(2026, 1, 1))
    terms = commission.terms(ctx)
    assert len(terms) == 1
    assert any("bedrijfsleven" in w.lower() or "vervanging" in w for w in commission.composition_warnings(ctx))
