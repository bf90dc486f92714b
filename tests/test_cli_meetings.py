"""The meeting commands, run in-process through ``cli.main``."""

import datetime as dt
import io
import json

import icalendar
from pypdf import PdfReader

from commissie_app.cli import main
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import meeting_closing
from tests.test_meeting_docs import held_meeting, planned_meeting
from tests.test_meetings_service import seat_members
from tests.meeting_days import step


def pdf_text(path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_meetings_lists_id_date_status_and_items(ctx, capsys):
    planned = planned_meeting(ctx)
    closed, _k = held_meeting(ctx, kvks=("55555555", "66666666"))
    assert main(["meetings", "--db", ctx.db.url]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Datum", "Tijd", "Status", "Punten", "Aanvragen", "Id"]
    assert lines[1].split() == ["2026-11-17", "14:00", "gesloten", "9", "2", str(closed)]
    assert lines[2].split() == ["2026-12-15", "14:00", "gepland", "10", "2", str(planned)]


def test_meetings_json(ctx, capsys):
    seat_members(ctx)  # issue 13: the agenda is set with a chair who holds a seat
    planned = planned_meeting(ctx)
    step(ctx, planned, MeetingStatus.AGENDA_SET)
    assert main(["meetings", "--json", "--db", ctx.db.url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == [{"id": str(planned), "date": "2026-12-15", "time": "14:00", "status": "agenda_set", "items": 10}]


def test_meetings_json_of_an_empty_database_is_an_empty_list(ctx, capsys):
    assert main(["meetings", "--json", "--db", ctx.db.url]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_agenda_by_date_writes_pdf_and_ics(ctx, capsys, tmp_path):
    mid = planned_meeting(ctx)
    pdf, ics = tmp_path / "agenda.pdf", tmp_path / "uitnodiging.ics"
    assert main(["agenda", "2026-12-15", "--pdf", str(pdf), "--ics", str(ics), "--db", ctx.db.url]) == 0
    out = capsys.readouterr().out
    assert str(pdf) in out and str(ics) in out
    text = pdf_text(pdf)
    assert text.index("1. Opening") < text.index("6. Aanvraag Org 11111111") < text.index("10. Sluiting")
    ev = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert str(ev["UID"]).startswith(str(mid) + "@")
    assert ev.decoded("DTSTART").astimezone(dt.timezone.utc) == dt.datetime(2026, 12, 15, 13, 0, tzinfo=dt.timezone.utc)


def test_agenda_by_id_with_only_ics(ctx, capsys, tmp_path):
    mid = planned_meeting(ctx)
    ics = tmp_path / "x.ics"
    assert main(["agenda", str(mid), "--ics", str(ics), "--db", ctx.db.url]) == 0
    assert ics.exists() and not (tmp_path / "agenda.pdf").exists()
    assert str(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]["LOCATION"]).startswith("Stadhuis")


def test_agenda_of_an_unknown_meeting_exits_1_with_a_dutch_message(ctx, capsys, tmp_path):
    planned_meeting(ctx)
    pdf = tmp_path / "agenda.pdf"
    assert main(["agenda", "2026-12-16", "--pdf", str(pdf), "--db", ctx.db.url]) == 1
    assert "Er is geen vergadering op 2026-12-16." in capsys.readouterr().err
    assert not pdf.exists()
    assert main(["agenda", "volgende week", "--pdf", str(pdf), "--db", ctx.db.url]) == 1
    assert "geen id of datum (jjjj-mm-dd)" in capsys.readouterr().err


def test_agenda_needs_pdf_or_ics(ctx, capsys):
    planned_meeting(ctx)
    assert main(["agenda", "2026-12-15", "--db", ctx.db.url]) == 2
    assert "--pdf" in capsys.readouterr().err


def test_minutes_writes_the_pdf(ctx, capsys, tmp_path):
    mid, kenmerk = held_meeting(ctx)
    pdf = tmp_path / "notulen.pdf"
    assert main(["minutes", "2026-11-17", "--pdf", str(pdf), "--db", ctx.db.url]) == 0
    assert str(pdf) in capsys.readouterr().out
    text = pdf_text(pdf)
    assert kenmerk in text and "Correcties na sluiting" in text and "Lid 2 SROI Velsen/Heemskerk/Beverwijk voor" in text


def test_minutes_of_an_unknown_meeting_exits_1(ctx, capsys, tmp_path):
    assert main(["minutes", "2030-01-01", "--pdf", str(tmp_path / "n.pdf"), "--db", ctx.db.url]) == 1
    assert "Er is geen vergadering op 2030-01-01." in capsys.readouterr().err


def test_unwritable_target_is_a_dutch_error(ctx, capsys, tmp_path):
    planned_meeting(ctx)
    target = tmp_path / "bestaat-niet" / "agenda.pdf"
    assert main(["agenda", "2026-12-15", "--pdf", str(target), "--db", ctx.db.url]) == 1
    assert "Kan " in capsys.readouterr().err
