"""Issue 14 (minutes, agenda and invitation): minutes adopted at the next meeting, a conflict of interest said
once, correction lines from the service context, the meeting's general minutes, the stored letterhead on every
document and the invitation's calendar sequence. SQLite and PostgreSQL (the ``ctx`` fixture)."""

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from commissie_app.db.models import AuditEvent, Meeting
from commissie_app.documents import page_style
from commissie_app.documents.letter_content import LetterSettings
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError, StaleEditError
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.meetings import PREVIOUS_MINUTES_ITEM, STANDARD_ITEMS_BEFORE, MeetingStatus
from commissie_app.domain.voting import VoteChoice
from commissie_app.services import meeting_agenda, meeting_closing, meeting_detail, meeting_planning, meeting_votes
from commissie_app.services import meeting_corrections
from commissie_app.services import meeting_documents as docs
from commissie_app.services.letter_settings import get_letter_settings, set_letter_settings
from tests.conftest import make_ctx
from tests.factories import seated_chair
from tests.meeting_days import on_meeting_day, step
from tests.test_meeting_docs import held_meeting, pdf_text, planned_meeting
from tests.test_meetings_service import complete_app, open_meeting, seat_members

AMS = ZoneInfo("Europe/Amsterdam")
NEXT_DAY = dt.datetime(2026, 12, 22, 14, 0)


def next_meeting(ctx, *, opened: bool = True):
    """The meeting after the held one (22 december 2026), opened on its own day."""
    mid = meeting_planning.plan_meeting(ctx, NEXT_DAY, place="Stadhuis Haarlem",
                                        chair_member_id=seated_chair(ctx, NEXT_DAY.date()))
    if opened:
        step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    return mid


def stored(ctx, meeting_id) -> Meeting:
    with ctx.db.session() as s:
        return s.get(Meeting, meeting_id)


# ---------------------------------------------------------------- 1. adoption at the next meeting


def test_minutes_say_concept_until_the_next_meeting_adopts_them_then_the_adoption_date(ctx):
    """Issue 14: the minutes of a closed meeting are a draft ("Concept", in the title and the footer, no
    "Aldus vastgesteld") until the next meeting adopts them under "Verslag vorige vergadering"; then they print
    "Vastgesteld in de vergadering van 22 december 2026" above the signatures."""
    held, _k = held_meeting(ctx)
    draft = pdf_text(docs.minutes_pdf(ctx, held))
    assert draft.startswith("Commissie Sociaal Inkopen Kennemer Inkoop Platform Concept-notulen Commissie Sociaal Inkopen")
    assert "Concept: deze notulen worden vastgesteld in de volgende vergadering" in draft
    assert "Concept-notulen vergadering 17 november 2026 pagina 1 van" in draft
    assert "Aldus vastgesteld" not in draft and "Vastgesteld in de vergadering" not in draft

    nxt = next_meeting(ctx)
    agenda = pdf_text(docs.agenda_pdf(ctx, nxt))
    assert "3. Verslag vorige vergadering Notulen van de vergadering van 17 november 2026, ter vaststelling" in agenda
    assert meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt) == dt.date(2026, 12, 22)

    adopted = pdf_text(docs.minutes_pdf(ctx, held))
    assert "Concept" not in adopted and "Aldus vastgesteld" not in adopted
    assert "Notulen vergadering Commissie Sociaal Inkopen" in adopted
    assert adopted.count("Vastgesteld in de vergadering van 22 december 2026") == 2  # at the top and to sign
    assert "Vastgesteld in de vergadering van 22 december 2026, Lid 4 Sanne Secretaris voorzitter secretaris" \
        in adopted
    assert "Notulen vergadering 17 november 2026 pagina 1 van" in adopted
    # the adopting meeting's own (draft) minutes record it under its item
    record = pdf_text(docs.minutes_pdf(ctx, nxt))
    item = record[record.index(f"3. {PREVIOUS_MINUTES_ITEM}"):record.index("4. Ontwikkelingen")]
    assert "Het verslag van de vergadering van 17 november 2026 is vastgesteld." in item
    # what the meeting view shows
    prev = meeting_detail.get_meeting(ctx, nxt).previous_minutes
    assert prev.meeting_id == held and prev.adopted_here and prev.adopted_on == dt.date(2026, 12, 22)
    assert meeting_detail.get_meeting(ctx, held).minutes_adopted_on == dt.date(2026, 12, 22)


def test_the_adoption_is_audited_with_the_person_who_recorded_it(ctx):
    """Issue 14: recording the adoption leaves an audit event on the adopted meeting, by name."""
    held, _k = held_meeting(ctx)
    nxt = next_meeting(ctx)
    meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt)
    with ctx.db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(held),
                                                    AuditEvent.action == "adopt_minutes")).all()
    assert len(events) == 1
    assert events[0].actor == "Sanne Secretaris"
    assert events[0].new_values["minutes_adopted_on"] == "2026-12-22"
    assert events[0].new_values["minutes_adopted_in_id"] == str(nxt)


def test_adoption_is_refused_where_it_does_not_belong_and_writes_nothing(ctx):
    """Issue 14: adoption only in an opened meeting, of a closed previous meeting, once, by the chair or
    the secretary; a refusal is a Dutch message and leaves the minutes a draft."""
    seat_members(ctx)
    first = open_meeting(ctx, [complete_app(ctx, "44444444")])  # 1 december 2026, the first meeting
    with pytest.raises(DomainError, match="eerste vergadering"):
        meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, first), first)

    nxt = next_meeting(ctx, opened=False)
    with pytest.raises(DomainError, match="Open eerst de vergadering"):
        meeting_closing.adopt_previous_minutes(ctx, nxt)
    step(ctx, nxt, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    with pytest.raises(DomainError, match="1 december 2026 is nog niet gesloten"):
        meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt)
    assert stored(ctx, first).minutes_adopted_on is None

    member = dataclasses.replace(make_ctx(ctx.db, "Mo Lid", Role.MEMBER), today=on_meeting_day(ctx, nxt).today)
    with ctx.db.session() as s:  # close the first meeting as it stands (its item needs no decision here)
        s.get(Meeting, first).status = MeetingStatus.CLOSED
        s.commit()
    with pytest.raises(PermissionDeniedError):
        meeting_closing.adopt_previous_minutes(member, nxt)
    assert stored(ctx, first).minutes_adopted_on is None

    meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt)
    with pytest.raises(DomainError, match="al vastgesteld in de vergadering van 22 december 2026"):
        meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt)


def test_adopted_minutes_change_only_through_a_correction(ctx):
    """Issue 14: after adoption the minutes text of an item changes only with a correction and its reason,
    which the adopted minutes list; the general text of a closed meeting is not edited in place."""
    held, _k = held_meeting(ctx)
    nxt = next_meeting(ctx)
    meeting_closing.adopt_previous_minutes(on_meeting_day(ctx, nxt), nxt)
    rondvraag = next(i for i in meeting_detail.get_meeting(ctx, held).items if i.title == "Rondvraag")
    with pytest.raises(DomainError, match="gesloten"):
        meeting_closing.set_item_minutes(ctx, rondvraag.id, "Iets anders.")
    with pytest.raises(DomainError, match="gesloten"):
        meeting_closing.set_meeting_minutes(ctx, held, "Iets anders.")
    meeting_closing.set_item_minutes(ctx, rondvraag.id, "Lid 2 vraagt naar de jaarplanning.",
                                     correction_reason="Vergeten te noteren")
    text = pdf_text(docs.minutes_pdf(ctx, held))
    assert "Vastgesteld in de vergadering van 22 december 2026" in text
    assert "Reden Vergeten te noteren" in text[text.index("Correcties na sluiting"):]


def test_the_adoption_item_is_a_standard_item():
    """Issue 14: the adoption is recorded under a standard item every meeting has."""
    assert PREVIOUS_MINUTES_ITEM in STANDARD_ITEMS_BEFORE


# ---------------------------------------------------------------- 2. a conflict of interest once


def test_a_conflict_of_interest_is_one_sentence_with_name_seat_and_reason(ctx):
    """Issue 14: the minutes report a conflict of interest once, in one sentence naming member, seat and reason."""
    held, _k = held_meeting(ctx)
    text = pdf_text(docs.minutes_pdf(ctx, held))
    sentence = ("Belangenverstrengeling: Lid 1 (Bedrijfsleven) neemt niet deel aan de bespreking en de stemming "
                "over dit punt. Reden: Is adviseur van de organisatie.")
    assert text.count(sentence) == 1
    assert text.count("Belangenverstrengeling") == 1
    assert text.count("Is adviseur van de organisatie") == 1
    assert "meldt" not in text


# ---------------------------------------------------------------- 3. correction lines


def test_a_correction_line_shows_the_context_time_and_the_persons_name(ctx):
    """Issue 14: "Vastgelegd <date> om <time> door <name>": the moment of the service context (not the wall
    clock) and the name of the person acting."""
    held, _k = held_meeting(ctx)
    moment = dt.datetime(2026, 11, 20, 9, 5, tzinfo=AMS)
    fatima = dataclasses.replace(make_ctx(ctx.db, "Fatima Secretaris", Role.SECRETARY), now=lambda: moment)
    rondvraag = next(i for i in meeting_detail.get_meeting(ctx, held).items if i.title == "Rondvraag")
    meeting_closing.set_item_minutes(fatima, rondvraag.id, "Geen vragen.", correction_reason="Aangevuld")
    text = pdf_text(docs.minutes_pdf(ctx, held))
    assert "Vastgelegd 20 november 2026 om 09.05 door Fatima Secretaris" in text


# ---------------------------------------------------------------- 4. the meeting's general minutes


def test_the_general_minutes_are_saved_with_a_stale_check_and_printed(ctx):
    """Issue 14: the meeting's general minutes text is saved (refused as a stale edit when another user saved
    another text meanwhile, naming them) and printed under "Algemeen" in the minutes."""
    seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx, "55555555")])
    meeting_closing.set_meeting_minutes(ctx, mid, "De voorzitter memoreert het jaarverslag.", expected_text="")
    other = make_ctx(ctx.db, "Vera Voorzitter", Role.CHAIR)
    with pytest.raises(StaleEditError) as err:
        meeting_closing.set_meeting_minutes(other, mid, "Iets anders.", expected_text="")
    assert "Sanne Secretaris" in str(err.value)
    assert meeting_detail.get_meeting(ctx, mid).minutes == "De voorzitter memoreert het jaarverslag."
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "Algemeen De voorzitter memoreert het jaarverslag." in text


# ---------------------------------------------------------------- 5. the stored letterhead, one routine


def test_agenda_and_minutes_use_the_letterhead_stored_in_the_database(ctx):
    """Issue 14: after saving another sender the agenda and the minutes carry it, not the defaults."""
    mid = planned_meeting(ctx)
    settings = dataclasses.replace(get_letter_settings(ctx), sender_name="Stichting Testafzender",
                                   organisation_lines=("Afdeling Inkoop Testdorp",))
    set_letter_settings(ctx, settings)
    for data in (docs.agenda_pdf(ctx, mid), docs.minutes_pdf(ctx, mid)):
        text = pdf_text(data)
        assert text.startswith("Stichting Testafzender Afdeling Inkoop Testdorp")
        assert "vergadering Stichting Testafzender" in text or "Concept-notulen Stichting Testafzender" in text
        assert "Kennemer Inkoop Platform" not in text and "Commissie Sociaal Inkopen" not in text
        assert PdfReader(io.BytesIO(data)).metadata.author == "Stichting Testafzender"
    event = icalendar.Calendar.from_ical(docs.agenda_ics(ctx, mid)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Vergadering Stichting Testafzender"


def test_every_document_draws_its_letterhead_and_logo_with_one_routine(ctx, monkeypatch):
    """Issue 14: letters, agenda, minutes and the assessment PDFs draw the letterhead (and its logo) through
    ``page_style.draw_letterhead``, with the sender stored in the database."""
    from commissie_app.documents.assessment_comparison_pdf import render_comparison_pdf
    from commissie_app.documents.assessment_pdf import render_assessment_pdf
    from commissie_app.domain.assessment_comparison import Comparison
    from commissie_app.services.letter_settings import sample_letter
    from tests.factories import LETTER_CONTACT
    from tests.test_form_advice import SHIPPED

    drawn: list[str] = []
    real = page_style.draw_letterhead
    monkeypatch.setattr(page_style, "draw_letterhead", lambda c, s: (drawn.append(s.sender_name), real(c, s)))
    import commissie_app.documents.letters as letters_module

    monkeypatch.setattr(letters_module, "draw_letterhead", page_style.draw_letterhead)
    set_letter_settings(ctx, dataclasses.replace(get_letter_settings(ctx), sender_name="Stichting Testafzender",
                                                    **LETTER_CONTACT))
    settings = get_letter_settings(ctx)
    mid = planned_meeting(ctx)
    docs.agenda_pdf(ctx, mid)
    docs.minutes_pdf(ctx, mid)
    sample_letter(ctx, settings)
    render_assessment_pdf(SHIPPED, {}, assessor="Lid 1", state="draft", advice_label=None,
                          advice_reason="", settings=settings)
    render_comparison_pdf(Comparison("Aanvraag Org", (), (), 0), settings)
    assert drawn == ["Stichting Testafzender"] * 5


def test_the_logo_is_drawn_on_agenda_and_minutes(ctx):
    """Issue 14: the stored logo appears on the agenda and the minutes as on the letters (an image on page 1)."""
    settings = get_letter_settings(ctx)
    if settings.logo_path is None:
        pytest.fail("the default letterhead has a logo")
    mid = planned_meeting(ctx)
    for data in (docs.agenda_pdf(ctx, mid), docs.minutes_pdf(ctx, mid)):
        page = PdfReader(io.BytesIO(data)).pages[0]
        xobjects = page["/Resources"].get("/XObject") or {}
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    none = dataclasses.replace(settings, logo_path=None)
    set_letter_settings(ctx, none)
    page = PdfReader(io.BytesIO(docs.agenda_pdf(ctx, mid))).pages[0]
    assert not page["/Resources"].get("/XObject")


# ---------------------------------------------------------------- 6. the invitation's sequence


def sequence(ctx, mid) -> int:
    return int(icalendar.Calendar.from_ical(docs.agenda_ics(ctx, mid)).walk("VEVENT")[0]["SEQUENCE"])


def move(ctx, mid, **changes):
    d = meeting_detail.get_meeting(ctx, mid)
    values = dict(starts_at=d.starts_at, place=d.place, video_link=d.video_link,
                  duration_minutes=d.duration_minutes, chair_member_id=d.chair_member_id,
                  secretary_user_id=d.secretary_user_id)
    values.update(changes)
    meeting_planning.update_meeting(ctx, mid, expected_version=d.version, **values)


def test_the_invitation_sequence_changes_only_with_date_time_or_place(ctx):
    """Issue 14: votes, minutes and agenda changes leave the .ics SEQUENCE as it is; moving the time raises it
    by one, as does another place; saving the same date and place does not."""
    seat_members(ctx)
    app = complete_app(ctx, "66666666")
    mid = planned_meeting(ctx)
    assert sequence(ctx, mid) == 0
    meeting_agenda.add_application_items(ctx, mid, [app])
    meeting_agenda.add_free_item(ctx, mid, "Nog een punt")
    move(ctx, mid)  # saved unchanged
    assert sequence(ctx, mid) == 0
    move(ctx, mid, starts_at=dt.datetime(2026, 12, 15, 15, 0, tzinfo=AMS))
    assert sequence(ctx, mid) == 1
    move(ctx, mid, place="Raadhuis Velsen")
    assert sequence(ctx, mid) == 2

    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    on = on_meeting_day(ctx, mid)
    from commissie_app.domain.voting import Attendance
    from commissie_app.services import meeting_attendance

    detail = meeting_detail.get_meeting(ctx, mid)
    for a in detail.attendees:
        meeting_attendance.set_attendance(on, mid, a.member_id, Attendance.PRESENT)
    item = next(i for i in detail.items if i.application_id == app)
    for _round in range(2):  # voting twice
        for a in detail.attendees:
            meeting_votes.record_vote(on, item.id, a.member_id, VoteChoice.FOR)
    meeting_closing.set_item_minutes(on, item.id, "Besproken.")
    assert meeting_detail.get_meeting(ctx, mid).version > 3  # the meeting's version moved on; the sequence not
    assert sequence(ctx, mid) == 2


def test_the_invitation_has_no_english_text(ctx):
    """Issue 14: what the .ics reader sees is Dutch; the library's English timezone COMMENT is left out."""
    data = docs.agenda_ics(ctx, planned_meeting(ctx)).decode()
    assert "COMMENT" not in data and "This timezone" not in data and "only works" not in data
    cal = icalendar.Calendar.from_ical(data)
    event = cal.walk("VEVENT")[0]
    for field in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert not {"the", "and", "only", "works", "from", "to"} & set(str(event[field]).lower().split())


def test_upgrade_keeps_the_sequence_an_invitation_already_had_and_the_closed_meeting_guard(db):
    """Issue 14 (migration minutes_adoption): an existing meeting's invitation sequence starts at what its .ics said until
    now (version - 1), so a calendar accepts the next one; its minutes are a draft; the database still refuses
    to re-open a closed meeting (the triggers of 0005 survive the re-created table on SQLite)."""
    import uuid

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from commissie_app.db import migrate

    migrate.downgrade(db.engine, "0013")
    meeting = uuid.uuid4()
    key = meeting.hex if db.dialect == "sqlite" else meeting
    at = dt.datetime(2026, 10, 6, 12, 0, tzinfo=dt.timezone.utc)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO meetings (id, version, created_at, updated_at, starts_at, duration_minutes, "
                          "place, video_link, status, chair_name, secretary_name, minutes, closed_by) VALUES "
                          "(:id, 38, :t, :t, :t, 120, 'x', '', 'closed', '', '', '', '')"), {"id": key, "t": at})
    migrate.upgrade(db.engine, backup=False)
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT calendar_sequence, minutes_adopted_on, minutes_adopted_in_id FROM meetings "
                                "WHERE id = :id"), {"id": key}).one()
    assert tuple(row) == (37, None, None)
    with pytest.raises(DBAPIError, match="commissie-app"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE meetings SET status = 'open' WHERE id = :id"), {"id": key})


def test_a_stale_meeting_edit_names_the_moved_time_in_dutch(ctx):
    """Issue 14: the invitation's sequence that moves with the time is named in Dutch when another user's
    change of the meeting is refused as stale, never by its column name."""
    seat_members(ctx)
    mid = planned_meeting(ctx)
    loaded = meeting_detail.get_meeting(ctx, mid)
    move(make_ctx(ctx.db, "Vera Voorzitter", Role.SECRETARY), mid, starts_at=dt.datetime(2026, 12, 15, 15, 0, tzinfo=AMS))
    with pytest.raises(StaleEditError) as err:
        meeting_planning.update_meeting(ctx, mid, expected_version=loaded.version, starts_at=loaded.starts_at,
                                        place="Elders", video_link=loaded.video_link,
                                        duration_minutes=loaded.duration_minutes,
                                        chair_member_id=loaded.chair_member_id,
                                        secretary_user_id=loaded.secretary_user_id)
    message = str(err.value)
    assert "Vera Voorzitter" in message and "Datum en tijd" in message
    assert "calendar_sequence" not in message and "Volgnummer van de uitnodiging" in message
