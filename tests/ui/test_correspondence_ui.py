"""Issue 12: the letters that are not decisions in the app: the editor's acknowledgement and information request
buttons (preview, archive, mark sent) and the "Herinneringen…" dialog of the main window."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from commissie_app.db.models import Application
from commissie_app.domain.codes import Role, Status
from commissie_app.domain.correspondence import LetterKind
from commissie_app.services import correspondence
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.application_editor import ApplicationEditorDialog
from commissie_app.ui.letters_dialog import MarkSentDialog
from commissie_app.ui.main_window import MainWindow

from conftest import make_ctx

pytestmark = pytest.mark.usefixtures("answers", "message_boxes")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def app_with(ctx, status: Status) -> Application:
    with ctx.db.session() as s:
        app = s.scalars(select(Application).where(Application.status == status)).first()
        s.expunge_all()
        return app


def open_editor(qtbot, ctx, app_id) -> ApplicationEditorDialog:
    dlg = ApplicationEditorDialog(ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_editor_makes_the_information_request_shows_it_and_marks_it_sent(qtbot, demo, monkeypatch):
    """Issue 12: the editor's button makes the information request (archived), shows it in the preview, and
    the application's letters can be marked sent."""
    app = app_with(demo, Status.INFO_REQUESTED)
    dlg = open_editor(qtbot, demo, app.id)
    row = dlg.letters_row
    assert row.ack_button.isEnabled() and row.info_button.isEnabled()
    qtbot.mouseClick(row.info_button, Qt.MouseButton.LeftButton)
    preview = row.preview_dialog
    qtbot.waitUntil(preview.isVisible)
    [info] = correspondence.list_correspondence(demo, application_id=app.id)
    assert info.kind is LetterKind.INFO_REQUEST
    assert hashlib.sha256(preview.pdf).hexdigest() == info.sha256
    text = pdf_text(preview.pdf)
    assert " ".join(app.info_requested.split()) in text and "7 december 2026" in text
    preview.close()

    qtbot.mouseClick(row.letters_button, Qt.MouseButton.LeftButton)
    letters = row.dialog
    assert letters.table.rowCount() == 1 and letters.table.item(0, 0).text() == "informatieverzoek"
    assert letters.table.item(0, 5).text() == "nog niet"

    def fill_and_accept(self):
        qtbot.mouseClick(self.buttons.button(self.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(MarkSentDialog, "exec", fill_and_accept)
    qtbot.mouseClick(letters.sent_button, Qt.MouseButton.LeftButton)
    assert letters.table.item(0, 5).text() == "23 november 2026 per post"
    assert not letters.sent_button.isEnabled()
    assert correspondence.list_correspondence(demo, application_id=app.id)[0].sent_via == "post"


def test_editor_acknowledgement_for_a_received_application_and_no_request_without_a_question(qtbot, demo):
    """Issue 12: a received application: the acknowledgement can be made; the information request waits until
    the application says what is asked."""
    app = app_with(demo, Status.RECEIVED)
    dlg = open_editor(qtbot, demo, app.id)
    row = dlg.letters_row
    assert not row.info_button.isEnabled() and "informatie opgevraagd" in row.info_button.toolTip()
    qtbot.mouseClick(row.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(row.preview_dialog.isVisible)
    assert "Ontvangstbevestiging" in pdf_text(row.preview_dialog.pdf)
    assert [i.kind for i in correspondence.list_correspondence(demo, application_id=app.id)] == \
        [LetterKind.ACKNOWLEDGEMENT]


def test_reminders_dialog_lists_what_is_due_and_makes_the_selected(qtbot, demo):
    """Issue 12: "Herinneringen…" in the main window lists the same letters as ``reminders --dry-run`` and
    "Maken" makes and archives the selected ones."""
    w = MainWindow(demo)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.reminders_action.isEnabled()
    w.reminders_action.trigger()
    dlg = w.reminders_dialog
    qtbot.waitExposed(dlg)
    due = correspondence.due_reminders(demo)
    assert dlg.table.rowCount() == len(due) == 4
    shown = [(dlg.table.item(r, 0).text(), dlg.table.item(r, 1).text()) for r in range(4)]
    assert ("herinnering", "Wasserette Werkkans (demo)") in shown
    assert not dlg.make_button.isEnabled()
    r = shown.index(("herinnering", "Wasserette Werkkans (demo)"))
    rect = dlg.table.visualRect(dlg.table.model().index(r, 0))
    qtbot.mouseClick(dlg.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(dlg.make_button, Qt.MouseButton.LeftButton)
    [made] = correspondence.list_correspondence(demo)
    assert made.kind is LetterKind.REMINDER and made.organisation == "Wasserette Werkkans (demo)"
    assert dlg.table.rowCount() == 3 and "1 brief gemaakt en gearchiveerd. Bekijk hem" in dlg.banner.text()
    qtbot.mouseClick(dlg.letters_button, Qt.MouseButton.LeftButton)
    assert dlg.letters_dialog.table.rowCount() == 1
    assert dlg.letters_dialog.table.item(0, 2).text() == "22 januari 2027"


def test_reminders_menu_item_is_for_the_secretary(qtbot, demo):
    """Issue 12: an observer does not get the "Herinneringen…" menu item."""
    observer = make_ctx(demo.db, "Otto Waarnemer", Role.OBSERVER)
    w = MainWindow(observer)
    qtbot.addWidget(w)
    assert not w.reminders_action.isEnabled()
