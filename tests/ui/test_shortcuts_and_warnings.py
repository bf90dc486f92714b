"""Issue 13, "What was seen": Ctrl+N per page, each warning once and dismissable, Help › Sneltoetsen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from commissie_app.services import meeting_planning
from commissie_app.ui.application_editor import ApplicationEditorDialog
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.meeting_dialogs import MeetingDialog

CTRL = Qt.KeyboardModifier.ControlModifier
MEETINGS = PAGES.index("meetings")


@pytest.fixture
def window(qtbot, sqlite_ctx) -> MainWindow:
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


@pytest.fixture
def meeting_dialogs(monkeypatch, qtbot) -> list[str]:
    """MeetingDialog.exec() shows the dialog, records its title and cancels it (no blocking loop)."""
    seen: list[str] = []

    def exec_(dlg):
        qtbot.addWidget(dlg)
        seen.append(dlg.windowTitle())
        dlg.reject()
        return dlg.result()

    monkeypatch.setattr(MeetingDialog, "exec", exec_)
    return seen


def press_ctrl_n(qtbot, w: MainWindow) -> None:
    qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_N, CTRL)


def open_editors() -> list[ApplicationEditorDialog]:
    return [d for d in QApplication.topLevelWidgets() if isinstance(d, ApplicationEditorDialog) and d.isVisible()]


def ambiguity_warnings(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "Ambiguous shortcut" in r.message]


def test_ctrl_n_makes_a_new_application_or_meeting_for_the_page_shown(qtbot, window, meeting_dialogs, qtlog):
    """Issue 13: Ctrl+N did nothing on Vergaderingen ("Ambiguous shortcut overload: Ctrl+N" between the
    page's shortcut and File › Nieuwe aanvraag); now it means "new" for the page that is shown."""
    press_ctrl_n(qtbot, window)  # Aanvragen
    qtbot.waitUntil(lambda: len(open_editors()) == 1)
    assert open_editors()[0].windowTitle().startswith("Nieuwe aanvraag")
    assert meeting_dialogs == []
    for dlg in open_editors():
        dlg.close()
    window.activateWindow()

    window.show_page(MEETINGS)
    window.meetings.planner.table.setFocus()
    press_ctrl_n(qtbot, window)
    assert meeting_dialogs == ["Nieuwe vergadering"]
    assert open_editors() == []
    assert window.new_meeting_action.shortcut().toString() == "Ctrl+N"  # the menu shows where Ctrl+N goes
    assert window.new_action.shortcut().isEmpty()

    window.show_page(0)  # and back: Ctrl+N is a new application again
    press_ctrl_n(qtbot, window)
    qtbot.waitUntil(lambda: len(open_editors()) == 1)
    assert meeting_dialogs == ["Nieuwe vergadering"]
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert ambiguity_warnings(qtlog) == []


def test_file_menu_offers_a_new_meeting_from_any_page(qtbot, window, meeting_dialogs):
    """Issue 13: File › Nieuwe vergadering… goes to Vergaderingen and opens the dialog."""
    assert [a.text() for a in window.menuBar().actions()[0].menu().actions()][:2] == [
        "&Nieuwe aanvraag", "Nieuwe &vergadering…"]
    window.new_meeting_action.trigger()
    assert window.navigation.currentRow() == MEETINGS
    assert meeting_dialogs == ["Nieuwe vergadering"]


def test_no_two_actions_of_the_main_window_share_a_key_on_any_page(qtbot, window):
    """Issue 13: every shortcut of the main window means one thing on every page."""
    from commissie_app.ui.shortcuts_dialog import action_shortcuts

    for row in range(len(PAGES)):
        window.show_page(row)
        keys = [k for _what, keys in action_shortcuts(window) for k in keys.split(", ")]
        assert len(keys) == len(set(keys)), (PAGES[row], keys)
        page = window.meetings
        if page is not None:  # the page's own Ctrl+N gives way to the window's action
            assert not page.new_shortcut.isEnabled()


def warning_texts(window: MainWindow) -> list[str]:
    """Every warning line visible anywhere in the window (banners of the window and of the page shown)."""
    from commissie_app.ui.widgets import MessageBanner

    lines = []
    for banner in window.findChildren(MessageBanner):
        if banner.isVisibleTo(window):
            lines += [line.lstrip("⚠• ") for line in banner.label.text().splitlines()]
    return lines


def test_each_warning_is_shown_once_on_every_page(qtbot, window):
    """Issue 13: on an empty database the window's banner and the meetings page both showed the year and
    composition warnings (six warnings stacked twice)."""
    start = warning_texts(window)
    assert any("minstens twee keer" in w for w in start) and any("onbezet" in w for w in start)
    assert len(start) == len(set(start))
    window.show_page(MEETINGS)
    on_meetings = [w for w in warning_texts(window) if w != "Samenstelling van de commissie:"]
    assert len(on_meetings) == len(set(on_meetings)), on_meetings
    assert set(on_meetings) == set(start)  # nothing lost either
    window.show_page(0)
    assert warning_texts(window) == start


def test_a_closed_warning_stays_away_until_its_text_changes(qtbot, window, sqlite_ctx):
    """Issue 13: warnings can be closed for the session; a changed warning comes back."""
    banner = window.warning_banner
    assert banner.isVisibleTo(window) and "In 2026 zijn 0 vergaderingen" in banner.text()
    qtbot.mouseClick(banner.close_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisibleTo(window)
    window.reload()  # the same warnings: still closed
    assert not banner.isVisibleTo(window)

    window.show_page(MEETINGS)
    planner = window.meetings.planner
    assert planner.composition_banner.isVisibleTo(window)
    qtbot.waitUntil(lambda: planner.composition_banner.close_button.height() > 0)  # the page is laid out
    qtbot.mouseClick(planner.composition_banner.close_button, Qt.MouseButton.LeftButton)
    planner.reload()
    assert not planner.composition_banner.isVisibleTo(window)
    assert planner.year_banner.isVisibleTo(window)

    meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 12, 10, 14, 0), place="Stadhuis")
    window.reload()
    planner.reload()
    window.show_page(0)  # the text changed (one meeting now): shown again
    assert banner.isVisibleTo(window) and "In 2026 is 1 vergadering gehouden of gepland" in banner.text()
    assert "In 2026 is 1 vergadering gehouden of gepland" in planner.year_banner.label.text()


def test_help_lists_the_keyboard_shortcuts(qtbot, window):
    """Issue 13: Help held only "Over"; Help › Sneltoetsen lists the shortcuts of the window's actions."""
    help_menu = window.menuBar().actions()[-1].menu()
    assert [a.text() for a in help_menu.actions()] == ["&Handleiding", "&Sneltoetsen", "&Over Commissie-app"]
    window.shortcuts_action.trigger()
    dlg = window.shortcuts_dialog
    qtbot.waitExposed(dlg)
    keys = {what: keys.split(", ") for what, keys in dlg.rows()}
    assert "Ctrl+N" in keys["Nieuwe aanvraag"] and keys["Afsluiten"] == ["Ctrl+Q"]
    assert keys["Vergaderingen"] == ["Ctrl+2"] and keys["Retourpakketten inlezen"] == ["Ctrl+Shift+I"]
    assert "Nieuwe vergadering" not in keys
    dlg.close()
    window.show_page(MEETINGS)
    window.shortcuts_action.trigger()
    keys = {what: keys.split(", ") for what, keys in window.shortcuts_dialog.rows()}
    assert "Ctrl+N" in keys["Nieuwe vergadering"] and "Nieuwe aanvraag" not in keys
    window.shortcuts_dialog.close()
    # the keys of an open meeting's view (shortcuts of the page, not menu actions) are listed too
    page = window.meetings
    page.open_meeting(meeting_planning.plan_meeting(window.ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis"))
    window.shortcuts_action.trigger()
    keys = {what: keys.split(", ") for what, keys in window.shortcuts_dialog.rows()}
    assert keys["Dossier van het agendapunt"] == ["Ctrl+D"] and keys["Presentatie"] == ["F5"]
    assert keys["Terug naar de jaarplanning"] == ["Alt+Left"] and "Zoeken in de aanvragen" not in keys


def test_f1_opens_the_dutch_guide_to_the_year(qtbot, window):
    """Issue 13: Help › Handleiding (F1) opens a short Dutch guide to the yearly cycle in the app; the menus
    and buttons it names exist in the window."""
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    dlg = window.manual_dialog
    qtbot.waitExposed(dlg)
    text = dlg.browser.toPlainText()
    for step in ("Leden en zetels", "Nieuwe vergadering", "Agenda vaststellen", "Vergadering openen",
                 "Vergadering sluiten", "Besluitbrieven", "Register exporteren"):
        assert step in text, step
    assert "# " not in text and "**" not in text  # rendered, not shown as Markdown source
    menu_texts = [a.text().replace("&", "") for a in window.findChildren(QAction)]
    for item in ("Nieuwe aanvraag", "Gebruikers en rollen…", "Beoordelingspakketten…", "Herinneringen…",
                 "Reservekopie maken…", "Register exporteren…", "Retourpakketten inlezen…"):
        assert item in menu_texts and item in text, item
