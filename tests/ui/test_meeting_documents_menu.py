"""The meeting's Documenten menu writes the agenda PDF, the .ics invitation and the minutes."""

from __future__ import annotations

import icalendar
import pypdf
import pytest
from PySide6.QtWidgets import QFileDialog

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.meeting_view import MeetingView


@pytest.fixture
def view(qtbot, sqlite_ctx):
    create_demo_data(sqlite_ctx)
    closed = next(m for m in meeting_planning.list_meetings(sqlite_ctx) if m.status is MeetingStatus.CLOSED)
    v = MeetingView(sqlite_ctx)
    qtbot.addWidget(v)
    v.load(closed.id)
    return v


def _save_to(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


def test_documents_menu_writes_agenda_ics_and_minutes(view, monkeypatch, tmp_path):
    button = view.documents_button
    _save_to(monkeypatch, tmp_path / "agenda.pdf")
    button.agenda_action.trigger()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "agenda.pdf").pages)
    assert "Agenda" in text and "Rondvraag" in text
    _save_to(monkeypatch, tmp_path / "v.ics")
    button.ics_action.trigger()
    cal = icalendar.Calendar.from_ical((tmp_path / "v.ics").read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 1
    _save_to(monkeypatch, tmp_path / "notulen.pdf")
    button.minutes_action.trigger()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "notulen.pdf").pages)
    assert "KIP-" in text
