"""Agenda PDF, minutes PDF and .ics invitation of a meeting built through the services."""

import dataclasses
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import icalendar
from pypdf import PdfReader

from commissie_app.domain.codes import Criterion
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import meeting_documents as docs
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from tests.factories import app_data, deferral, seated_chair
from tests.test_meetings_service import complete_app, open_meeting, seat_members
from tests.meeting_days import step

AMS = ZoneInfo("Europe/Amsterdam")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


def fonts_used(data: bytes) -> set[str]:
    seen = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
            seen.add(re.sub(r"^/[A-Z]{6}\+", "", font["/BaseFont"]))
    return seen


def planned_meeting(ctx):
    a = complete_app(ctx, "11111111")
    b = complete_app(ctx, "22222222")
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 15, 14, 0), place="Stadhuis Haarlem, Grote Markt 2",
                                        video_link="https://meet.example.nl/csi", duration_minutes=90,
                                        chair_member_id=seated_chair(ctx, dt.date(2026, 12, 15)))
    meeting_agenda.add_application_items(ctx, mid, [a, b])
    meeting_agenda.add_free_item(ctx, mid, "Jaarplanning 2027")
    return mid


def test_agenda_pdf_lists_every_item_in_order_with_the_meeting_data(ctx):
    mid = planned_meeting(ctx)
    detail = meeting_detail.get_meeting(ctx, mid)
    text = pdf_text(docs.agenda_pdf(ctx, mid))

    assert "Agenda vergadering Commissie Sociaal Inkopen" in text
    assert "dinsdag 15 december 2026" in text and "14.00 – 15.30 uur" in text
    assert "Stadhuis Haarlem, Grote Markt 2" in text and "https://meet.example.nl/csi" in text
    positions = [text.find(f"{n}. {item.title}") for n, item in enumerate(detail.items, start=1)]
    assert -1 not in positions, list(zip(positions, [i.title for i in detail.items]))
    assert positions == sorted(positions)
    assert [i.title for i in detail.items][5:8] == ["Aanvraag Org 11111111", "Aanvraag Org 22222222",
                                                   "Jaarplanning 2027"]
    # an application item names KvK, place and the criteria
    assert "KvK 11111111 · Haarlem" in text and "KvK 22222222" in text
    assert Criterion.PSO30.label in text
    assert "Concept" in text  # the agenda is not set yet


def test_agenda_pdf_embeds_its_fonts_and_follows_reordering(ctx):
    seat_members(ctx)  # issue 13: the agenda is set with a chair who holds a seat
    mid = planned_meeting(ctx)
    items = [i.id for i in meeting_detail.get_meeting(ctx, mid).items]
    items[5], items[6] = items[6], items[5]
    meeting_agenda.reorder_items(ctx, mid, items)
    step(ctx, mid, MeetingStatus.AGENDA_SET)
    data = docs.agenda_pdf(ctx, mid)
    text = pdf_text(data)
    assert text.find("6. Aanvraag Org 22222222") < text.find("7. Aanvraag Org 11111111")
    assert "Concept" not in text
    assert fonts_used(data) <= {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold", "BitstreamVeraSans-Oblique"}


def test_ics_invitation_parses_with_start_end_summary_location(ctx):
    mid = planned_meeting(ctx)
    data = docs.agenda_ics(ctx, mid)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "Commissie-app" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert len(events) == 1
    ev = events[0]
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert start == dt.datetime(2026, 12, 15, 14, 0, tzinfo=AMS)
    assert end - start == dt.timedelta(minutes=90)
    assert start.astimezone(dt.timezone.utc).hour == 13  # winter time: UTC+1
    assert ev["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(ev["UID"]) == f"{mid}@commissie-sociaal-inkopen.kennemerinkoopplatform.nl"
    assert str(ev["SUMMARY"]) == "Vergadering Commissie Sociaal Inkopen"
    assert str(ev["LOCATION"]) == "Stadhuis Haarlem, Grote Markt 2"
    assert str(ev["URL"]) == "https://meet.example.nl/csi"
    assert isinstance(ev.decoded("DTSTAMP"), dt.datetime)
    description = str(ev["DESCRIPTION"])
    assert "1. Opening" in description
    assert description.index("6. Aanvraag Org 11111111") < description.index("8. Jaarplanning 2027")


def test_ics_of_a_video_meeting_uses_the_link_as_location(ctx):
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 6, 2, 10, 30), video_link="https://meet.example.nl/x")
    ev = icalendar.Calendar.from_ical(docs.agenda_ics(ctx, mid)).walk("VEVENT")[0]
    assert ev.decoded("DTSTART") == dt.datetime(2026, 6, 2, 10, 30, tzinfo=AMS)
    assert ev.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)  # summer time
    assert str(ev["LOCATION"]) == "https://meet.example.nl/x"


def held_meeting(ctx, kvks=("11111111", "22222222")):
    """Closed meeting: a conflict, votes by name, a decision, a deferral, and a corrected vote."""
    members = seat_members(ctx)
    a, b = (complete_app(ctx, kvk) for kvk in kvks)
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 11, 17, 14, 0), place="Raadhuis Velsen",
                                        chair_member_id=members[3])
    meeting_agenda.add_application_items(ctx, mid, [a, b])
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.EXCUSED)
    items = [i for i in meeting_detail.get_meeting(ctx, mid).items if i.kind is ItemKind.APPLICATION]
    first, second = items[0].id, items[1].id
    meeting_attendance.declare_conflict(ctx, first, members[0], "Is adviseur van de organisatie")
    for m, c in zip(members[1:4], [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST]):
        meeting_votes.record_vote(ctx, first, m, c)
    meeting_closing.set_item_minutes(ctx, first, "Besproken: certificaat PSO 30+ is geldig.")
    kenmerk = meeting_votes.record_decision(ctx, first, DecisionType.CONDITIONAL, "Voldoet voorlopig aan de criteria.", criteria_met=[Criterion.PSO30],
                                            deadline=dt.date(2027, 11, 17))
    meeting_votes.record_decision(ctx, second, DecisionType.DEFERRED, "Stukken ontbreken nog.", content=deferral())
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    meeting_corrections.correct_vote(ctx, first, members[3], VoteChoice.ABSTAIN, reason="Stem verkeerd genoteerd")
    return mid, kenmerk


def test_minutes_pdf_has_attendance_votes_decision_and_corrections(ctx):
    mid, kenmerk = held_meeting(ctx)
    data = docs.minutes_pdf(ctx, mid)
    text = pdf_text(data)

    assert "Concept-notulen Commissie Sociaal Inkopen" in text  # until the next meeting adopts them
    assert "dinsdag 17 november 2026" in text
    # attendance per seat with the seat labels
    assert "Bedrijfsleven Lid 1 aanwezig" in text
    assert "Haarlem Werk en Inkomen Lid 5 afgemeld" in text
    # conflict with its reason, votes by name, tally
    assert ("Belangenverstrengeling: Lid 1 (Bedrijfsleven) neemt niet deel aan de bespreking en de stemming over "
            "dit punt. Reden: Is adviseur van de organisatie." in text)
    assert "Lid 2 SROI Velsen/Heemskerk/Beverwijk voor" in text
    assert "Lid 3 SROI Bloemendaal/Haarlem/Heemstede/Zandvoort voor" in text
    assert "Lid 4 Haarlem Impact Ondernemen onthouding (gecorrigeerd, zie correcties)" in text
    assert "Uitslag: 2 voor, 0 tegen, 1 onthouding" in text
    # the decision: kenmerk, type, motivation, deadline
    assert kenmerk == "KIP-2026-001"
    assert f"Kenmerk {kenmerk}" in text
    assert "Besluit voorwaardelijk toegekend" in text
    assert "Voldoet voorlopig aan de criteria." in text
    assert "voorwaardelijk tot en met 17 november 2027" in text
    assert "Besluit aangehouden" in text and "Er is niet gestemd." in text
    assert "Besproken: certificaat PSO 30+ is geldig." in text
    # the correction after closing, with the original
    corrections = text[text.index("Correcties na sluiting"):]
    assert "Stem van Lid 4 bij punt 6: Aanvraag Org 11111111" in corrections
    assert "Oorspronkelijk tegen" in corrections and "Gecorrigeerd onthouding" in corrections
    assert "Reden Stem verkeerd genoteerd" in corrections
    assert "Concept: de vergadering is nog niet gesloten" not in text
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert fonts_used(data) <= {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold", "BitstreamVeraSans-Oblique"}


def test_minutes_of_an_open_meeting_are_a_draft_without_corrections(ctx):
    seat_members(ctx)
    mid = planned_meeting(ctx)
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "Concept: de vergadering is nog niet gesloten" in text
    assert "Nog geen besluit vastgelegd." in text
    assert "Correcties na sluiting" not in text
    assert "Bedrijfsleven Lid 1 niet vastgelegd" in text  # attendance not recorded yet


def test_draft_minutes_of_a_meeting_not_held_report_no_outcome(ctx):
    """Issue 14 (taken along with issue 13): the draft minutes of a planned meeting, or one whose agenda is set,
    say no quorum was reached nor that an item had none: a meeting that has not taken place has no outcome."""
    seat_members(ctx)
    mid = planned_meeting(ctx)
    for status in (None, MeetingStatus.AGENDA_SET):
        if status is not None:
            step(ctx, mid, status)
        text = pdf_text(docs.minutes_pdf(ctx, mid))
        assert "De aanwezigheid wordt vastgelegd in de vergadering" in text
        for outcome in ("quorum is niet gehaald", "quorum is gehaald", "geen quorum", "Er is niet gestemd"):
            assert outcome not in text, outcome


def test_the_attendance_line_of_held_minutes_uses_digits_only(ctx):
    """Issue 14 (taken along with issue 13): "4 van de 5 zetels aanwezig", not digits and words mixed."""
    held, _kenmerk = held_meeting(ctx)
    text = pdf_text(docs.minutes_pdf(ctx, held))
    assert "4 van de 5 zetels aanwezig" in text and "vijf" not in text


def test_minutes_name_corrected_minutes_text_with_original(ctx):
    mid, _k = held_meeting(ctx)
    item = [i for i in meeting_detail.get_meeting(ctx, mid).items if i.title == "Rondvraag"][0]
    meeting_closing.set_item_minutes(ctx, item.id, "Lid 2 vraagt naar de jaarplanning.", correction_reason="Vergeten")
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    corrections = text[text.index("Correcties na sluiting"):]
    assert "Verslag bij punt 8: Rondvraag" in corrections
    assert "Oorspronkelijk —" in corrections and "Gecorrigeerd Lid 2 vraagt naar de jaarplanning." in corrections


def test_user_text_with_markup_characters_is_printed_as_typed(ctx):
    a = complete_app(ctx, "33333333")
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 15, 14, 0), place="Zaal <A> & B")
    meeting_agenda.add_application_items(ctx, mid, [a])
    text = pdf_text(docs.agenda_pdf(ctx, mid))
    assert "Zaal <A> & B" in text


def test_app_data_factory_criteria_reach_the_agenda(ctx):
    from commissie_app.domain.codes import Status
    from commissie_app.services import applications as apps
    from tests.factories import org_data

    app_id = apps.register_application(ctx, org_data(kvk="44444444", name="Org 44444444"),
                                       app_data(Criterion.BCORP, Criterion.STARTUP))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 15, 14, 0), place="Haarlem")
    meeting_agenda.add_application_items(ctx, mid, [app_id])
    text = pdf_text(docs.agenda_pdf(ctx, mid))
    assert "B Corporation" in text and "Start-up of zzp'er met maatschappelijke missie" in text


# ---------------------------------------------------------------- issue 14: wording of the minutes and agenda


def test_a_conflict_reason_is_a_sentence_of_its_own_with_a_capital(ctx):
    """Issue 14: the reason of a conflict of interest follows as its own sentence ("... over dit punt. Reden:
    Is adviseur ..."), not "; reden: Is ..." with a capital after a semicolon; a reason typed in lower case
    begins with a capital, the rest (names) as typed."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx, "66666666")])
    item = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.kind is ItemKind.APPLICATION)
    meeting_attendance.set_attendance(ctx, mid, members[0], Attendance.PRESENT)
    meeting_attendance.declare_conflict(ctx, item.id, members[0], "werkt bij Org 66666666 BV.")
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert ("neemt niet deel aan de bespreking en de stemming over dit punt. Reden: Werkt bij Org 66666666 BV."
            in text)
    assert "reden:" not in text and "BV.." not in text


def test_the_tally_names_the_decision_recorded(ctx):
    """Issue 14: the outcome word after the tally is the decision recorded ("— voorwaardelijk toegekend"), not
    what the count alone says ("meerderheid voor")."""
    mid, _k = held_meeting(ctx)
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "Uitslag: 2 voor, 0 tegen, 1 onthouding — voorwaardelijk toegekend." in text
    assert "meerderheid voor" not in text


def test_the_tally_of_a_withdrawal_says_the_recognition_is_withdrawn(ctx):
    """Issue 14: a reassessment voted against ends in a withdrawal; its tally reads "— erkenning ingetrokken",
    not "— afgewezen" next to the decision "ingetrokken"."""
    from tests.test_recognitions import _complete, _decide, _to_complete, on
    from tests.test_recognitions import seat_members as recognition_members

    from commissie_app.domain.recognition import Purpose
    from commissie_app.services import recognitions

    members = recognition_members(ctx)
    first = _complete(ctx, "10000019", Criterion.BCORP)
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14),
            criteria_met=[Criterion.BCORP])
    row = next(r for r in recognitions.list_register(ctx) if r.origin_application_id == first)
    again = recognitions.start_follow_up(on(ctx, dt.date(2027, 1, 5)), row.id, Purpose.REASSESSMENT)
    _to_complete(ctx, again)
    _decide(ctx, members, again, DecisionType.WITHDRAWN, day=dt.datetime(2027, 1, 19, 14), votes=VoteChoice.AGAINST)
    mid = next(m.id for m in meeting_planning.list_meetings(ctx) if m.local_start.date() == dt.date(2027, 1, 19))
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "Uitslag: 0 voor, 5 tegen, 0 onthoudingen — erkenning ingetrokken." in text
    assert "Besluit ingetrokken" in text
    assert "afgewezen" not in text


def test_the_minutes_say_date_and_time_once(ctx):
    """Issue 14: the minutes (and the agenda) give date and time once, under the title, not again in rows
    "Datum" and "Tijd" of the meeting table."""
    mid, _k = held_meeting(ctx)
    for text in (pdf_text(docs.minutes_pdf(ctx, mid)), pdf_text(docs.agenda_pdf(ctx, mid))):
        assert text.count("dinsdag 17 november 2026") == 1
        assert text.count("14.00 – 16.00 uur") == 1
        assert "Datum dinsdag" not in text and "Tijd 14.00" not in text
        assert "Plaats Raadhuis Velsen" in text


def test_draft_minutes_of_a_meeting_not_held_have_no_minutes_text(ctx):
    """Issue 14: the draft minutes of a meeting not yet held say once, at the top, that the minutes are written
    during the meeting, and print no "Geen bijzonderheden." nor "Nog geen besluit vastgelegd." under its items;
    once held, an item without minutes reads "Geen bijzonderheden."."""
    seat_members(ctx)
    mid = planned_meeting(ctx)
    text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "de notulen worden tijdens de vergadering opgesteld" in text
    assert "Geen bijzonderheden." not in text and "Nog geen besluit vastgelegd." not in text
    assert "6. Aanvraag Org 11111111" in text and "KvK 11111111" in text  # the items are still listed
    assert "nog niet gesloten" not in text
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    held_text = pdf_text(docs.minutes_pdf(ctx, mid))
    assert "1. Opening Geen bijzonderheden." in held_text
    assert "de notulen worden tijdens de vergadering opgesteld" not in held_text


def test_the_agenda_counts_the_applications_in_words(ctx):
    """Issue 14: "De stukken bij de 2 aanvragen liggen ter inzage", "bij de aanvraag" for one, no bracketed
    count; an agenda without applications mentions no papers ("bij de 0 aanvragen")."""
    two = pdf_text(docs.agenda_pdf(ctx, planned_meeting(ctx)))
    assert "De stukken bij de 2 aanvragen liggen ter inzage bij de secretaris." in two
    assert "aanvragen (" not in two
    one = meeting_planning.plan_meeting(ctx, dt.datetime(2027, 1, 12, 14, 0), place="Haarlem")
    meeting_agenda.add_application_items(ctx, one, [complete_app(ctx, "77777777")])
    assert "De stukken bij de aanvraag liggen ter inzage bij de secretaris." in pdf_text(docs.agenda_pdf(ctx, one))
    none = meeting_planning.plan_meeting(ctx, dt.datetime(2027, 2, 9, 14, 0), place="Haarlem")
    text = pdf_text(docs.agenda_pdf(ctx, none))
    assert "De stukken" not in text and "0 aanvragen" not in text
    assert "Meld belangenverstrengeling bij een agendapunt vóór de bespreking." in text


def test_the_invitation_stamp_is_the_context_moment_and_the_file_reproducible(ctx):
    """Issue 14: DTSTAMP of the .ics is the service context's moment, not the wall clock: the same moment gives
    the same file."""
    moment = dt.datetime(2026, 11, 30, 10, 15, 7, tzinfo=AMS)
    fixed = dataclasses.replace(ctx, now=lambda: moment)
    mid = planned_meeting(fixed)
    first = docs.agenda_ics(fixed, mid)
    ev = icalendar.Calendar.from_ical(first).walk("VEVENT")[0]
    assert ev.decoded("DTSTAMP") == moment.astimezone(dt.timezone.utc)
    assert b"DTSTAMP:20261130T091507Z" in first
    assert docs.agenda_ics(fixed, mid) == first
