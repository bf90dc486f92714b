"""Issue 10: the UI hides or disables what the services would refuse a role; the secretary manages users."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from commissie_app import cli
from commissie_app.domain.codes import Role, Status
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance
from commissie_app.services import (
    applications,
    commission,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_planning,
    users,
)
from commissie_app.services.application_rows import list_rows
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.application_editor import ApplicationEditorDialog
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.meetings_page import MeetingsPage
from commissie_app.ui.users_dialog import UserEditDialog, UsersDialog
from tests.conftest import make_ctx
from tests.factories import app_data, org_data
from tests.meeting_days import step


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def window_for(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_member_sees_the_list_but_cannot_register_import_export_or_back_up(qtbot, demo):
    member = make_ctx(demo.db, "Lars Lid", Role.MEMBER)
    w = window_for(qtbot, member)
    assert w.applications.model.rowCount() == 15
    assert w.user_label.text() == "Gebruiker: Lars Lid (lid)"
    assert not any(a.isEnabled() for a in (w.new_action, w.import_action, w.export_action, w.backup_action))
    assert not w.applications.new_button.isEnabled()
    assert w.forms_action.isEnabled() and w.users_action.isEnabled()  # reading is open to all

    secretary = window_for(qtbot, demo)
    assert all(a.isEnabled() for a in (secretary.new_action, secretary.import_action, secretary.export_action,
                                       secretary.backup_action))


def test_a_member_reads_an_application_but_the_editor_offers_no_changes(qtbot, demo):
    member = make_ctx(demo.db, "Lars Lid", Role.MEMBER)
    app_id = next(r.application_id for r in list_rows(demo) if r.status == "received")
    editor = ApplicationEditorDialog(member, app_id)
    qtbot.addWidget(editor)
    assert editor.is_read_only() and not editor.save_button.isVisible()
    assert not editor.status_button.isEnabled() and not editor.consolidated_button.isEnabled()
    assert editor.assess_button.isEnabled()  # their own assessment
    assert editor.banner.text() == "Als lid kunt u deze aanvraag lezen, niet wijzigen."
    assert not editor.attachments.add_button.isEnabled()


def test_the_secretary_adds_a_user_and_a_member_cannot(qtbot, demo, monkeypatch):
    dialog = UsersDialog(demo)
    qtbot.addWidget(dialog)
    assert dialog.add_button.isEnabled()
    edit = UserEditDialog(demo, None, dialog)
    qtbot.addWidget(edit)
    edit.name.setText("Vera Voorzitter")
    edit.role.setCurrentIndex(1)
    assert edit.summary.text().startswith("Mag: ") and "stemmen vastleggen" in edit.summary.text()
    edit.accept()
    assert edit.result() == QDialog.DialogCode.Accepted
    dialog.reload()
    assert [(u.name, u.role) for u in users.list_users(demo)] == [
        ("Sanne Secretaris", Role.SECRETARY), ("Vera Voorzitter", Role.CHAIR)]

    member = make_ctx(demo.db, "Lars Lid", Role.MEMBER)
    theirs = UsersDialog(member)
    qtbot.addWidget(theirs)
    assert not theirs.add_button.isEnabled() and not theirs.edit_button.isEnabled()
    assert theirs.table.rowCount() == 3


def test_a_member_on_the_command_line_cannot_make_letters(demo, tmp_path, capsys):
    """Issue 10: the CLI acts as a named user (``--als``), with that user's role."""
    make_ctx(demo.db, "Lars Lid", Role.MEMBER)
    closed = next(r.id for r in meeting_planning.list_meetings(demo) if r.status is MeetingStatus.CLOSED)
    out = tmp_path / "brieven"
    assert cli.main(["--db", demo.db.url, "--als", "Lars Lid", "letters", str(closed), "--out", str(out)]) == 1
    assert "Als lid mag u niet brieven maken en verzenden" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    assert cli.main(["--db", demo.db.url, "--als", "Onbekende", "letters", str(closed), "--out", str(out)]) == 1
    assert "Er is geen gebruiker ‘Onbekende’" in capsys.readouterr().err
    assert cli.main(["--db", demo.db.url, "letters", str(closed), "--out", str(out)]) == 1
    assert "U bent niet aangemeld" in capsys.readouterr().err


def test_a_member_in_the_meeting_view_can_only_declare_their_own_conflict(qtbot, demo):
    """Issue 10: a member cannot open or close the meeting, record attendance, votes or a decision; the one thing
    offered is declaring their own conflict of interest."""
    seat_holders = [t.member_id for _id, t in commission.term_rows(demo) if t.end is None]
    lars = make_ctx(demo.db, "Lars Lid", Role.MEMBER, member_id=seat_holders[1])
    app_id = applications.register_application(demo, org_data(kvk="70000001"), app_data())
    applications.change_status(demo, app_id, Status.IN_PROGRESS)
    applications.change_status(demo, app_id, Status.COMPLETE)
    mid = meeting_planning.plan_meeting(demo, dt.datetime(2027, 2, 2, 14, 0), place="Stadhuis",
                                        chair_member_id=seat_holders[0])
    meeting_agenda.add_application_items(demo, mid, [app_id])
    step(demo, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for member in seat_holders[:3]:
        meeting_attendance.set_attendance(demo, mid, member, Attendance.PRESENT)

    page = MeetingsPage(lars)
    qtbot.addWidget(page)
    page.show()
    page.open_meeting(mid)
    view = page.meeting_view
    view.select_row(next(r for r in range(view.model.rowCount()) if view.model.item_at(r).title.startswith("Aanvraag")))
    assert view.step_button.isVisible() and not view.step_button.isEnabled()  # "Vergadering sluiten"
    assert not view.decision_button.isEnabled() and not view.add_free_button.isEnabled()
    assert view.minutes.isReadOnly() and view.minutes.placeholderText() == "(nog geen notulen)"
    assert not any(b.isEnabled() for g in view.attendance.rows.values() for b in g.buttons())
    assert not any(b.isEnabled() for g in view.votes.groups.values() for b in g.buttons())
    assert view.conflict_button.isEnabled()
    assert [a.member_id for a in view._conflict_candidates(view.current_item())] == [seat_holders[1]]

    secretary = MeetingsPage(demo)
    qtbot.addWidget(secretary)
    secretary.show()
    secretary.open_meeting(mid)
    assert secretary.meeting_view.step_button.isEnabled()


def test_editing_a_user_keeps_their_member_link_unless_changed(qtbot, demo):
    """Issue 10: the edit dialog shows the linked member, and saving another change keeps the link."""
    holder = next(t.member_id for _id, t in commission.term_rows(demo) if t.end is None)
    users.add_user(demo, "Lars Lid", Role.MEMBER, holder)
    lars = next(u for u in users.list_users(demo) if u.name == "Lars Lid")
    edit = UserEditDialog(demo, lars)
    qtbot.addWidget(edit)
    assert edit.member.currentText() == lars.member_name and lars.member_name
    edit.role.setCurrentIndex(1)  # voorzitter
    edit.accept()
    lars = next(u for u in users.list_users(demo) if u.name == "Lars Lid")
    assert (lars.role, lars.member_id) == (Role.CHAIR, holder)
