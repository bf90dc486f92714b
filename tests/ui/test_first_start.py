"""First start: who is working, and demo data for an empty database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from commissie_app.db.models import AuditEvent, User
from commissie_app.domain.codes import Role
from commissie_app.services import applications as apps
from commissie_app.services.context import ServiceContext
from commissie_app.services.users import add_user
from commissie_app.settings import LocalSettings
from commissie_app.ui.app import open_context, start_window
from commissie_app.ui.first_start import FirstStartDialog
from tests.conftest import make_ctx
from tests.factories import app_data, org_data


@pytest.fixture
def settings(tmp_path) -> LocalSettings:
    return LocalSettings(tmp_path / "settings.json")


def open_dialog(qtbot, ctx, settings) -> FirstStartDialog:
    dialog = FirstStartDialog(ctx, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill_in(qtbot, dialog: FirstStartDialog, name: str) -> None:
    qtbot.keyClicks(dialog.name_edit, name)


def choose(qtbot, dialog: FirstStartDialog, steps: int) -> None:
    dialog.user_combo.setFocus()
    for _ in range(steps):
        qtbot.keyClick(dialog.user_combo, Qt.Key.Key_Down)


def click_ok(qtbot, dialog: FirstStartDialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_first_user_becomes_secretary_and_creates_demo_data(qtbot, sqlite_db, settings):
    """Issue 10: on a new database the first user becomes secretary; no role is chosen on a machine."""
    ctx = ServiceContext(sqlite_db)
    dialog = open_dialog(qtbot, ctx, settings)
    assert dialog.demo_check.isVisible() and dialog.demo_check.isChecked()
    assert dialog.name_edit.isVisible() and not dialog.user_combo.isVisible()
    fill_in(qtbot, dialog, "  Vera   Voorzitter ")
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert dialog.actor.name == "Vera Voorzitter" and dialog.actor.role is Role.SECRETARY
    assert settings.get("user_name") == "Vera Voorzitter"
    assert LocalSettings(settings.path).get("user_name") == "Vera Voorzitter"  # saved to disk
    with sqlite_db.session() as s:
        assert [(u.name, u.role) for u in s.scalars(select(User))] == [("Vera Voorzitter", "secretary")]
        actors = set(s.scalars(select(AuditEvent.actor)))
    assert actors == {"Vera Voorzitter"}  # the demo data and the registration are logged under her name
    rows = apps.list_rows(ctx)
    assert dialog.demo_count == len(rows) == 15
    assert {r.status for r in rows} >= {"received", "decided", "withdrawn"}


def test_demo_data_can_be_declined(qtbot, sqlite_db, settings):
    ctx = ServiceContext(sqlite_db)
    dialog = open_dialog(qtbot, ctx, settings)
    fill_in(qtbot, dialog, "Sanne")
    dialog.demo_check.setFocus()
    qtbot.keyClick(dialog.demo_check, Qt.Key.Key_Space)
    assert not dialog.demo_check.isChecked()
    click_ok(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.actor.role is Role.SECRETARY
    assert apps.list_rows(ctx) == []


def test_a_name_is_required(qtbot, sqlite_db, settings):
    dialog = open_dialog(qtbot, ServiceContext(sqlite_db), settings)
    fill_in(qtbot, dialog, "   ")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.error_label.isVisible() and dialog.error_label.text() == "Vul de naam van de gebruiker in."
    assert settings.get("user_name") == ""


def test_later_users_choose_their_name_and_get_the_role_the_secretary_gave(qtbot, sqlite_ctx, settings):
    """Issue 10: with users in the database, a person picks their name; the role is the database's."""
    apps.register_application(sqlite_ctx, org_data(), app_data())
    add_user(sqlite_ctx, "Lars Lid", Role.MEMBER)
    add_user(sqlite_ctx, "Wim Waarnemer", Role.OBSERVER)
    dialog = open_dialog(qtbot, ServiceContext(sqlite_ctx.db), settings)
    assert not dialog.demo_check.isVisible() and not dialog.name_edit.isVisible()
    assert [dialog.user_combo.itemText(i) for i in range(dialog.user_combo.count())] == [
        "Lars Lid (lid)", "Sanne Secretaris (secretaris)", "Wim Waarnemer (waarnemer)"]
    choose(qtbot, dialog, 0)
    click_ok(qtbot, dialog)
    assert dialog.actor.name == "Lars Lid" and dialog.actor.role is Role.MEMBER
    assert len(apps.list_rows(sqlite_ctx)) == 1


def start(qtbot, url, settings):
    window = start_window(open_context(url, settings), settings)
    if window is not None:
        qtbot.addWidget(window)
    return window


def test_start_asks_who_is_working_then_loads_the_list(qtbot, sqlite_db, settings, monkeypatch):
    def exec_filled(dialog):
        dialog.name_edit.setText("Gert Gast")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FirstStartDialog, "exec", exec_filled)
    window = start(qtbot, sqlite_db.url, settings)
    assert window.ctx.actor.name == "Gert Gast" and window.ctx.actor.role is Role.SECRETARY
    assert window.user_label.text() == "Gebruiker: Gert Gast (secretaris)"
    assert window.applications.model.rowCount() == 15


def test_a_remembered_name_this_database_does_not_know_is_asked_again(qtbot, sqlite_ctx, settings, monkeypatch):
    """Issue 10: the name a machine remembers must be a user of the database opened; otherwise the app asks
    (the rows are read first on the fast path; the question follows the first frame)."""
    settings.set("user_name", "Iemand Anders")
    asked = []

    def exec_choose(dialog):
        asked.append([dialog.user_combo.itemData(i) for i in range(dialog.user_combo.count())])
        dialog.user_combo.setCurrentIndex(0)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FirstStartDialog, "exec", exec_choose)
    window = start(qtbot, sqlite_ctx.db.url, settings)
    qtbot.waitUntil(lambda: window.ctx is not None and window.ctx.actor.name == "Sanne Secretaris")
    assert asked == [["Sanne Secretaris"]]
    assert settings.get("user_name") == "Sanne Secretaris"


def test_cancelling_the_first_start_stops_the_app(qtbot, sqlite_db, settings, monkeypatch):
    monkeypatch.setattr(FirstStartDialog, "exec", lambda dialog: dialog.DialogCode.Rejected)
    assert start(qtbot, sqlite_db.url, settings) is None


def test_known_user_is_not_asked_again(qtbot, sqlite_db, settings, monkeypatch):
    make_ctx(sqlite_db)
    settings.set("user_name", "Sanne Secretaris")
    monkeypatch.setattr(FirstStartDialog, "exec", lambda dialog: pytest.fail("asked again"))
    window = start(qtbot, sqlite_db.url, settings)
    # Issue 8: the rows were read with sqlite3; the services (SQLAlchemy) follow the first frame.
    qtbot.waitUntil(lambda: window.ctx is not None)
    assert window.ctx.actor.name == "Sanne Secretaris" and window.ctx.actor.role is Role.SECRETARY


def test_database_that_cannot_be_opened_shows_a_dutch_error(qtbot, settings, message_boxes, problem_dialogs):
    # A server that cannot be reached offers choices instead (issue 11, tests/ui/test_unreachable.py);
    # any other failure to open is this message, without the driver's text (issue 11: in the log only).
    assert start(qtbot, "mysql://nobody@127.0.0.1:1/none", settings) is None
    kind, title, text = message_boxes.shown[0]
    assert (kind, title) == ("critical", "Database niet te openen")
    assert "De database kan niet worden geopend" in text and "127.0.0.1" in text  # issue 13: the same dialog
    assert "MySQLdb" not in text and "ModuleNotFoundError" not in text
