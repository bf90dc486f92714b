"""Two machines recording votes at the same moment, on SQLite and PostgreSQL (issue 9, item 14)."""

from __future__ import annotations

import threading

import pytest

from commissie_app.domain import voting
from commissie_app.domain.errors import StaleEditError
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.services import meeting_attendance, meeting_detail, meeting_record, meeting_votes
from tests.test_meeting_corrections import all_present
from tests.test_meetings_service import app_item

ROUNDS = 20


@pytest.fixture
def meeting(ctx):
    return all_present(ctx)


@pytest.fixture
def together(monkeypatch):
    """Both calls read everything (the vote row included) before either writes: the race made certain."""
    barrier = threading.Barrier(2, timeout=20)
    racing = threading.Event()
    check = voting.check_vote

    def check_then_wait(*args, **kwargs):
        check(*args, **kwargs)
        if racing.is_set():
            barrier.wait()

    monkeypatch.setattr(voting, "check_vote", check_then_wait)

    def run(*calls) -> list[BaseException | None]:
        racing.set()
        results: list[BaseException | None] = [None] * len(calls)

        def work(n, fn):
            try:
                fn()
            except BaseException as err:  # noqa: BLE001 - reported to the test
                results[n] = err
                barrier.abort()

        threads = [threading.Thread(target=work, args=(n, fn)) for n, fn in enumerate(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        racing.clear()
        barrier.reset()
        return results

    return run


def test_two_members_voting_at_the_same_moment_both_count(ctx, meeting, together):
    """Issue 9, item 14: votes on different rows never conflict (no "door iemand anders gewijzigd")."""
    mid, item_id, members = meeting
    choices = [VoteChoice.FOR, VoteChoice.AGAINST]
    for n in range(ROUNDS):
        a, b = choices[n % 2], choices[(n + 1) % 2]
        errors = together(lambda: meeting_votes.record_vote(ctx, item_id, members[0], a),
                          lambda: meeting_votes.record_vote(ctx, item_id, members[1], b))
        assert errors == [None, None], f"round {n}: {errors}"
        votes = {m: c for m, _name, c in app_item(ctx, mid).votes}
        assert (votes[members[0]], votes[members[1]]) == (a, b)


def test_attendance_of_two_members_at_the_same_moment(ctx, meeting, together, monkeypatch):
    """Issue 9, item 14: attendance rows of different members do not collide either."""
    mid, _item_id, members = meeting
    read_attendees = meeting_record.attendees_of
    barrier = threading.Barrier(2, timeout=2)

    def read_then_wait(*args, **kwargs):
        out = read_attendees(*args, **kwargs)
        try:  # SQLite: both have read before either writes. PostgreSQL: the second waits for the
            barrier.wait()  # first's lock on the meeting, so the first goes on after the timeout
        except threading.BrokenBarrierError:
            pass
        return out

    monkeypatch.setattr(meeting_attendance, "attendees_of", read_then_wait)
    errors = together(lambda: meeting_attendance.set_attendance(ctx, mid, members[3], Attendance.EXCUSED),
                      lambda: meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.ABSENT))
    monkeypatch.setattr(meeting_attendance, "attendees_of", read_attendees)
    assert errors == [None, None]
    states = {a.member_id: a.attendance for a in meeting_detail.get_meeting(ctx, mid).attendees}
    assert (states[members[3]], states[members[4]]) == (Attendance.EXCUSED, Attendance.ABSENT)


@pytest.mark.parametrize("first_vote", [False, True], ids=["new-vote", "changed-vote"])
def test_the_same_vote_recorded_twice_at_once_is_a_stale_edit(ctx, meeting, together, first_vote):
    """Issue 9, item 14: the same row edited at the same moment still gives the Dutch stale message."""
    mid, item_id, members = meeting
    if first_vote:
        meeting_votes.record_vote(ctx, item_id, members[2], VoteChoice.ABSTAIN)
    errors = together(lambda: meeting_votes.record_vote(ctx, item_id, members[2], VoteChoice.FOR),
                      lambda: meeting_votes.record_vote(ctx, item_id, members[2], VoteChoice.AGAINST))
    stale = [e for e in errors if e is not None]
    assert len(stale) == 1 and isinstance(stale[0], StaleEditError), errors
    assert "door iemand anders" in str(stale[0])
    winner = VoteChoice.FOR if errors[0] is None else VoteChoice.AGAINST
    assert [(m, c) for m, _n, c in app_item(ctx, mid).votes] == [(members[2], winner)]


def test_attendance_waits_for_a_vote_in_progress_and_then_sees_it(pg_url, monkeypatch):
    """Issue 9, item 14 (PostgreSQL, where the meeting row is locked: shared by votes, exclusive by attendance):
    marking a member absent while their vote is being written waits for it and is then refused in Dutch,
    instead of leaving an absent member with a vote. SQLite has no row locks; see docs/architecture.md."""
    from tests.conftest import _pg_db, make_ctx

    db = _pg_db(pg_url)
    ctx = make_ctx(db)
    try:
        mid, item_id, members = all_present(ctx)
        inside, release = threading.Event(), threading.Event()
        check = voting.check_vote

        def check_and_hold(*args, **kwargs):
            check(*args, **kwargs)
            inside.set()
            assert release.wait(20)

        monkeypatch.setattr(voting, "check_vote", check_and_hold)
        errors: dict[str, BaseException] = {}

        def run(name, fn):
            try:
                fn()
            except BaseException as err:  # noqa: BLE001 - reported to the test
                errors[name] = err

        vote = threading.Thread(target=run, args=("vote", lambda: meeting_votes.record_vote(
            ctx, item_id, members[0], VoteChoice.FOR)))
        vote.start()
        assert inside.wait(20)
        absent = threading.Thread(target=run, args=("absent", lambda: meeting_attendance.set_attendance(
            ctx, mid, members[0], Attendance.ABSENT)))
        absent.start()
        absent.join(0.5)
        assert absent.is_alive()  # waits for the vote's transaction
        release.set()
        vote.join(20)
        absent.join(20)
        assert "vote" not in errors
        assert "heeft al gestemd" in str(errors["absent"])
        detail = meeting_detail.get_meeting(ctx, mid)
        assert next(a.attendance for a in detail.attendees if a.member_id == members[0]) is Attendance.PRESENT
        assert detail.problems == ()
    finally:
        db.dispose()
