"""The status dialog: only allowed transitions, the extra fields of 'informatie opgevraagd', confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from commissie_app.domain import workflow
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import StaleEditError
from commissie_app.services import applications as apps
from commissie_app.ui.application_editor import TAB_STATUS, ApplicationEditorDialog
from commissie_app.ui.status_dialog import StatusDialog
from tests.factories import app_data, org_data


pytestmark = pytest.mark.usefixtures("answers")  # the question box, from tests/ui/conftest.py


@pytest.fixture(autouse=True)
def no_error_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda p, t, text, *a, **k: pytest.fail(f"unexpected error box: {text}")))


@pytest.fixture
def app_id(sqlite_ctx):
    return apps.register_application(sqlite_ctx, org_data(), app_data(Criterion.NON_PROFIT))


def in_progress(ctx, app_id):
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    return apps.get_application(ctx, app_id)


@pytest.fixture
def open_dialog(qtbot, sqlite_ctx):
    def make(app_id, current: Status, version: int | None = None) -> StatusDialog:
        dlg = StatusDialog(sqlite_ctx, app_id, current, version)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        dlg.activateWindow()
        qtbot.waitUntil(dlg.isActiveWindow, timeout=2000)
        return dlg

    return make


def choose(qtbot, dlg: StatusDialog, label: str) -> None:
    """Pick a target with the keyboard (type-ahead in the combo box)."""
    dlg.target.setFocus()
    qtbot.keyClick(dlg.target, Qt.Key.Key_Home)
    for _step in range(dlg.target.count() + 1):
        if dlg.target.currentText() == label:
            break
        qtbot.keyClick(dlg.target, Qt.Key.Key_Down)
    assert dlg.target.currentText() == label


def retype(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


@pytest.mark.parametrize("current", list(Status))
def test_only_allowed_targets_are_offered(open_dialog, app_id, current):
    dlg = open_dialog(app_id, current)
    assert dlg.offered_targets() == workflow.allowed_targets(current)
    assert dlg.ok_button.isEnabled() == bool(workflow.allowed_targets(current))


def test_forbidden_and_meeting_only_transitions_cannot_be_picked(open_dialog, app_id):
    assert open_dialog(app_id, Status.RECEIVED).offered_targets() == [Status.IN_PROGRESS, Status.WITHDRAWN]
    # 'geagendeerd' is set from a meeting, never by hand
    assert open_dialog(app_id, Status.COMPLETE).offered_targets() == [Status.WITHDRAWN]
    decided = open_dialog(app_id, Status.DECIDED)
    assert decided.offered_targets() == [] and not decided.ok_button.isEnabled()


def test_information_requested_requires_what_and_by_when(qtbot, open_dialog, sqlite_ctx, app_id):
    detail = in_progress(sqlite_ctx, app_id)
    dlg = open_dialog(app_id, detail.status, detail.version)
    assert dlg.selected_target() is None  # the user picks consciously
    assert not dlg.info_requested.isVisible()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.target_box.error() == "Kies de nieuwe status uit de lijst."
    choose(qtbot, dlg, "informatie opgevraagd")
    assert dlg.info_requested.isVisible() and dlg.info_due_on.isVisible()

    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.info_box.error() == "Beschrijf welke informatie is opgevraagd."
    assert dlg.info_requested.property("error") is True
    assert dlg.due_box.error() == "Vul de uiterste datum voor de informatie in."
    assert apps.get_application(sqlite_ctx, app_id).status is Status.IN_PROGRESS

    qtbot.keyClicks(dlg.info_requested, "Statuten van de stichting")
    assert dlg.info_box.error() == ""  # the mark goes once it is filled in
    qtbot.keyClicks(dlg.info_due_on, "01-11-2026")  # in the past: the service refuses, shown at the field
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "verleden" in dlg.due_box.error()
    assert apps.get_application(sqlite_ctx, app_id).status is Status.IN_PROGRESS

    retype(qtbot, dlg.info_due_on, "07-12-2026")
    qtbot.keyClicks(dlg.remark, "Per e-mail gevraagd")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    stored = apps.get_application(sqlite_ctx, app_id)
    assert stored.status is Status.INFO_REQUESTED
    assert (stored.info_requested, stored.info_due_on) == ("Statuten van de stichting", dt.date(2026, 12, 7))
    last = stored.history[-1]
    assert (last.from_status, last.to_status, last.remark, last.by) == (
        Status.IN_PROGRESS, Status.INFO_REQUESTED, "Per e-mail gevraagd", "Sanne Secretaris")


def test_a_future_date_is_refused(qtbot, open_dialog, sqlite_ctx, app_id):
    dlg = open_dialog(app_id, Status.RECEIVED)
    retype(qtbot, dlg.on_date, "24-11-2026")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "toekomst" in dlg.on_date_box.error()
    assert apps.get_application(sqlite_ctx, app_id).status is Status.RECEIVED


def test_withdrawing_asks_for_confirmation_because_it_is_final(qtbot, open_dialog, sqlite_ctx, app_id, answers):
    queue, asked = answers
    dlg = open_dialog(app_id, Status.RECEIVED)
    choose(qtbot, dlg, "ingetrokken")
    assert "definitief" in dlg.warning.text()
    queue.append(1)  # Annuleren
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "definitief" in asked[0]
    assert apps.get_application(sqlite_ctx, app_id).status is Status.RECEIVED
    assert dlg.isVisible()
    queue.append(0)  # Intrekken
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert apps.get_application(sqlite_ctx, app_id).status is Status.WITHDRAWN
    assert dlg.result() == QDialog.DialogCode.Accepted


def test_a_status_change_on_a_stale_version_is_refused(qtbot, open_dialog, sqlite_ctx, app_id):
    old_version = apps.get_application(sqlite_ctx, app_id).version
    apps.change_status(sqlite_ctx, app_id, Status.IN_PROGRESS)  # another window got there first
    dlg = open_dialog(app_id, Status.RECEIVED, old_version)
    choose(qtbot, dlg, "in behandeling")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert StaleEditError().message in dlg.banner.text()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert [h.to_status for h in apps.get_application(sqlite_ctx, app_id).history] == [
        Status.RECEIVED, Status.IN_PROGRESS]


def test_the_editor_changes_status_and_shows_the_history(qtbot, sqlite_ctx, app_id, monkeypatch, answers):
    queue, _asked = answers
    editor = ApplicationEditorDialog(sqlite_ctx, app_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.tabs.setCurrentIndex(TAB_STATUS)
    assert editor.history.rowCount() == 1

    def run(dialog: StatusDialog) -> int:
        # What the user does in the modal dialog: pick the withdrawal, give a remark, confirm.
        dialog.show()
        assert dialog.offered_targets() == [Status.IN_PROGRESS, Status.WITHDRAWN]
        choose(qtbot, dialog, "ingetrokken")
        qtbot.keyClicks(dialog.remark, "Aanvrager ziet ervan af")
        queue.append(0)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(StatusDialog, "exec", run)
    with qtbot.waitSignal(editor.sig_saved, timeout=2000) as saved:
        qtbot.mouseClick(editor.status_button, Qt.MouseButton.LeftButton)
    assert saved.args == [app_id]
    assert editor.status_chip.text() == "ingetrokken"
    assert editor.history.rowCount() == 2
    assert editor.history.item(1, 1).text() == "ontvangen → ingetrokken"
    assert editor.history.item(1, 3).text() == "Aanvrager ziet ervan af"
    assert editor.history.item(1, 0).text() == "23 november 2026"
    assert editor.is_read_only() and not editor.status_button.isEnabled()
    assert editor.org_form.name.isReadOnly()
