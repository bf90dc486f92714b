"""The database itself refuses changes to what is final, whatever code runs (issue 9, item 3).

Each test goes around the app with a bulk Core ``update()``/``delete()``, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from commissie_app.db import migrate
from commissie_app.db.models import (
    AgendaItem,
    AuditEvent,
    Correction,
    DecisionLetter,
    DecisionRecord,
    Meeting,
    VoteRecord,
)
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.services import (
    letter_archive,
    letter_generation,
    letter_sending,
    meeting_attendance,
    meeting_corrections,
    meeting_detail,
    meeting_votes,
)
from tests.test_letters_service import closed_demo_meeting
from tests.test_meetings_service import app_item, complete_app, open_meeting, seat_members


@pytest.fixture
def closed(ctx):
    """A closed demo meeting with its letters generated and the first one sent, and one correction."""
    mid = closed_demo_meeting(ctx)
    infos = letter_generation.generate_letters(ctx, mid)
    letter_sending.mark_sent(ctx, infos[0].id, dt.date(2026, 11, 23), "post")
    item = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.decision)
    meeting_corrections.correct_decision_motivation(ctx, item.decision.id, item.decision.motivation + " (aangevuld)", "Typefout")
    return mid, infos


def _rows(ctx, table, where):
    with ctx.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).where(where))]


def _refused(ctx, statement, table, where) -> None:
    before = _rows(ctx, table, where)
    assert before, "the test must aim at existing rows"
    with pytest.raises(DBAPIError) as err:
        with ctx.db.engine.begin() as conn:
            conn.execute(statement)
    assert "commissie-app:" in str(err.value)
    assert _rows(ctx, table, where) == before


def _closed_items(mid):
    return select(AgendaItem.id).where(AgendaItem.meeting_id == mid)


def test_a_sent_letter_cannot_be_replaced_unsent_or_deleted(ctx, closed):
    """Issue 9, item 3: the bulk update of the report (new PDF and hash, un-sent) is refused by the database."""
    _mid, infos = closed
    sent = DecisionLetter.__table__.c.id == infos[0].id
    _refused(ctx, update(DecisionLetter.__table__).where(sent)
             .values(pdf=b"%PDF-forged", sha256="0" * 64, sent_on=None, sent_via=None), DecisionLetter.__table__, sent)
    _refused(ctx, delete(DecisionLetter.__table__).where(sent), DecisionLetter.__table__, sent)
    assert letter_archive.get_letter(ctx, infos[0].id).sent_via == "post"
    assert letter_archive.letter_pdf(ctx, infos[0].id).startswith(b"%PDF-1")
    # marking an unsent letter as sent is still an update the database allows
    letter_sending.mark_sent(ctx, infos[1].id, dt.date(2026, 11, 23), "email")
    assert letter_archive.get_letter(ctx, infos[1].id).sent_via == "email"


def test_votes_and_decisions_of_a_closed_meeting_are_fixed(ctx, closed):
    """Issue 9, item 3: no UPDATE or DELETE of votes and decisions of a closed meeting; nor re-opening it."""
    mid, _infos = closed
    votes = VoteRecord.__table__
    in_meeting = votes.c.agenda_item_id.in_(_closed_items(mid))
    _refused(ctx, update(votes).where(in_meeting).values(choice=VoteChoice.AGAINST.value), votes, in_meeting)
    _refused(ctx, delete(votes).where(in_meeting), votes, in_meeting)
    decisions = DecisionRecord.__table__
    decided = decisions.c.agenda_item_id.in_(_closed_items(mid))
    _refused(ctx, update(decisions).where(decided).values(decision_type="granted", motivation="Vervalst"),
             decisions, decided)
    _refused(ctx, delete(decisions).where(decided), decisions, decided)
    meeting = Meeting.__table__.c.id == mid
    _refused(ctx, update(Meeting.__table__).where(meeting).values(status=MeetingStatus.OPEN.value),
             Meeting.__table__, meeting)
    _refused(ctx, delete(Meeting.__table__).where(meeting), Meeting.__table__, meeting)


def test_audit_events_and_corrections_are_append_only(ctx, closed):
    """Issue 9, item 3: the audit log and the corrections cannot be rewritten or removed."""
    audit = AuditEvent.__table__
    everything = audit.c.id.is_not(None)
    _refused(ctx, update(audit).where(everything).values(actor="Niemand"), audit, everything)
    _refused(ctx, delete(audit).where(everything), audit, everything)
    corrections = Correction.__table__
    every_correction = corrections.c.id.is_not(None)
    _refused(ctx, update(corrections).where(every_correction).values(reason="Vervalst"), corrections,
             every_correction)
    _refused(ctx, delete(corrections).where(every_correction), corrections, every_correction)


def test_votes_of_an_open_meeting_still_change(ctx):
    """Issue 9, item 3: only what is final is fixed; a vote in an opened meeting can still be changed."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx)])
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    meeting_votes.record_vote(ctx, item.id, members[0], VoteChoice.FOR)
    meeting_votes.record_vote(ctx, item.id, members[0], VoteChoice.AGAINST)
    assert [c for _m, _n, c in app_item(ctx, mid).votes] == [VoteChoice.AGAINST]


def test_downgrade_drops_the_triggers_and_upgrade_brings_them_back(ctx, closed):
    """Issue 9, item 3: migration 0005 down removes the triggers (and the row versions), up restores them."""
    audit = AuditEvent.__table__
    migrate.downgrade(ctx.db.engine, "0004")
    with ctx.db.engine.begin() as conn:
        conn.execute(update(audit).values(actor="Beheerder"))
    migrate.upgrade(ctx.db.engine, backup=False)
    with ctx.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit).where(audit.c.actor != "Beheerder")).scalar() == 0
    everything = audit.c.id.is_not(None)
    _refused(ctx, update(audit).values(actor="Niemand"), audit, everything)
