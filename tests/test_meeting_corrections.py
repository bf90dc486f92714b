"""Corrections of a closed meeting are checked against the whole meeting; reading never fails (issue 9,
items 1 and 2). On SQLite and PostgreSQL."""

from __future__ import annotations


import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from commissie_app.cli import main
from commissie_app.db.models import AttendanceRecord, DecisionRecord, VoteRecord
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.meetings import DecisionNeeded, MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, Outcome, VoteChoice
from commissie_app.services import (
    letter_archive,
    letter_generation,
    letter_sending,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_documents,
    meeting_planning,
    meeting_votes,
)
from commissie_app.services.meeting_corrections import CorrectedDecision
from commissie_app.services.uow import UnitOfWork
from tests.factories import letter_contact
from tests.test_meetings_service import app_item, complete_app, open_meeting, seat_members


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def all_present(ctx):
    """An opened meeting with one application, chair and secretary, the five members present."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx)])
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting = meeting_detail.get_meeting(ctx, mid)
    meeting_planning.update_meeting(ctx, mid, expected_version=meeting.version, starts_at=meeting.starts_at,
                                    place=meeting.place, video_link="", duration_minutes=meeting.duration_minutes,
                                    chair_member_id=members[0], secretary_user_id=ctx.actor.user_id)
    return mid, app_item(ctx, mid).id, members


def hold_meeting(ctx):
    """A closed meeting: five members present, all voted 'voor', the application 'toegekend'."""
    mid, item_id, members = all_present(ctx)
    for m in members:
        meeting_votes.record_vote(ctx, item_id, m, VoteChoice.FOR)
    meeting_votes.record_decision(ctx, item_id, DecisionType.GRANTED, "Voldoet aan PSO 30+.", criteria_met=[Criterion.PSO30])
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    return mid, item_id, members


@pytest.fixture
def held(ctx):
    return hold_meeting(ctx)


def stored(ctx, model, **where):
    with UnitOfWork(ctx) as uow:
        return [tuple(getattr(r, c.key) for c in model.__table__.columns)
                for r in uow.session.scalars(select(model).filter_by(**where))]


def everything_readable(ctx, mid, tmp_path, capsys) -> tuple[str, str]:
    """The meeting view's data, the agenda, the minutes and the CLI all work; returns the minutes' text and
    what ``commissie-app meetings`` printed."""
    detail = meeting_detail.get_meeting(ctx, mid)
    assert meeting_documents.agenda_pdf(ctx, mid).startswith(b"%PDF")
    text = pdf_text(meeting_documents.minutes_pdf(ctx, mid))
    day = detail.local_start.date().isoformat()
    assert main(["minutes", day, "--pdf", str(tmp_path / "notulen.pdf"), "--db", ctx.db.url]) == 0
    assert main(["agenda", day, "--pdf", str(tmp_path / "agenda.pdf"), "--db", ctx.db.url]) == 0
    capsys.readouterr()
    assert main(["meetings", "--db", ctx.db.url]) == 0
    return text, capsys.readouterr().out


# ---------------------------------------------------------------- item 1


def test_marking_a_voter_absent_after_closing_is_refused_and_the_meeting_stays_readable(ctx, held, tmp_path,
                                                                                        capsys):
    """Issue 9, item 1: the correction that made a closed meeting unreadable is refused, naming what it breaks."""
    mid, item_id, members = held
    name = next(a.name for a in meeting_detail.get_meeting(ctx, mid).attendees if a.member_id == members[0])
    before = stored(ctx, AttendanceRecord, meeting_id=mid)
    with pytest.raises(DomainError) as err:
        meeting_attendance.set_attendance(ctx, mid, members[0], Attendance.ABSENT, correction_reason="Was er niet")
    message = str(err.value)
    assert "klopt de vergadering niet meer" in message
    assert f"Punt 6 (Aanvraag Org 01234567): {name} is afwezig en kan niet stemmen." in message
    assert stored(ctx, AttendanceRecord, meeting_id=mid) == before
    detail = meeting_detail.get_meeting(ctx, mid)
    assert detail.corrections == () and detail.problems == ()
    assert not any("Let op" in out for out in everything_readable(ctx, mid, tmp_path, capsys))


def test_an_attendance_correction_that_breaks_nothing_is_kept_as_a_correction(ctx, tmp_path, capsys):
    """Issue 9, item 1: a correction that leaves the meeting consistent is stored, the original row stays."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx)])
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.EXCUSED)
    item = app_item(ctx, mid)
    for m in members[:4]:
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.ABSENT, correction_reason="Niet afgemeld")
    detail = meeting_detail.get_meeting(ctx, mid)
    assert next(a.attendance for a in detail.attendees if a.member_id == members[4]) is Attendance.ABSENT
    assert [(c.entity_type, c.old_value, c.new_value) for c in detail.corrections] == [
        ("attendance", "excused", "absent")]
    with UnitOfWork(ctx) as uow:  # the stored row is not overwritten
        assert uow.session.scalars(select(AttendanceRecord.state).filter_by(
            meeting_id=mid, member_id=members[4])).all() == ["excused"]
    # marking a member present who did not vote would leave the vote incomplete: refused
    with pytest.raises(DomainError, match="niet meer compleet|nog niet gestemd"):
        meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.PRESENT, correction_reason="Toch aanwezig")
    assert "Aanwezigheid van Lid 5" in everything_readable(ctx, mid, tmp_path, capsys)[0]


def test_a_stored_record_that_breaks_a_rule_is_shown_with_a_warning(ctx, held, tmp_path, capsys):
    """Issue 9, item 1: a record written before the check (or by hand) is read, with a visible warning,
    and a correction can repair it."""
    mid, item_id, members = held
    with ctx.db.engine.begin() as conn:  # what the old correction did: the voter's row overwritten
        conn.execute(update(AttendanceRecord).where(AttendanceRecord.meeting_id == mid,
                                                    AttendanceRecord.member_id == members[0])
                     .values(state=Attendance.ABSENT.value))
    detail = meeting_detail.get_meeting(ctx, mid)
    item = next(i for i in detail.items if i.id == item_id)
    assert any("Lid 1 is afwezig en kan niet stemmen." in p for p in detail.problems)
    assert item.problems and item.tally.votes_for == 4  # the vote that may not be there is not counted
    assert [c for _m, _n, c in item.votes] == [VoteChoice.FOR] * 5  # but it is shown
    text, listed = everything_readable(ctx, mid, tmp_path, capsys)
    assert "Let op" in text and "Lid 1 is afwezig en kan niet stemmen." in text
    assert "Let op, vergadering van 2026-12-01: Punt 6 (Aanvraag Org 01234567): Lid 1 is afwezig" in listed
    # the repair: a correction back to present breaks nothing new, so it is accepted
    meeting_attendance.set_attendance(ctx, mid, members[0], Attendance.PRESENT, correction_reason="Was wel aanwezig")
    assert meeting_detail.get_meeting(ctx, mid).problems == ()


# ---------------------------------------------------------------- item 2


def test_a_vote_correction_that_changes_the_outcome_needs_the_corrected_decision(ctx, held):
    """Issue 9, item 2: correcting votes to 'tegen' until the tally says 'afgewezen' is refused unless the
    corrected decision comes in the same step; the original vote and decision rows are never overwritten."""
    mid, item_id, members = held
    original_votes = stored(ctx, VoteRecord, agenda_item_id=item_id)
    original_decision = stored(ctx, DecisionRecord, agenda_item_id=item_id)
    meeting_corrections.correct_vote(ctx, item_id, members[0], VoteChoice.AGAINST, "Verkeerd genoteerd")
    meeting_corrections.correct_vote(ctx, item_id, members[1], VoteChoice.AGAINST, "Verkeerd genoteerd")
    with pytest.raises(DecisionNeeded) as err:  # 2 voor, 3 tegen: the decision 'toegekend' no longer fits
        meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.AGAINST, "Verkeerd genoteerd")
    assert "van ‘meerderheid voor’ in ‘afgewezen’" in str(err.value)
    assert "gecorrigeerde besluit" in str(err.value) and err.value.allowed == {DecisionType.REJECTED}
    # a decision that does not fit the corrected vote is refused too
    with pytest.raises(DomainError, match="past niet bij de stemming"):
        meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.AGAINST, "Verkeerd genoteerd",
                                         decision=CorrectedDecision(DecisionType.CONDITIONAL, "Toch voorwaardelijk"))
    with pytest.raises(ValidationError):
        meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.AGAINST, "Verkeerd genoteerd",
                                         decision=CorrectedDecision(DecisionType.REJECTED, " "))
    assert len(meeting_detail.get_meeting(ctx, mid).corrections) == 2  # nothing half-written

    meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.AGAINST, "Verkeerd genoteerd",
                                     decision=CorrectedDecision(DecisionType.REJECTED, "De meerderheid stemde tegen."))
    item = app_item(ctx, mid)
    assert (item.tally.votes_for, item.tally.votes_against, item.tally.outcome) == (2, 3, Outcome.REJECTED)
    d = item.decision
    assert (d.decision_type, d.motivation, d.badge_valid_from, d.badge_valid_until) == (
        DecisionType.REJECTED, "De meerderheid stemde tegen.", None, None)
    assert d.kenmerk == "KIP-2026-001" and item.problems == ()
    assert stored(ctx, VoteRecord, agenda_item_id=item_id) == original_votes
    assert stored(ctx, DecisionRecord, agenda_item_id=item_id) == original_decision
    fields = [(c.entity_type, c.field, c.old_value, c.new_value) for c in meeting_detail.get_meeting(ctx, mid).corrections]
    assert ("decision", "decision_type", "granted", "rejected") in fields
    # further votes to 'tegen' keep the outcome: no decision needed
    meeting_corrections.correct_vote(ctx, item_id, members[3], VoteChoice.AGAINST, "Verkeerd genoteerd")


def test_the_corrected_decision_gets_a_letter_version_of_its_own(ctx, held):
    """Issue 9, item 2: the sent letter stays as it was; new letters state the corrected decision."""
    mid, item_id, members = held
    letter_contact(ctx)
    first = letter_generation.generate_letters(ctx, mid)[0]
    letter_sending.mark_sent(ctx, first.id, dt.date(2026, 11, 23), "post")
    sent_pdf = letter_archive.letter_pdf(ctx, first.id)
    assert "toegekend" in pdf_text(sent_pdf)
    for m in members[:2]:
        meeting_corrections.correct_vote(ctx, item_id, m, VoteChoice.AGAINST, "Verkeerd genoteerd")
    meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.AGAINST, "Verkeerd genoteerd",
                                     decision=CorrectedDecision(DecisionType.REJECTED, "De meerderheid stemde tegen."))
    second = letter_generation.generate_letters(ctx, mid)[0]
    assert (second.kenmerk, second.letter_version, second.decision_type) == ("KIP-2026-001", 2, DecisionType.REJECTED)
    text = pdf_text(letter_archive.letter_pdf(ctx, second.id))
    assert "afgewezen" in text and "De meerderheid stemde tegen." in text and "toegekend" not in text
    listed = {i.letter_version: i for i in letter_archive.list_letters(ctx, mid)}
    assert listed[1].decision_type is DecisionType.GRANTED and listed[1].sent_via == "post"
    assert letter_archive.letter_pdf(ctx, first.id) == sent_pdf


def test_a_decision_correction_alone_must_agree_with_the_vote(ctx, held):
    """Issue 9, item 2: a decision cannot be corrected into one the vote does not support."""
    mid, item_id, _members = held
    decision = app_item(ctx, mid).decision
    with pytest.raises(DomainError, match="past niet bij de stemming"):
        meeting_corrections.correct_decision(ctx, decision.id, CorrectedDecision(DecisionType.REJECTED, "Afgewezen"), "Fout")
    meeting_corrections.correct_decision(ctx, decision.id, CorrectedDecision(DecisionType.CONDITIONAL, "Startup"), "Fout")
    d = app_item(ctx, mid).decision
    assert d.decision_type is DecisionType.CONDITIONAL and d.conditional_deadline is not None
    assert d.badge_valid_until == d.conditional_deadline


def test_preview_says_when_the_decision_must_be_corrected(ctx, held):
    """Issue 9, item 2: the dialog learns before saving whether the outcome changes."""
    mid, item_id, members = held
    for m in members[:2]:
        meeting_corrections.correct_vote(ctx, item_id, m, VoteChoice.AGAINST, "Verkeerd genoteerd")
    calm = meeting_corrections.preview_vote_correction(ctx, item_id, members[0], VoteChoice.ABSTAIN)
    assert not calm.decision_needed and calm.after.outcome is Outcome.POSITIVE
    turning = meeting_corrections.preview_vote_correction(ctx, item_id, members[2], VoteChoice.AGAINST)
    assert turning.decision_needed and turning.allowed == {DecisionType.REJECTED}
    assert (turning.before.outcome, turning.after.outcome) == (Outcome.POSITIVE, Outcome.REJECTED)
    # a tie leaves only 'aangehouden', which a correction cannot give: the dialog offers nothing
    tie = meeting_corrections.preview_vote_correction(ctx, item_id, members[2], VoteChoice.ABSTAIN)
    assert tie.decision_needed and tie.allowed == frozenset()
    with pytest.raises(DecisionNeeded, match="kan hier niet met een correctie"):
        meeting_corrections.correct_vote(ctx, item_id, members[2], VoteChoice.ABSTAIN, "Verkeerd genoteerd")


def test_later_corrections_win_whatever_the_clock_of_the_machine_says(ctx, held):
    """Issue 9, item 1: corrections apply in the order they were made (their number in the meeting), not
    by the time a machine with a clock running behind wrote on them."""
    import dataclasses

    mid, item_id, members = held
    decision = app_item(ctx, mid).decision
    meeting_corrections.correct_decision_motivation(ctx, decision.id, "Eerste correctie.", "Typefout")
    behind = dataclasses.replace(ctx, now=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    meeting_corrections.correct_decision_motivation(behind, decision.id, "Tweede correctie.", "Nog een typefout")
    assert app_item(ctx, mid).decision.motivation == "Tweede correctie."
    assert [c.new_value for c in meeting_detail.get_meeting(ctx, mid).corrections] == [
        "Eerste correctie.", "Tweede correctie."]
