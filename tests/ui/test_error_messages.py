"""Issue 13: Dutch error messages: unexpected errors with the log file, stale edits naming who and when."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPushButton

from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.logging_setup import log_file
from commissie_app.services import applications as apps
from commissie_app.ui import error_dialog
from commissie_app.ui.application_editor import ApplicationEditorDialog
from commissie_app.ui.error_dialog import UnexpectedErrorDialog
from commissie_app.ui.errors import show_error
from commissie_app.ui.status_dialog import StatusDialog
from tests.conftest import make_ctx
from tests.factories import app_data, org_data

ENGLISH_CLASS = re.compile(r"\b\w+(Error|Exception)\b")


def _failure() -> RuntimeError:
    try:
        try:
            raise KeyError("agenda_item")
        except KeyError as cause:
            raise RuntimeError("cannot render the agenda") from cause
    except RuntimeError as err:
        return err


def test_unexpected_error_is_dutch_with_the_log_file(qtbot, message_boxes):
    """Issue 13: the unexpected-error message is Dutch, says nothing was half saved and names the log
    file; no English exception class or text in what the user reads first."""
    show_error(None, _failure())
    (kind, title, text), = message_boxes.shown
    assert kind == "critical" and title == "Onverwachte fout"
    assert "niets half opgeslagen" in text and str(log_file()) in text
    assert not ENGLISH_CLASS.search(text) and "cannot render" not in text


def test_unexpected_error_dialog_has_details_and_buttons(qtbot, monkeypatch):
    """Issue 13: the technical text only under "Details"; buttons open the log folder, copy the details, close."""
    dialog = UnexpectedErrorDialog(None, _failure())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"Logmap openen", "Details kopiëren", "Sluiten"} <= labels
    assert not dialog.details.text.isVisible()
    assert not ENGLISH_CLASS.search(dialog.main_text())

    qtbot.mouseClick(dialog.details.button, Qt.MouseButton.LeftButton)
    assert dialog.details.text.isVisible()
    details = dialog.details.text.toPlainText()
    assert "RuntimeError: cannot render the agenda" in details and "KeyError" in details

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert str(log_file()) in copied and "RuntimeError" in copied

    opened = []
    monkeypatch.setattr(error_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(dialog.open_log_button, Qt.MouseButton.LeftButton)
    assert opened == [str(log_file().parent)]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_stale_edit_banner_in_the_editor_names_who_and_when(qtbot, sqlite_ctx, sqlite_db, answers):
    """Issue 13: the editor's stale-edit banner says who changed the application, when, and which field."""
    app_id = apps.register_application(sqlite_ctx, org_data(), app_data(Criterion.NON_PROFIT))
    editor = ApplicationEditorDialog(sqlite_ctx, app_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    piet = make_ctx(sqlite_db, "Piet Pieters", Role.SECRETARY)
    loaded = apps.get_application(piet, app_id)
    apps.update_application(piet, app_id, expected_version=loaded.version,
                            expected_organisation_version=loaded.organisation_version,
                            org=org_data(name="Door Piet BV"), app=loaded.application)
    editor.org_form.contact_person.setText("Iemand Anders")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    text = editor.banner.text()
    assert "niet opgeslagen" in text
    assert re.search(r"Laatst gewijzigd door Piet Pieters op \d+ \w+ \d{4} om \d\d:\d\d \(Naam\)", text), text


def test_stale_status_change_names_who(qtbot, sqlite_ctx, sqlite_db):
    """Issue 13: the status dialog's stale-edit banner names who changed the application's status."""
    app_id = apps.register_application(sqlite_ctx, org_data(), app_data(Criterion.NON_PROFIT))
    old_version = apps.get_application(sqlite_ctx, app_id).version
    apps.change_status(make_ctx(sqlite_db, "Piet Pieters", Role.SECRETARY), app_id, Status.IN_PROGRESS)
    dialog = StatusDialog(sqlite_ctx, app_id, Status.RECEIVED, old_version)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.target.setCurrentIndex(next(i for i in range(dialog.target.count())
                                       if dialog.target.itemText(i) == "in behandeling"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Laatst gewijzigd door Piet Pieters" in dialog.banner.text() and "(Status" in dialog.banner.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
