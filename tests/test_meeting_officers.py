"""Issue 13: chair and secretary of a meeting are chosen from the members and users, not typed; a meeting
without a chair who holds a seat on its date does not get its agenda set or opened. Existing free-text names
are linked by migration 0013 and keep being printed."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from commissie_app.db import migrate
from commissie_app.services import meeting_documents as docs
from commissie_app.domain.codes import Role
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import (
    commission,
    letter_archive,
    letter_generation,
    meeting_closing,
    meeting_detail,
    meeting_officers,
    meeting_planning,
    users,
)
from commissie_app.services.demo import create_demo_data
from tests.conftest import make_ctx
from tests.meeting_days import step

DAY = dt.datetime(2026, 12, 15, 14, 0)


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def world(ctx):
    """Pieter on the business seat since 2026; Kees held the Velsen seat until the end of November 2026; a
    second secretary and an observer."""
    pieter = commission.add_member(ctx, "Pieter Proefmans")
    commission.appoint(ctx, pieter, Seat.BUSINESS, dt.date(2026, 1, 1))
    kees = commission.add_member(ctx, "Kees Koopmans")
    commission.appoint(ctx, kees, Seat.SROI_IJMOND, dt.date(2025, 1, 1), dt.date(2026, 11, 30))
    noor = users.add_user(ctx, "Noor Notulist", Role.SECRETARY)
    observer = users.add_user(ctx, "Wim Waarnemer", Role.OBSERVER)
    return dict(ctx=ctx, pieter=pieter, kees=kees, noor=noor, observer=observer)


def test_planning_may_leave_the_chair_empty_but_the_agenda_and_opening_need_a_seated_chair(world):
    """Issue 13: a meeting planned without a chair is refused 'Agenda vaststellen' with a Dutch message, and
    stays planned; once a member with a seat is chosen it goes on, the printed names follow the choice."""
    ctx = world["ctx"]
    mid = meeting_planning.plan_meeting(ctx, DAY, place="Stadhuis")
    detail = meeting_detail.get_meeting(ctx, mid)
    assert (detail.chair_member_id, detail.chair_name) == (None, "")
    assert (detail.secretary_user_id, detail.secretary_name) == (ctx.actor.user_id, ctx.actor.name)
    with pytest.raises(ValidationError) as err:
        meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    assert "geen voorzitter" in err.value.errors["chair"]
    assert meeting_detail.get_meeting(ctx, mid).status is MeetingStatus.PLANNED

    meeting_planning.update_meeting(ctx, mid, expected_version=detail.version, starts_at=DAY, place="Stadhuis",
                                    video_link="", duration_minutes=120, chair_member_id=world["pieter"],
                                    secretary_user_id=world["noor"])
    detail = meeting_detail.get_meeting(ctx, mid)
    assert (detail.chair_name, detail.chair_seat, detail.secretary_name) == (
        "Pieter Proefmans", Seat.BUSINESS, "Noor Notulist")
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)  # opened on its day (issue 13, lifecycle)
    assert meeting_detail.get_meeting(ctx, mid).status is MeetingStatus.OPEN


def test_a_chair_without_a_seat_on_the_date_is_refused(world):
    """Issue 13: Kees's term ended on 30 November: he cannot chair the meeting of 15 December (refused when
    planning), but he could chair one of 24 November; that meeting moved to December is refused too."""
    ctx = world["ctx"]
    with pytest.raises(ValidationError) as err:
        meeting_planning.plan_meeting(ctx, DAY, place="Stadhuis", chair_member_id=world["kees"])
    assert err.value.errors["chair"].startswith("De voorzitter moet op 15 december 2026 een zetel")
    assert meeting_planning.list_meetings(ctx) == []

    november = dt.datetime(2026, 11, 24, 14, 0)
    mid = meeting_planning.plan_meeting(ctx, november, place="Stadhuis", chair_member_id=world["kees"])
    version = meeting_detail.get_meeting(ctx, mid).version
    with pytest.raises(ValidationError, match="zetel"):
        meeting_planning.update_meeting(ctx, mid, expected_version=version, starts_at=DAY, place="Stadhuis",
                                        video_link="", duration_minutes=120, chair_member_id=world["kees"],
                                        secretary_user_id=None)
    assert meeting_detail.get_meeting(ctx, mid).local_start.date() == november.date()


def test_opening_is_refused_when_the_chairs_term_ended_after_planning(world):
    """Issue 13: the chair held a seat when the meeting was planned and its agenda set; the term was then ended
    before the meeting's date: opening is refused and the meeting stays as it was."""
    ctx = world["ctx"]
    mid = meeting_planning.plan_meeting(ctx, DAY, place="Stadhuis", chair_member_id=world["pieter"])
    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    term = next(tid for tid, t in commission.term_rows(ctx) if t.member_id == world["pieter"])
    commission.end_term(ctx, term, dt.date(2026, 12, 1))
    with pytest.raises(ValidationError) as err:
        meeting_closing.set_status(ctx, mid, MeetingStatus.OPEN)
    assert "15 december 2026 een zetel" in err.value.errors["chair"]
    assert meeting_detail.get_meeting(ctx, mid).status is MeetingStatus.AGENDA_SET


def test_a_set_agenda_keeps_its_chair_and_the_secretary_is_a_secretary(world):
    """Issue 13: once the agenda is set the chair cannot be taken away; an observer is no secretary."""
    ctx = world["ctx"]
    mid = meeting_planning.plan_meeting(ctx, DAY, place="Stadhuis", chair_member_id=world["pieter"])
    with pytest.raises(ValidationError) as err:
        meeting_planning.update_meeting(ctx, mid, expected_version=meeting_detail.get_meeting(ctx, mid).version,
                                        starts_at=DAY, place="Stadhuis", video_link="", duration_minutes=120,
                                        chair_member_id=world["pieter"], secretary_user_id=world["observer"])
    assert err.value.errors == {"secretary": "Kies als secretaris een gebruiker met de rol secretaris."}
    meeting_closing.set_status(ctx, mid, MeetingStatus.AGENDA_SET)
    with pytest.raises(ValidationError, match="geen voorzitter"):
        meeting_planning.update_meeting(ctx, mid, expected_version=meeting_detail.get_meeting(ctx, mid).version,
                                        starts_at=DAY, place="Stadhuis", video_link="", duration_minutes=120,
                                        chair_member_id=None, secretary_user_id=None)
    detail = meeting_detail.get_meeting(ctx, mid)
    assert (detail.chair_name, detail.secretary_name) == ("Pieter Proefmans", ctx.actor.name)


def test_choices_are_the_seat_holders_of_the_date_and_the_secretaries_and_the_commissions_chair(world):
    """Issue 13: the dialog's lists: who holds a seat on the date (Kees only until November), the active
    secretaries, and by default the member of the user with the chair role, else the latest meeting's chair
    while that member holds a seat."""
    ctx = world["ctx"]
    november = dt.datetime(2026, 11, 24, 14, 0)
    assert meeting_officers.officer_choices(ctx, november.date()).default_chair_id is None
    meeting_planning.plan_meeting(ctx, november, place="Stadhuis", chair_member_id=world["kees"])
    assert meeting_officers.officer_choices(ctx, november.date()).default_chair_id == world["kees"]  # the latest
    assert meeting_officers.officer_choices(ctx, DAY.date()).default_chair_id is None  # Kees has no seat then
    users.add_user(ctx, "Pieter als voorzitter", Role.CHAIR, member_id=world["pieter"])
    december = meeting_officers.officer_choices(ctx, DAY.date())
    assert [(c.name, c.seat) for c in december.chairs] == [("Pieter Proefmans", Seat.BUSINESS)]
    assert december.default_chair_id == world["pieter"]
    assert [s.name for s in december.secretaries] == ["Noor Notulist", ctx.actor.name]
    assert [c.name for c in meeting_officers.officer_choices(ctx, november.date()).chairs] == ["Pieter Proefmans", "Kees Koopmans"]


def test_agenda_minutes_and_letters_print_the_chosen_chair_with_seat_and_secretary(ctx):
    """Issue 13: the demo meetings are chaired by Pieter Proefmans (the demo's chair, on the Haarlem Impact
    seat) with the user who made the demo as secretary: the agenda names the seat, minutes and letters the
    names."""
    create_demo_data(ctx)
    closed = next(r.id for r in meeting_planning.list_meetings(ctx) if r.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(ctx, r.id).items))
    detail = meeting_detail.get_meeting(ctx, closed)
    assert (detail.chair_name, detail.chair_seat, detail.secretary_name) == (
        "Pieter Proefmans", Seat.HAARLEM_IMPACT, ctx.actor.name)
    agenda = pdf_text(docs.agenda_pdf(ctx, closed))
    assert "Voorzitter Pieter Proefmans (Haarlem Impact Ondernemen)" in agenda
    assert f"Secretaris {ctx.actor.name}" in agenda
    minutes = pdf_text(docs.minutes_pdf(ctx, closed))
    assert "Pieter Proefmans" in minutes.split("Vastgesteld in de vergadering van")[-1]  # issue 14: signed once adopted
    letter = letter_generation.generate_letters(ctx, closed)[0]
    letter_text = pdf_text(letter_archive.letter_pdf(ctx, letter.id))
    assert "Pieter Proefmans" in letter_text and ctx.actor.name in letter_text


def _insert_old_meeting(db, status: str, chair: str, secretary: str) -> uuid.UUID:
    mid = uuid.uuid4()
    at = dt.datetime(2026, 6, 2, 12, 0, tzinfo=dt.timezone.utc)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO meetings (id, version, created_at, updated_at, starts_at, duration_minutes, "
                          "place, video_link, status, chair_name, secretary_name, minutes, closed_by) VALUES "
                          "(:id, 1, :t, :t, :t, 120, 'x', '', :status, :chair, :secretary, '', '')"),
                     {"id": mid.hex if db.dialect == "sqlite" else mid, "t": at, "status": status, "chair": chair,
                      "secretary": secretary})
    return mid


def test_migration_0013_links_old_free_text_names_and_keeps_what_was_printed(db):
    """Issue 13: a database from before 0013 with typed names: a name of one member (ignoring case and
    spaces) becomes that member, a user's name that user; an unknown or ambiguous name stays text only. The
    closed meeting's letters print the same names after the upgrade, and the database still refuses to
    reopen a closed meeting (SQLite re-creates the table: its triggers are made again)."""
    ctx = make_ctx(db)
    create_demo_data(ctx)
    closed = next(r.id for r in meeting_planning.list_meetings(ctx) if r.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(ctx, r.id).items))
    before = pdf_text(letter_archive.letter_pdf(ctx, letter_generation.generate_letters(ctx, closed)[0].id))
    pieter = next(m.id for m in commission.list_members(ctx) if m.name == "Pieter Proefmans")
    twins = [commission.add_member(ctx, "Jan Jansen") for _ in range(2)]
    assert len(twins) == 2

    migrate.downgrade(db.engine, "0012")
    try:
        odd = _insert_old_meeting(db, "closed", "  pieter   PROEFMANS ", "Iemand Anders")
        twin = _insert_old_meeting(db, "planned", "Jan Jansen", "")
    finally:
        migrate.upgrade(db.engine, backup=False)

    detail = meeting_detail.get_meeting(ctx, closed)
    assert (detail.chair_member_id, detail.secretary_user_id) == (pieter, ctx.actor.user_id)
    assert (detail.chair_name, detail.secretary_name) == ("Pieter Proefmans", ctx.actor.name)
    odd_detail = meeting_detail.get_meeting(ctx, odd)
    assert (odd_detail.chair_member_id, odd_detail.chair_name) == (pieter, "  pieter   PROEFMANS ")
    assert (odd_detail.secretary_user_id, odd_detail.secretary_name) == (None, "Iemand Anders")
    assert meeting_detail.get_meeting(ctx, twin).chair_member_id is None
    after = pdf_text(letter_archive.letter_pdf(ctx, letter_generation.generate_letters(ctx, closed)[0].id))
    for name in ("Pieter Proefmans", ctx.actor.name):
        assert name in before and name in after
    for sql in ("UPDATE meetings SET status = 'open' WHERE status = 'closed'", "DELETE FROM votes"):
        with pytest.raises(DBAPIError, match="commissie-app"):
            with db.engine.begin() as conn:
                conn.execute(text(sql))
