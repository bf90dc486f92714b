"""Issue 14, the letters' frame through the widgets: the organisation form's form of address, a letter marked
sent on a later day than it was made (the note and the new version dated the sending day), and a letter refused
for want of a contact person offering to open the settings."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import correspondence, letter_archive, letter_generation, meeting_detail, meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.ui import tasks
from commissie_app.ui.correspondence_dialogs import CorrespondenceDialog
from commissie_app.ui.letters_dialog import LettersDialog, MarkSentDialog
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.organisation_form import OrganisationForm
from tests.conftest import TODAY
from tests.factories import letter_contact, org_data

LATER = TODAY + dt.timedelta(days=2)


@pytest.fixture
def demo(sqlite_ctx, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    create_demo_data(sqlite_ctx)
    closed = next(r.id for r in meeting_planning.list_meetings(sqlite_ctx) if r.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(sqlite_ctx, r.id).items))
    return sqlite_ctx, closed


def _accept_on(qtbot, monkeypatch, day: dt.date) -> None:
    """The mark-sent dialog is filled in through its controls with ``day`` and accepted."""
    def fill_and_accept(self):
        self.date_edit.setDate(day)
        qtbot.mouseClick(self.buttons.button(self.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(MarkSentDialog, "exec", fill_and_accept)


def test_the_organisation_form_edits_the_contact_form_of_address(qtbot):
    """Issue 14: "Aanhef" offers mevrouw, de heer and neutral; the choice is read back and shown again."""
    form = OrganisationForm(lambda: TODAY)
    qtbot.addWidget(form)
    form.set_data(org_data(contact_salutation=FormOfAddress.MR))
    combo = form.contact_salutation
    assert [combo.itemText(i) for i in range(combo.count())] == ["mevrouw", "de heer", "neutraal (voor- en achternaam)"]
    assert combo.currentText() == "de heer"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    data, errors = form.collect()
    assert errors == {} and data.contact_salutation is FormOfAddress.MRS
    form.set_data(None)
    assert form.collect()[0].contact_salutation is FormOfAddress.NEUTRAL


def test_marking_sent_on_a_later_day_offers_a_new_version_dated_that_day(qtbot, demo, monkeypatch, answers):
    """Issue 14: the dialog says "De brief is gedateerd … maar wordt verzonden op …"; choosing the new version
    archives version 2 dated the sending day and marks that one sent; version 1 stays unsent."""
    ctx, mid = demo
    letter_generation.generate_letters(ctx, mid)
    later_ctx = dataclasses.replace(ctx, today=lambda: LATER)
    dialog = LettersDialog(later_ctx, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    first = dialog.selected()
    queue, asked = answers
    queue.append(0)  # "Nieuwe versie met datum 25 november 2026"
    _accept_on(qtbot, monkeypatch, LATER)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert asked[0].startswith("De brief is gedateerd 23 november 2026 maar wordt verzonden op 25 november 2026.")
    new = dialog.selected()
    assert (new.kenmerk, new.letter_version, new.letter_date, new.sent_on) == (first.kenmerk, 2, LATER, LATER)
    assert not letter_archive.get_letter(ctx, first.id).is_sent


def test_keeping_the_date_or_cancelling(qtbot, demo, monkeypatch, answers, message_boxes):
    """Issue 14: "Verzenden met de huidige datum" marks the letter as it is; "Annuleren" marks nothing; a
    batch of several letters is asked once and all get new versions."""
    ctx, mid = demo
    letter_generation.generate_letters(ctx, mid)
    dialog = LettersDialog(dataclasses.replace(ctx, today=lambda: LATER), mid)
    qtbot.addWidget(dialog)
    dialog.show()
    queue, asked = answers
    _accept_on(qtbot, monkeypatch, LATER)
    dialog.table.selectRow(0)
    queue.append(2)  # cancel
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert not any(i.is_sent for i in letter_archive.list_letters(ctx, mid))
    queue.append(1)  # keep the date
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    kept = dialog.selected()
    assert (kept.letter_version, kept.letter_date, kept.sent_on) == (1, TODAY, LATER)
    dialog.reload(select={i.id for i in dialog.rows if not i.is_sent})  # the three still to send
    assert len(dialog.selected_letters()) == 3
    queue.append(0)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert message_boxes.shown == []
    assert asked[-1].startswith("Deze 3 brieven dragen een andere datum dan 25 november 2026")
    latest = letter_archive.latest_versions(letter_archive.list_letters(ctx, mid))
    assert all(i.is_sent and i.sent_on == LATER and i.letter_date == LATER for i in latest if i.id != kept.id)


def test_the_other_letters_dialog_offers_the_new_version_too(qtbot, demo, monkeypatch, answers):
    """Issue 14: the same question in the letters of an application (an acknowledgement)."""
    ctx, _mid = demo
    app_id = next(d.target_id for d in correspondence.due_reminders(ctx, TODAY) if d.kind is LetterKind.ACKNOWLEDGEMENT)
    info = correspondence.make_letter(ctx, LetterKind.ACKNOWLEDGEMENT, app_id)
    dialog = CorrespondenceDialog(dataclasses.replace(ctx, today=lambda: LATER), app_id)
    qtbot.addWidget(dialog)
    queue, asked = answers
    queue.append(0)
    _accept_on(qtbot, monkeypatch, LATER)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert "maar wordt verzonden op 25 november 2026" in asked[0]
    sent = dialog.selected()
    assert (sent.letter_version, sent.letter_date, sent.sent_on) == (2, LATER, LATER)
    assert not correspondence.list_correspondence(ctx, ids={info.id})[0].is_sent


def test_letters_without_a_contact_offer_to_open_the_settings(qtbot, demo, answers):
    """Issue 14: "Brieven maken" without a contact person says what is missing and, on "Instellingen openen",
    closes the letters dialog and shows the settings page with the contact fields."""
    ctx, mid = demo
    letter_contact(ctx, contact_name="", contact_phone="", contact_email="")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dialog = LettersDialog(ctx, mid, window)
    dialog.setModal(True)
    dialog.show()
    queue, asked = answers
    queue.append(0)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert "ontbreekt nog: de naam van de contactpersoon" in asked[0] and "Instellingen" in asked[0]
    assert not dialog.isVisible() and dialog.table.rowCount() == 0
    assert window.navigation.currentRow() == PAGES.index("settings")
    page = window.settings_page
    assert page is not None and page.contact_name.text() == ""
    assert letter_archive.list_letters(ctx, mid) == []
