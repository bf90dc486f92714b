"""Issue 11: the secretary reads return packages through the real widgets (Bestand › Retourpakketten inlezen…):
files checked and listed, a conflict side by side with a choice, the import, and the main window refreshed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from commissie_app.domain.codes import Role
from commissie_app.services import assessments
from commissie_app.ui import tasks
from commissie_app.ui.review_import_dialog import ReviewImportDialog
from tests.conftest import make_ctx
from tests.ui.test_roles_ui import window_for
from tests.review_import_helpers import COMPLETE, assessment, make_return, note, scenario, server_assessment


@pytest.fixture(autouse=True)
def synchronous(monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)


@pytest.fixture
def chosen_files(monkeypatch):
    chosen: dict = {"names": [], "filters": ""}

    def get_open_file_names(parent, caption, directory, filters):
        chosen["filters"] = filters
        return [str(n) for n in chosen["names"]], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(get_open_file_names))
    return chosen


def _dialog(w) -> ReviewImportDialog:
    dialog = w.review_import_dialog  # the one this window's menu item opened
    assert isinstance(dialog, ReviewImportDialog) and dialog.isVisible()
    return dialog


def _conflict(s, tmp_path):
    a, b = s.members
    base = server_assessment(s, a, answers={"region_established": "nee"})
    server = assessments.save_answers(a.ctx, base.id, {"region_established": "ja"}, base.version)
    conflicted = make_return(s, a, assessments=[assessment(s, 0, COMPLETE, state="final", base=base.version)],
                             notes=[note(s, 1)])
    refused = make_return(s, b, assessments=[assessment(s)], signer=None)
    return a, server, conflicted, refused


@pytest.mark.parametrize("take_package", [True, False])
def test_import_a_return_with_a_conflict_through_the_menu(qtbot, sqlite_db, tmp_path, chosen_files, answers,
                                                          message_boxes, monkeypatch, take_package):
    """Issue 11: the menu item opens the dialog; a refused file shows its reason, the ready one its items; the
    conflict shows both sides; Inlezen waits for the choice; after confirming, the database holds the chosen
    side and the main window re-reads the application."""
    s = scenario(sqlite_db, tmp_path)
    a, server, conflicted, refused = _conflict(s, tmp_path)
    w = window_for(qtbot, s.ctx)
    refreshed = []
    original = w.refresh_rows
    monkeypatch.setattr(w, "refresh_rows", lambda ids: (refreshed.append(set(ids)), original(ids)))
    chosen_files["names"] = [conflicted, refused]
    assert w.review_import_action.isEnabled() and w.review_import_action.shortcut().toString() == "Ctrl+Shift+I"
    w.review_import_action.trigger()
    dialog = _dialog(w)
    assert "*.kipretour" in chosen_files["filters"]

    top = [dialog.files.topLevelItem(i) for i in range(dialog.files.topLevelItemCount())]
    assert [t.text(0) for t in top] == [conflicted.name, refused.name]
    assert top[0].text(1) == "Klaar om in te lezen: retour 1 van Lid A"
    assert [(top[0].child(i).text(0), top[0].child(i).text(1)) for i in range(top[0].childCount())] == [
        ("beoordeling: Org 00000001", "conflict"), ("notitie: Org 00000002", "nieuw")]
    assert top[1].text(1).startswith("Geweigerd: Het pakket is niet ondertekend")

    (view,) = dialog.conflict_views
    rows = {label: (left, right) for label, left, right in view.rows()}
    assert rows["Status"] == ("concept", "definitief")
    assert rows["In welke gemeente is de organisatie gevestigd?"] == ("(niet beantwoord)", "Haarlem")
    assert rows["Is de organisatie gevestigd in de regio Zuid-Kennemerland/IJmond?"] == ("ja", "ja")
    assert rows["Gewijzigd"][1] == "20 november 2026 12:00"  # the laptop's moment, Dutch time
    assert rows["Voorgesteld advies"] == ("afwijzen", "aanhouden")
    assert not dialog.import_button.isEnabled()
    assert "Kies bij 1 conflict" in dialog.status.text()

    qtbot.mouseClick(view.take_package if take_package else view.keep_database, Qt.MouseButton.LeftButton)
    assert dialog.import_button.isEnabled()
    answers[0].append(0)  # "Inlezen" in the confirmation
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert answers[1] == ["1 retourpakket inlezen in de database?"]
    assert any("Lid A:" in text for text in message_boxes.texts("information"))
    assert not dialog.isVisible()

    row = assessments.get_assessment(s.ctx, server.id)
    if take_package:
        assert (row.answers, row.state) == (COMPLETE, "final")
    else:
        assert (row.answers, row.state, row.version) == (server.answers, "draft", server.version)
    # the main window re-read the applications whose work changed (the note always, the assessment if taken)
    assert set().union(*refreshed) == ({s.apps[0], s.apps[1]} if take_package else {s.apps[1]})


def test_a_member_cannot_import_returns(qtbot, sqlite_db, tmp_path):
    """Issue 11: the menu item is disabled for a member (the service would refuse)."""
    s = scenario(sqlite_db, tmp_path)
    member = make_ctx(sqlite_db, s.members[0].name, Role.MEMBER)
    assert not window_for(qtbot, member).review_import_action.isEnabled()


def test_a_return_already_imported_is_shown_as_such(qtbot, sqlite_db, tmp_path, chosen_files, answers, message_boxes):
    """Issue 11: the same return chosen again is listed as already imported and there is nothing to import."""
    from commissie_app.services.review_import import apply_import, prepare_import

    s = scenario(sqlite_db, tmp_path)
    path = make_return(s, s.members[0], assessments=[assessment(s)])
    apply_import(s.ctx, prepare_import(s.ctx, [path]), {})
    w = window_for(qtbot, s.ctx)
    chosen_files["names"] = [path]
    w.review_import_action.trigger()
    dialog = _dialog(w)
    assert dialog.files.topLevelItem(0).text(1) == "Al ingelezen; er verandert niets."
    assert not dialog.import_button.isEnabled() and dialog.status.text() == "Er is niets in te lezen."
    assert dialog.conflict_views == []
