"""Issue 13: a meeting's steps check the date, closing lists what is open, and what was done in the open
meeting can be undone until it counts (services, on SQLite and PostgreSQL)."""

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from commissie_app.db.models import AuditEvent, Recognition
from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.recognition import RecognitionKind
from commissie_app.domain.voting import Attendance, DecisionType, Outcome, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from commissie_app.services.meeting_closing import DateNotConfirmedError
from tests.conftest import make_ctx
from tests.factories import deferral, seated_chair
from tests.meeting_days import on_meeting_day
from tests.test_meetings_service import app_item, complete_app, open_meeting, seat_members


def events(ctx, action):
    with ctx.db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def planned(ctx, day, apps_=()):
    chair = seated_chair(ctx, day) or (seat_members(ctx) and seated_chair(ctx, day))
    mid = meeting_planning.plan_meeting(ctx, day, place="Stadhuis Haarlem", chair_member_id=chair)
    if apps_:
        meeting_agenda.add_application_items(ctx, mid, list(apps_))
    return mid


def status(ctx, mid):
    return meeting_detail.get_meeting(ctx, mid).status


# ---------------------------------------------------------------- the date check


def test_opening_before_the_meetings_date_is_refused_naming_the_date(ctx):
    """Issue 13: December's meeting cannot be opened in November (the context's clock says 23 november)."""
    mid = planned(ctx, dt.datetime(2026, 12, 10, 14, 0))
    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)  # before the date: no question
    for confirmed in (False, True):
        with pytest.raises(DomainError) as e:
            meeting_closing.set_status(ctx, mid, MeetingStatus.OPEN, date_confirmed=confirmed)
        assert "De vergadering van 10 december 2026 kan niet eerder geopend worden" in str(e.value)
    assert status(ctx, mid) is MeetingStatus.AGENDA_SET
    meeting_closing.set_status(on_meeting_day(ctx, mid), mid, MeetingStatus.OPEN)
    assert status(ctx, mid) is MeetingStatus.OPEN


def test_steps_after_the_meetings_date_need_a_confirmation(ctx):
    """Issue 13: setting the agenda of, or opening, a meeting in the past asks first (naming the date)."""
    mid = planned(ctx, dt.datetime(2026, 11, 17, 14, 0))
    with pytest.raises(DateNotConfirmedError) as e:
        meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    assert "17 november 2026" in str(e.value)
    assert status(ctx, mid) is MeetingStatus.PLANNED
    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET, date_confirmed=True)
    with pytest.raises(DateNotConfirmedError) as e:
        meeting_closing.set_status(ctx, mid, MeetingStatus.OPEN)
    assert "17 november 2026" in str(e.value) and "23 november 2026" in str(e.value)
    assert status(ctx, mid) is MeetingStatus.AGENDA_SET
    meeting_closing.set_status(ctx, mid, MeetingStatus.OPEN, date_confirmed=True)
    assert status(ctx, mid) is MeetingStatus.OPEN


def test_the_question_follows_the_clock():
    """Issue 13: on the meeting's own day nothing is asked."""
    day = dt.date(2026, 12, 10)
    assert meeting_closing.date_question(MeetingStatus.OPEN, day, day) == ""
    assert meeting_closing.date_question(MeetingStatus.AGENDA_SET, day, dt.date(2026, 11, 1)) == ""
    assert "10 december 2026" in meeting_closing.date_question(MeetingStatus.OPEN, day, dt.date(2026, 12, 11))


# ---------------------------------------------------------------- reopening the agenda


def test_a_set_agenda_is_reopened_with_a_reason_in_the_audit_log(ctx):
    """Issue 13: reopening needs a reason, is audited with it, and only before the meeting opens."""
    mid = planned(ctx, dt.datetime(2026, 12, 10, 14, 0))
    with pytest.raises(DomainError):
        meeting_closing.reopen_agenda(ctx, mid, "Nog niet vastgesteld")
    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    with pytest.raises(ValidationError) as e:
        meeting_closing.reopen_agenda(ctx, mid, "   ")
    assert "reden" in e.value.errors["reason"]
    assert status(ctx, mid) is MeetingStatus.AGENDA_SET
    meeting_closing.reopen_agenda(ctx, mid, "Aanvraag Groenwerk  vergeten")
    assert status(ctx, mid) is MeetingStatus.PLANNED
    [event] = [e for e in events(ctx, "reopen_agenda") if "reason" in (e.new_values or {})]
    assert event.entity_id == str(mid) and event.actor == "Sanne Secretaris"
    assert event.new_values["reason"] == "Aanvraag Groenwerk vergeten"
    assert (event.old_values["status"], event.new_values["status"]) == ("agenda_set", "planned")

    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    meeting_closing.set_status(on_meeting_day(ctx, mid), mid, MeetingStatus.OPEN)
    with pytest.raises(DomainError) as e:
        meeting_closing.reopen_agenda(ctx, mid, "Te laat")
    assert "geopend" in str(e.value)
    assert status(ctx, mid) is MeetingStatus.OPEN


def test_only_who_may_set_the_agenda_may_reopen_it(db):
    """Issue 13: a member may not reopen an agenda (refused and the refusal audited)."""
    sec = make_ctx(db)
    member = make_ctx(db, "Lid Lotte", Role.MEMBER)
    mid = planned(sec, dt.datetime(2026, 12, 10, 14, 0))
    meeting_closing.set_status(sec, mid, MeetingStatus.AGENDA_SET)
    with pytest.raises(PermissionDeniedError):
        meeting_closing.reopen_agenda(member, mid, "Ik wil nog een punt")
    assert status(sec, mid) is MeetingStatus.AGENDA_SET


# ---------------------------------------------------------------- undo in the open meeting


@pytest.fixture
def meeting(ctx):
    members = seat_members(ctx)
    app_id = complete_app(ctx)
    mid = open_meeting(ctx, [app_id])
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.ABSENT)
    return members, mid, app_item(ctx, mid).id, app_id


def test_a_conflict_declared_for_the_wrong_member_is_withdrawn(ctx, meeting):
    """Issue 13: the withdrawn member votes again; the audit log keeps the removed declaration."""
    members, mid, item, _app = meeting
    meeting_attendance.declare_conflict(ctx, item, members[0], "Adviseur van de organisatie")
    with pytest.raises(DomainError):
        meeting_votes.record_vote(ctx, item, members[0], VoteChoice.FOR)
    meeting_attendance.withdraw_conflict(ctx, item, members[0])
    assert app_item(ctx, mid).conflicts == ()
    meeting_votes.record_vote(ctx, item, members[0], VoteChoice.FOR)
    [event] = [e for e in events(ctx, "withdraw_conflict") if e.entity_type == "conflict"]
    assert event.old_values["reason"] == "Adviseur van de organisatie"
    with pytest.raises(DomainError):
        meeting_attendance.withdraw_conflict(ctx, item, members[1])  # nothing declared


def all_present(db):
    """An open meeting with one application and everyone present, as the secretary."""
    sec = make_ctx(db)
    members = seat_members(sec)
    mid = open_meeting(sec, [complete_app(sec)])
    for m in members:
        meeting_attendance.set_attendance(sec, mid, m, Attendance.PRESENT)
    return sec, members, mid, app_item(sec, mid).id


def test_a_member_withdraws_only_their_own_declaration_and_not_after_the_decision(db):
    """Issue 13: who may declare today may withdraw; once decided, the declaration stays."""
    sec, members, mid, item = all_present(db)
    lid = make_ctx(db, "Lid Een", Role.MEMBER, member_id=members[0])
    meeting_attendance.declare_conflict(sec, item, members[1], "Familie")
    meeting_attendance.declare_conflict(lid, item, members[0], "Klant")
    with pytest.raises(PermissionDeniedError):
        meeting_attendance.withdraw_conflict(lid, item, members[1])
    meeting_attendance.withdraw_conflict(lid, item, members[0])
    for m in [members[0], *members[2:]]:
        meeting_votes.record_vote(sec, item, m, VoteChoice.FOR)
    meeting_votes.record_decision(sec, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    with pytest.raises(DomainError) as e:
        meeting_attendance.withdraw_conflict(sec, item, members[1])
    assert "al besloten" in str(e.value)
    assert [c[0] for c in app_item(sec, mid).conflicts] == [members[1]]


def test_a_vote_is_cleared_and_cast_again_until_the_decision(ctx, meeting):
    """Issue 13: 'Stem wissen' removes the vote (audited); after the decision the vote is fixed."""
    members, mid, item, _app = meeting
    for m in members[:4]:
        meeting_votes.record_vote(ctx, item, m, VoteChoice.FOR)
    meeting_votes.clear_vote(ctx, item, members[3])
    after = app_item(ctx, mid)
    assert members[3] not in [v[0] for v in after.votes]
    assert after.tally.outcome is Outcome.INCOMPLETE
    assert [e.entity_type for e in events(ctx, "clear_vote")] == ["vote"]
    with pytest.raises(DomainError):
        meeting_votes.clear_vote(ctx, item, members[3])  # nothing to clear
    meeting_votes.record_vote(ctx, item, members[3], VoteChoice.AGAINST)
    assert app_item(ctx, mid).tally.votes_against == 1
    meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    with pytest.raises(DomainError) as e:
        meeting_votes.clear_vote(ctx, item, members[0])
    assert "al besloten" in str(e.value)


def test_an_observer_may_not_clear_a_vote(db):
    """Issue 13: only who may record votes may clear one."""
    sec, members, mid, item = all_present(db)
    meeting_votes.record_vote(sec, item, members[0], VoteChoice.FOR)
    with pytest.raises(PermissionDeniedError):
        meeting_votes.clear_vote(make_ctx(db, "Waarnemer", Role.OBSERVER), item, members[0])
    assert len(app_item(sec, mid).votes) == 1


def _recognition(ctx, app_id):
    with ctx.db.session() as s:
        return s.scalars(select(Recognition).where(Recognition.origin_application_id == app_id)).first()


def test_a_decisions_type_is_changed_with_a_reason_keeping_its_kenmerk(ctx, meeting):
    """Issue 13: toegekend → voorwaardelijk toegekend: same kenmerk, the recognition follows, the reason is
    audited; a type the vote does not allow, or no reason, is refused."""
    members, mid, item, app_id = meeting
    for m in members[:4]:
        meeting_votes.record_vote(ctx, item, m, VoteChoice.FOR)
    k = meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    decision = app_item(ctx, mid).decision
    with pytest.raises(ValidationError) as e:
        meeting_votes.change_decision(ctx, decision.id, DecisionType.CONDITIONAL, "Voorwaardelijk.", " ")
    assert "reason" in e.value.errors
    with pytest.raises(DomainError):
        meeting_votes.change_decision(ctx, decision.id, DecisionType.REJECTED, "Afgewezen.", "Verkeerd gekozen")
    with pytest.raises(DomainError):
        meeting_votes.change_decision(ctx, decision.id, DecisionType.DEFERRED, "Later.", "Verkeerd gekozen")
    assert app_item(ctx, mid).decision.decision_type is DecisionType.GRANTED

    assert meeting_votes.change_decision(ctx, decision.id, DecisionType.CONDITIONAL, "Nog geen keurmerk.",
                                         "Verkeerd type gekozen") == k
    now = app_item(ctx, mid).decision
    assert (now.kenmerk, now.decision_type, now.motivation) == (k, DecisionType.CONDITIONAL, "Nog geen keurmerk.")
    assert now.conditional_deadline == dt.date(2028, 11, 30)  # issue 14: the day before the anniversary
    assert _recognition(ctx, app_id).kind is RecognitionKind.CONDITIONAL
    [event] = [e for e in events(ctx, "change_decision") if e.entity_type == "decision" and "reason" in
               (e.new_values or {})]
    assert event.new_values == {"kenmerk": k, "decision_type": "conditional", "reason": "Verkeerd type gekozen"}
    assert event.old_values == {"kenmerk": k, "decision_type": "granted"}
    assert apps.get_application(ctx, app_id).status is Status.DECIDED

    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    with pytest.raises(DomainError) as e:
        meeting_votes.change_decision(ctx, decision.id, DecisionType.GRANTED, "Voldoet.", "Toch")
    assert "gesloten" in str(e.value)


def test_a_deferred_decision_becomes_a_decision_on_the_application(ctx, meeting):
    """Issue 13: 'aangehouden' chosen by mistake becomes 'toegekend': the application is decided, one kenmerk."""
    members, mid, item, app_id = meeting
    k = meeting_votes.record_decision(ctx, item, DecisionType.DEFERRED, "Later.", content=deferral())
    assert apps.get_application(ctx, app_id).status is Status.COMPLETE
    for m in members[:4]:
        with pytest.raises(DomainError):  # the vote is fixed once decided
            meeting_votes.record_vote(ctx, item, m, VoteChoice.FOR)
    decision = app_item(ctx, mid).decision
    with pytest.raises(DomainError):  # no vote: only 'aangehouden' fits
        meeting_votes.change_decision(ctx, decision.id, DecisionType.GRANTED, "Voldoet.", "Verkeerd")
    assert apps.get_application(ctx, app_id).status is Status.COMPLETE
    assert app_item(ctx, mid).decision.kenmerk == k


# ---------------------------------------------------------------- closing


def test_closing_lists_every_open_item_and_refuses(ctx):
    """Issue 13: missing attendance and items without a decision (with the votes missing) are named."""
    members = seat_members(ctx)
    a, b = complete_app(ctx, "11111111"), complete_app(ctx, "22222222")
    mid = open_meeting(ctx, [a, b])
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    first = app_item(ctx, mid, 0).id
    meeting_votes.record_vote(ctx, first, members[0], VoteChoice.FOR)
    listed = meeting_closing.open_items(meeting_detail.get_meeting(ctx, mid))
    assert listed == ("Aanwezigheid niet vastgelegd: Lid 5.",
                      "Punt 6 (Aanvraag Org 11111111): nog geen besluit; nog niet gestemd: Lid 2, Lid 3, Lid 4.",
                      "Punt 7 (Aanvraag Org 22222222): nog geen besluit.")
    with pytest.raises(DomainError) as e:
        meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    assert all(text in str(e.value) for text in listed)
    assert status(ctx, mid) is MeetingStatus.OPEN

    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.EXCUSED)
    for m in members[1:4]:
        meeting_votes.record_vote(ctx, first, m, VoteChoice.FOR)
    meeting_votes.record_decision(ctx, first, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    meeting_votes.record_decision(ctx, app_item(ctx, mid, 1).id, DecisionType.DEFERRED, "Later.", content=deferral())
    assert meeting_closing.open_items(meeting_detail.get_meeting(ctx, mid)) == ()
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    assert status(ctx, mid) is MeetingStatus.CLOSED
