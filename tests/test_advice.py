"""Issue 15: the advice register and the developments log, through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text, update

from commissie_app.db.models import AdviceMemo, AuditEvent
from commissie_app.domain.advice import ADVICE_ITEM, DEVELOPMENTS_ITEM, AdviceData, AdviceStatus, DevelopmentData
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError, NotFoundError, StaleEditError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.voting import Attendance
from commissie_app.services import advice, advice_memos, developments, meeting_detail, meeting_documents
from commissie_app.services import meeting_agenda, meeting_attendance, meeting_planning
from commissie_app.services.letter_archive import LetterTamperedError
from tests.conftest import make_ctx
from tests.factories import seated_chair
from tests.meeting_days import on_meeting_day, step
from tests.test_meetings_service import complete_app, seat_members

MEETING_DAY = dt.datetime(2026, 11, 10, 14, 0)  # before the tests' TODAY (23 November 2026)
ASKED = AdviceData(subject="Herbeoordeling na twee jaar", asked=True, text="Beoordeel erkenningen na twee jaar "
                   "opnieuw.\n\nDat houdt het register actueel.", asked_by="Jan de Vries", asked_on=dt.date(2026, 9, 1))
UNASKED = AdviceData(subject="Criteria uitleggen op KIP", asked=False, text="Leg de zes criteria uit in gewone taal.")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def _meeting(ctx, day=MEETING_DAY, status=MeetingStatus.OPEN):
    mid = meeting_planning.plan_meeting(ctx, day, place="Stadhuis Haarlem", chair_member_id=seated_chair(ctx, day))
    targets = {MeetingStatus.PLANNED: (), MeetingStatus.AGENDA_SET: (MeetingStatus.AGENDA_SET,),
               MeetingStatus.OPEN: (MeetingStatus.AGENDA_SET, MeetingStatus.OPEN),
               MeetingStatus.CLOSED: (MeetingStatus.AGENDA_SET, MeetingStatus.OPEN, MeetingStatus.CLOSED)}[status]
    step(ctx, mid, *targets)
    return mid


def _item(ctx, mid, title=ADVICE_ITEM):
    return next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.title == title)


def _events(ctx, entity_type, entity_id):
    with ctx.db.session() as s:
        return [(e.action, e.actor) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id)).order_by(AuditEvent.seq))]


def test_an_advice_goes_from_asked_to_adopted_sent_and_answered(ctx):
    """Issue 15: the register keeps subject, who asked and when, the text, the meeting and agenda item where it
    was adopted, when it was sent and the response with its date; the status follows from these; each step is
    audited under the user's name."""
    seat_members(ctx)
    aid = advice.add_advice(ctx, ASKED)
    a = advice.get_advice(ctx, aid)
    assert (a.subject, a.asked, a.asked_by, a.asked_on, a.status) == (
        "Herbeoordeling na twee jaar", True, "Jan de Vries", dt.date(2026, 9, 1), AdviceStatus.DRAFT)
    assert a.kind_text == "gevraagd door Jan de Vries op 1 september 2026"

    mid = _meeting(ctx)
    item = _item(ctx, mid)
    advice.adopt_advice(ctx, aid, item.id, expected_version=a.version)
    a = advice.get_advice(ctx, aid)
    assert (a.meeting_id, a.agenda_item_id, a.adopted_on, a.item_number, a.status) == (
        mid, item.id, dt.date(2026, 11, 10), item.position + 1, AdviceStatus.ADOPTED)
    assert a.adopted_text == f"vergadering van 10 november 2026, agendapunt {item.position + 1}"

    advice.mark_sent(ctx, aid, dt.date(2026, 11, 12), expected_version=a.version)
    a = advice.get_advice(ctx, aid)
    assert (a.sent_on, a.status) == (dt.date(2026, 11, 12), AdviceStatus.SENT)
    assert a.status.is_open
    advice.record_response(ctx, aid, "  Het Coördinatieteam neemt het advies over.  ", dt.date(2026, 11, 20),
                           expected_version=a.version)
    a = advice.get_advice(ctx, aid)
    assert (a.response, a.response_on, a.status) == ("Het Coördinatieteam neemt het advies over.",
                                                      dt.date(2026, 11, 20), AdviceStatus.ANSWERED)
    assert not a.status.is_open
    assert [x.id for x in advice.list_advice(ctx, open_only=True)] == []
    assert _events(ctx, "advice", aid) == [("create", "Sanne Secretaris"), ("adopt", "Sanne Secretaris"),
                                           ("send_advice", "Sanne Secretaris"), ("response", "Sanne Secretaris")]


def test_the_register_refuses_what_does_not_fit(ctx):
    """Issue 15: Dutch refusals, nothing written: no subject, asked without who/when, sending before adoption,
    adopting in a meeting that is not open or at an application's item, a response before sending, changing a
    sent advice."""
    seat_members(ctx)
    with pytest.raises(ValidationError) as err:
        advice.add_advice(ctx, AdviceData(subject=" ", asked=True))
    assert set(err.value.errors) == {"subject", "asked_by", "asked_on"}
    aid = advice.add_advice(ctx, UNASKED)
    a = advice.get_advice(ctx, aid)
    assert a.kind_text == "ongevraagd" and a.asked_on is None
    with pytest.raises(ValidationError, match="nog niet in een vergadering vastgesteld"):
        advice.mark_sent(ctx, aid, dt.date(2026, 11, 20), expected_version=a.version)
    with pytest.raises(ValidationError, match="nog niet verzonden"):
        advice.record_response(ctx, aid, "Dank", dt.date(2026, 11, 20), expected_version=a.version)
    planned = _meeting(ctx, status=MeetingStatus.PLANNED)
    with pytest.raises(DomainError, match="geopende vergadering"):
        advice.adopt_advice(ctx, aid, _item(ctx, planned).id, expected_version=a.version)
    assert advice.get_advice(ctx, aid).version == a.version  # nothing written

    mid = _meeting(ctx, dt.datetime(2026, 11, 17, 14, 0))
    [app_item] = meeting_agenda.add_application_items(ctx, mid, [complete_app(ctx)])
    with pytest.raises(DomainError, match="niet bij een aanvraag"):
        advice.adopt_advice(ctx, aid, app_item, expected_version=a.version)
    advice.adopt_advice(ctx, aid, _item(ctx, mid).id, expected_version=a.version)
    a = advice.get_advice(ctx, aid)
    with pytest.raises(DomainError, match="al vastgesteld in de vergadering van 17 november 2026"):
        advice.adopt_advice(ctx, aid, _item(ctx, mid).id, expected_version=a.version)
    with pytest.raises(ValidationError, match="vóór het is vastgesteld"):
        advice.mark_sent(ctx, aid, dt.date(2026, 11, 16), expected_version=a.version)
    advice.mark_sent(ctx, aid, dt.date(2026, 11, 18), expected_version=a.version)
    a = advice.get_advice(ctx, aid)
    with pytest.raises(DomainError, match="op 18 november 2026 verzonden en kan niet meer worden gewijzigd"):
        advice.update_advice(ctx, aid, UNASKED, expected_version=a.version)
    with pytest.raises(ValidationError, match="niet eerder zijn dan de verzending"):
        advice.record_response(ctx, aid, "Dank", dt.date(2026, 11, 17), expected_version=a.version)


def test_a_stale_edit_of_an_advice_or_a_development_is_refused_naming_who_changed_it(ctx):
    """Issue 15: stale-edit protection like the rest: the second window's edit is refused, naming the first."""
    aid = advice.add_advice(ctx, UNASKED)
    loaded = advice.get_advice(ctx, aid)
    other = make_ctx(ctx.db, "Vera Voorzitter", Role.CHAIR)
    advice.update_advice(other, aid, dataclasses.replace(UNASKED, text="Nieuwe tekst."), expected_version=loaded.version)
    with pytest.raises(StaleEditError) as err:
        advice.update_advice(ctx, aid, dataclasses.replace(UNASKED, subject="Anders"), expected_version=loaded.version)
    assert "Vera Voorzitter" in str(err.value) and "Advies" in str(err.value)
    assert advice.get_advice(ctx, aid).text == "Nieuwe tekst."

    did = developments.add_development(ctx, DevelopmentData(dt.date(2026, 11, 1), "Nieuwe SROI-regeling"))
    [d] = developments.list_developments(ctx)
    developments.update_development(other, did, dataclasses.replace(d.data, note="Zie raadsbrief."),
                                    expected_version=d.version)
    with pytest.raises(StaleEditError, match="Vera Voorzitter"):
        developments.delete_development(ctx, did, expected_version=d.version)
    assert developments.list_developments(ctx)[0].note == "Zie raadsbrief."


def test_members_and_observers_read_the_register_but_only_secretary_and_chair_record(ctx):
    """Issue 15: the secretary and the chair record advice and developments; a member and an observer read."""
    aid = advice.add_advice(ctx, UNASKED)
    chair = make_ctx(ctx.db, "Vera Voorzitter", Role.CHAIR)
    developments.add_development(chair, DevelopmentData(dt.date(2026, 11, 2), "Raad stelt nieuwe inkoopvisie vast"))
    for name, role in (("Lars Lid", Role.MEMBER), ("Wim Waarnemer", Role.OBSERVER)):
        reader = make_ctx(ctx.db, name, role)
        assert [a.subject for a in advice.list_advice(reader)] == ["Criteria uitleggen op KIP"]
        assert [d.topic for d in developments.list_developments(reader)] == ["Raad stelt nieuwe inkoopvisie vast"]
        with pytest.raises(PermissionDeniedError, match="mag u niet adviezen aan het Coördinatieteam"):
            advice.add_advice(reader, UNASKED)
        with pytest.raises(PermissionDeniedError):
            developments.add_development(reader, DevelopmentData(dt.date(2026, 11, 2), "x"))
        with pytest.raises(PermissionDeniedError):
            advice_memos.make_memo(reader, aid)
    assert len(advice.list_advice(ctx)) == 1 and len(developments.list_developments(ctx)) == 1


def test_developments_are_recorded_checked_listed_newest_first_and_deleted(ctx):
    """Issue 15: the log "Ontwikkelingen Impact Ondernemen": date, topic, source link, note, who recorded it;
    a bad link or a future date is refused; deleting is audited with what the entry said."""
    with pytest.raises(ValidationError) as err:
        developments.add_development(ctx, DevelopmentData(dt.date(2026, 12, 24), "", source_link="javascript:x"))
    assert set(err.value.errors) == {"happened_on", "topic", "source_link"}
    first = developments.add_development(ctx, DevelopmentData(dt.date(2026, 10, 1), "Social Enterprise NL-congres",
                                                              "https://www.social-enterprise.nl", "Twee leden gingen."))
    developments.add_development(ctx, DevelopmentData(dt.date(2026, 11, 3), "KIP telt 53 bedrijven"))
    rows = developments.list_developments(ctx)
    assert [(d.happened_on, d.topic, d.recorded_by) for d in rows] == [
        (dt.date(2026, 11, 3), "KIP telt 53 bedrijven", "Sanne Secretaris"),
        (dt.date(2026, 10, 1), "Social Enterprise NL-congres", "Sanne Secretaris")]
    assert rows[1].source_link == "https://www.social-enterprise.nl"
    assert [d.topic for d in developments.list_developments(ctx, since=dt.date(2026, 10, 1))] == [
        "KIP telt 53 bedrijven"]
    developments.delete_development(ctx, first, expected_version=rows[1].version)
    assert [d.topic for d in developments.list_developments(ctx)] == ["KIP telt 53 bedrijven"]
    assert _events(ctx, "development", first) == [("create", "Sanne Secretaris"), ("delete", "Sanne Secretaris")]
    with pytest.raises(NotFoundError):
        developments.delete_development(ctx, first, expected_version=rows[1].version)


def test_the_standard_items_list_the_open_advice_and_the_developments_since_the_previous_meeting(ctx):
    """Issue 15: "Advies aan het Coördinatieteam" lists the open advice (not the answered ones);
    "Ontwikkelingen Impact Ondernemen" the developments since the meeting before; the agenda PDF shows both."""
    seat_members(ctx)
    _meeting(ctx, dt.datetime(2026, 9, 15, 14, 0), status=MeetingStatus.PLANNED)  # the meeting before
    developments.add_development(ctx, DevelopmentData(dt.date(2026, 9, 1), "Oud nieuws (vóór de vorige vergadering)"))
    developments.add_development(ctx, DevelopmentData(dt.date(2026, 10, 20), "Haarlem verlengt het Actieprogramma"))
    open_id = advice.add_advice(ctx, UNASKED)
    answered = advice.add_advice(ctx, ASKED)
    before = _meeting(ctx, dt.datetime(2026, 10, 6, 14, 0))
    a = advice.get_advice(ctx, answered)
    advice.adopt_advice(ctx, answered, _item(ctx, before).id, expected_version=a.version)
    advice.mark_sent(ctx, answered, dt.date(2026, 10, 8), expected_version=a.version + 1)
    advice.record_response(ctx, answered, "Overgenomen.", dt.date(2026, 10, 9), expected_version=a.version + 2)

    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 8, 14, 0), place="Stadhuis")
    notes = advice.agenda_notes(ctx, mid)
    advice_note, dev_note = notes[_item(ctx, mid).id], notes[_item(ctx, mid, DEVELOPMENTS_ITEM).id]
    assert advice_note.heading == "Openstaande adviezen"
    assert advice_note.lines == ("Criteria uitleggen op KIP (ongevraagd; in voorbereiding)",)
    assert dev_note.heading == "Ontwikkelingen sinds 6 oktober 2026"
    assert dev_note.lines == ("20 oktober 2026: Haarlem verlengt het Actieprogramma",)
    assert len(notes) == 2  # only these two standard items

    words = pdf_text(meeting_documents.agenda_pdf(ctx, mid))
    assert "Openstaande adviezen: • Criteria uitleggen op KIP (ongevraagd; in voorbereiding)" in words
    assert "Ontwikkelingen sinds 6 oktober 2026: • 20 oktober 2026: Haarlem verlengt het Actieprogramma" in words
    assert "Herbeoordeling na twee jaar" not in words and "Oud nieuws" not in words
    assert open_id


def test_the_advice_memo_is_made_on_the_letterhead_archived_reused_and_checked(ctx):
    """Issue 15: the memo comes from forms/letters/adviesmemo.txt on the letters' letterhead; it is archived
    like a letter (version, SHA-256, template version, who and when), made again only when it changed, opened
    again with its hash checked, and the database refuses to change an archived memo."""
    seat_members(ctx)
    aid = advice.add_advice(ctx, ASKED)
    draft = advice_memos.make_memo(ctx, aid)
    words = pdf_text(advice_memos.memo_pdf(ctx, draft.id))
    assert "Adviesmemo" in words and "Coördinatieteam Impact Ondernemen t.a.v. Jan de Vries" in words
    assert ("Op 1 september 2026 heeft Jan de Vries de Commissie Sociaal Inkopen om advies gevraagd over "
            "‘Herbeoordeling na twee jaar’") in words
    assert "Concept: de commissie heeft dit advies nog niet vastgesteld." in words
    assert "Beoordeel erkenningen na twee jaar opnieuw. Dat houdt het register actueel." in words
    assert "voorzitter" not in words  # a draft: no meeting, no chair to sign
    assert (draft.memo_version, draft.generated_by, draft.reused) == (1, "Sanne Secretaris", False)
    assert draft.filename == "adviesmemo-Herbeoordeling-na-twee-jaar.pdf"
    assert advice_memos.make_memo(ctx, aid).reused  # nothing changed: no second copy

    mid = _meeting(ctx)
    item = _item(ctx, mid)
    advice.adopt_advice(ctx, aid, item.id, expected_version=advice.get_advice(ctx, aid).version)
    adopted = advice_memos.make_memo(ctx, aid)
    assert (adopted.memo_version, adopted.reused) == (2, False)
    words = pdf_text(advice_memos.memo_pdf(ctx, adopted.id))
    assert (f"De commissie heeft dit advies vastgesteld in haar vergadering van 10 november 2026 (agendapunt "
            f"{item.position + 1})") in words
    assert "Lid 1" in words and "voorzitter" in words  # signed by the chair of the meeting that adopted it
    assert [m.memo_version for m in advice_memos.list_memos(ctx, aid)] == [1, 2]
    assert advice.get_advice(ctx, aid).memos == 2
    assert _events(ctx, "advice_memo", adopted.id)[0] == ("generate", "Sanne Secretaris")

    with ctx.db.engine.begin() as conn, pytest.raises(Exception, match="adviesmemo kan niet worden gewijzigd"):
        conn.execute(update(AdviceMemo).where(AdviceMemo.id == draft.id).values(sha256="0" * 64))
    with ctx.db.engine.begin() as conn:  # past the trigger, as the owner could: the hash check finds it
        if ctx.db.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER trg_advice_memos_update"))
        else:
            conn.execute(text("ALTER TABLE advice_memos DISABLE TRIGGER trg_advice_memos_update"))
        conn.execute(update(AdviceMemo).where(AdviceMemo.id == draft.id).values(pdf=b"%PDF-1.4 anders"))
    with pytest.raises(LetterTamperedError, match="buiten de app gewijzigd"):
        advice_memos.memo_pdf(ctx, draft.id)
    assert ("integrity_failure", "Sanne Secretaris") in _events(ctx, "advice_memo", draft.id)


def test_the_year_summary_counts_advice_given_sent_answered_and_the_developments(ctx):
    """Issue 15 (annual report): advice adopted in the year, asked and unasked, sent and answered in the year,
    still open at its end, and the developments of that year."""
    seat_members(ctx)
    ids = [advice.add_advice(ctx, ASKED), advice.add_advice(ctx, UNASKED), advice.add_advice(ctx, UNASKED)]
    mid = _meeting(ctx)
    item = _item(ctx, mid)
    for aid in ids[:2]:
        advice.adopt_advice(ctx, aid, item.id, expected_version=1)
    advice.mark_sent(ctx, ids[0], dt.date(2026, 11, 11), expected_version=2)
    advice.record_response(ctx, ids[0], "Overgenomen.", dt.date(2026, 11, 20), expected_version=3)
    advice.mark_sent(ctx, ids[1], dt.date(2026, 11, 12), expected_version=2)
    developments.add_development(ctx, DevelopmentData(dt.date(2025, 12, 30), "Vorig jaar"))
    developments.add_development(ctx, DevelopmentData(dt.date(2026, 3, 2), "Nieuwe SROI-regeling"))
    developments.add_development(ctx, DevelopmentData(dt.date(2026, 6, 9), "KIP telt 53 bedrijven"))

    s = advice.year_summary(ctx, 2026)
    assert (s.given, s.asked, s.unasked, s.sent, s.answered, s.open_at_year_end) == (2, 1, 1, 2, 1, 2)
    assert s.developments == 2
    assert s.development_topics == ((dt.date(2026, 3, 2), "Nieuwe SROI-regeling"),
                                    (dt.date(2026, 6, 9), "KIP telt 53 bedrijven"))
    assert s.adopted == ((dt.date(2026, 11, 10), "Herbeoordeling na twee jaar", True, AdviceStatus.ANSWERED),
                         (dt.date(2026, 11, 10), "Criteria uitleggen op KIP", False, AdviceStatus.SENT))
    last = advice.year_summary(ctx, 2025)
    assert (last.given, last.sent, last.answered, last.developments) == (0, 0, 0, 1)


def test_a_closed_meeting_shows_the_advice_adopted_there(ctx):
    """Issue 15: once the meeting is closed its advice item lists what it adopted, not what is open today."""
    members = seat_members(ctx)
    adopted, other = advice.add_advice(ctx, UNASKED), advice.add_advice(ctx, ASKED)
    mid = _meeting(ctx)
    advice.adopt_advice(ctx, adopted, _item(ctx, mid).id, expected_version=1)
    for member in members:
        meeting_attendance.set_attendance(on_meeting_day(ctx, mid), mid, member, Attendance.PRESENT)
    step(ctx, mid, MeetingStatus.CLOSED)
    note = advice.agenda_notes(ctx, mid)[_item(ctx, mid).id]
    assert (note.heading, note.lines) == ("Vastgestelde adviezen", ("Vastgesteld: Criteria uitleggen op KIP (ongevraagd)",))
    assert note.adoptable == frozenset() and other not in note.ids


def test_the_demo_tells_the_advice_story(ctx):
    """Issue 15: the demo data holds an answered asked advice, a sent unasked one, one in preparation, and three
    developments; the planned meeting lists the two open advice and the development since the last meeting."""
    from commissie_app.services.demo import create_demo_data

    create_demo_data(ctx)
    rows = advice.list_advice(ctx)
    assert sorted((a.asked, a.status.value) for a in rows) == [
        (False, AdviceStatus.DRAFT.value), (False, AdviceStatus.SENT.value), (True, AdviceStatus.ANSWERED.value)]
    assert all(a.meeting_id and a.agenda_item_id for a in rows if a.status is not AdviceStatus.DRAFT)
    assert len(developments.list_developments(ctx)) == 3
    planned = next(r for r in meeting_planning.list_meetings(ctx) if r.status is MeetingStatus.PLANNED)
    notes = advice.agenda_notes(ctx, planned.id)
    assert len(notes[_item(ctx, planned.id).id].lines) == 2
    assert len(notes[_item(ctx, planned.id, DEVELOPMENTS_ITEM).id].lines) == 1
