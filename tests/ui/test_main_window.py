"""The main window and the application list, driven with real key and mouse clicks on SQLite."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from commissie_app.domain.codes import Criterion, Municipality, Role, Status
from commissie_app.services import application_rows
from commissie_app.services import applications as apps
from commissie_app.services.context import Actor
from commissie_app.ui.application_model import Column

from commissie_app.ui.main_window import MainWindow
from tests.factories import app_data, org_data

# name, kvk, municipality, place, criteria, status, received
ROWS = [
    ("Kringloop Kennemerland BV", "10000001", Municipality.HAARLEM, "Haarlem", (Criterion.PSO30,), Status.RECEIVED, 1),
    ("Fietsatelier De Spaak", "10000002", Municipality.VELSEN, "IJmuiden", (Criterion.NON_PROFIT,),
     Status.IN_PROGRESS, 2),
    ("Zorgboerderij De Hoeve", "10000003", Municipality.HEEMSKERK, "Heemskerk", (Criterion.CODE_SO,),
     Status.RECEIVED, 3),
    ("Koffie met Kansen", "10000004", Municipality.HAARLEM, "Haarlem", (Criterion.BCORP, Criterion.SE_NL),
     Status.COMPLETE, 4),
    ("Bakkerij Anders", "10000005", Municipality.ZANDVOORT, "Zandvoort", (Criterion.SE_NL,), Status.WITHDRAWN, 5),
]
PATHS = {Status.RECEIVED: [], Status.IN_PROGRESS: [Status.IN_PROGRESS],
         Status.COMPLETE: [Status.IN_PROGRESS, Status.COMPLETE], Status.WITHDRAWN: [Status.WITHDRAWN]}


@pytest.fixture
def ids(sqlite_ctx) -> dict[str, object]:
    out = {}
    for name, kvk, mun, place, crits, status, day in ROWS:
        app_id = apps.register_application(
            sqlite_ctx, org_data(name=name, kvk=kvk, municipality=mun, place=place),
            app_data(*crits, received_on=dt.date(2026, 11, day)))
        for target in PATHS[status]:
            apps.change_status(sqlite_ctx, app_id, target)
        out[name] = app_id
    return out


@pytest.fixture
def window(qtbot, sqlite_ctx, ids) -> MainWindow:
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.resize(1100, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def shown_names(w: MainWindow) -> list[str]:
    table = w.applications.table
    model = table.model()
    names = [model.index(r, Column.ORGANISATION).data() for r in range(model.rowCount())]
    assert table.verticalHeader().count() == len(names)  # the view follows the model
    return names


def type_search(qtbot, w: MainWindow, text: str) -> None:
    search = w.applications.search
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    search.selectAll()
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    qtbot.keyClicks(search, text)
    # The debounce timer applies the search; wait for it instead of forcing it.
    qtbot.waitUntil(lambda: w.applications.model.filter.text == text)


def choose(qtbot, combo, value) -> None:
    """Choose an item of a combo box with the keyboard, as a user without a mouse would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(value.value) if value is not None else 0):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == (value.value if value is not None else None)


def click_header(qtbot, w: MainWindow, column: Column) -> None:
    header = w.applications.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_list_shows_every_application_newest_first_with_dutch_dates(window):
    assert shown_names(window) == [r[0] for r in sorted(ROWS, key=lambda r: -r[6])]
    model = window.applications.model
    top = [model.index(0, c).data() for c in Column]
    assert top == ["Bakkerij Anders", "10000005", "Zandvoort", "Zandvoort", "ingetrokken", "SE NL", "5 november 2026"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Organisatie", "KvK", "Plaats", "Gemeente", "Status", "Criteria", "Ontvangen"]


def test_search_narrows_on_name_kvk_and_place(qtbot, window):
    type_search(qtbot, window, "kring")
    assert shown_names(window) == ["Kringloop Kennemerland BV"]
    type_search(qtbot, window, "10000003")
    assert shown_names(window) == ["Zorgboerderij De Hoeve"]
    type_search(qtbot, window, "ijmuiden")
    assert shown_names(window) == ["Fietsatelier De Spaak"]
    type_search(qtbot, window, "haarlem kansen")  # every word must match
    assert shown_names(window) == ["Koffie met Kansen"]
    type_search(qtbot, window, "")
    assert len(shown_names(window)) == 5


def test_ctrl_f_focuses_search(qtbot, window):
    window.applications.table.setFocus()
    qtbot.keyClick(window.applications.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.applications.search.hasFocus()


def test_a_search_finds_rows_added_and_changed_after_it_started(qtbot, window, ids, sqlite_ctx):
    """The search keys are made at the first search (issue 8, start-up); rows read in later are
    searched by their new names too."""
    type_search(qtbot, window, "fiets")
    assert shown_names(window) == ["Fietsatelier De Spaak"]
    new_id = apps.register_application(sqlite_ctx, org_data(name="Fietsenmakerij Trapkracht", kvk="10000006"),
                                       app_data(received_on=dt.date(2026, 11, 6)))
    window.refresh_rows([new_id])
    assert shown_names(window) == ["Fietsenmakerij Trapkracht", "Fietsatelier De Spaak"]
    type_search(qtbot, window, "trapkracht")
    assert shown_names(window) == ["Fietsenmakerij Trapkracht"]
    assert window.applications.model.total_count() == 6


def test_filters_narrow_and_combine(qtbot, window):
    page = window.applications
    choose(qtbot, page.municipality_combo, Municipality.HAARLEM)
    assert sorted(shown_names(window)) == ["Koffie met Kansen", "Kringloop Kennemerland BV"]
    choose(qtbot, page.criterion_combo, Criterion.BCORP)
    assert shown_names(window) == ["Koffie met Kansen"]
    choose(qtbot, page.municipality_combo, None)
    choose(qtbot, page.criterion_combo, Criterion.SE_NL)
    assert sorted(shown_names(window)) == ["Bakkerij Anders", "Koffie met Kansen"]
    choose(qtbot, page.status_combo, Status.WITHDRAWN)
    assert shown_names(window) == ["Bakkerij Anders"]


def test_counts_per_status_follow_search_and_other_filters(qtbot, window):
    page = window.applications
    text = page.counts_label.text()
    assert "5 van 5 aanvragen" in text
    for label, n in (("ontvangen", 2), ("in behandeling", 1), ("compleet", 1), ("ingetrokken", 1), ("besloten", 0)):
        assert f"{label} {n}<" in text
    choose(qtbot, page.municipality_combo, Municipality.HAARLEM)
    text = page.counts_label.text()
    assert "2 van 5 aanvragen" in text and "ontvangen 1<" in text and "compleet 1<" in text
    # Choosing a status narrows the list but the counts still show the other statuses.
    choose(qtbot, page.status_combo, Status.RECEIVED)
    text = page.counts_label.text()
    assert "1 van 5 aanvragen" in text and "compleet 1<" in text
    assert shown_names(window) == ["Kringloop Kennemerland BV"]


def test_clicking_a_count_filters_on_that_status(qtbot, window):
    window.applications.counts_label.linkActivated.emit("status:in_progress")
    assert window.applications.model.filter.status is Status.IN_PROGRESS
    assert window.applications.status_combo.currentText() == "in behandeling"
    assert shown_names(window) == ["Fietsatelier De Spaak"]


def test_no_match_shows_a_message(qtbot, window):
    page = window.applications
    type_search(qtbot, window, "bestaat niet")
    assert shown_names(window) == []
    assert page.body.currentWidget() is page.empty_label
    assert "Geen aanvragen gevonden" in page.empty_label.text()
    type_search(qtbot, window, "")
    assert page.body.currentWidget() is page.table


def test_empty_database_says_how_to_begin(qtbot, sqlite_ctx):
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    assert "nog geen aanvragen" in w.applications.empty_label.text()


def test_sorting_by_clicking_headers(qtbot, window):
    click_header(qtbot, window, Column.ORGANISATION)
    names = shown_names(window)
    assert names == sorted(names, key=str.casefold)
    click_header(qtbot, window, Column.ORGANISATION)
    assert shown_names(window) == sorted(names, key=str.casefold, reverse=True)
    click_header(qtbot, window, Column.STATUS)  # workflow order, not alphabetical
    statuses = [window.applications.model.row_at(r).status for r in range(5)]
    assert statuses == sorted(statuses, key=list(Status).index)
    click_header(qtbot, window, Column.RECEIVED)
    dates = [window.applications.model.row_at(r).received_on for r in range(5)]
    assert dates == sorted(dates)


def test_selection_stays_on_the_same_application_while_filtering_and_sorting(qtbot, window, ids):
    page = window.applications
    assert page.select_id(ids["Koffie met Kansen"])
    type_search(qtbot, window, "haarlem")
    assert page.selected_ids() == [ids["Koffie met Kansen"]]
    click_header(qtbot, window, Column.ORGANISATION)
    assert page.selected_ids() == [ids["Koffie met Kansen"]]
    type_search(qtbot, window, "kringloop")  # filtered out: nothing selected, no crash
    assert page.selected_ids() == []


def test_enter_opens_the_editor_and_a_save_refreshes_only_that_row(qtbot, window, ids, sqlite_ctx, monkeypatch):
    page = window.applications
    page.select_id(ids["Fietsatelier De Spaak"])
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = next(iter(window._editors.values()))
    assert editor.isVisible() and not editor.isModal()

    calls = []
    real = application_rows.list_rows
    monkeypatch.setattr(application_rows, "list_rows", lambda ctx, ids=None: calls.append(ids) or real(ctx, ids=ids))
    apps.change_status(sqlite_ctx, ids["Fietsatelier De Spaak"], Status.COMPLETE)
    editor.sig_saved.emit(ids["Fietsatelier De Spaak"])
    assert calls == [[ids["Fietsatelier De Spaak"]]]  # one targeted read, no full reload
    r = page.model.row_of(ids["Fietsatelier De Spaak"])
    assert page.model.index(r, Column.STATUS).data() == "compleet"
    assert "compleet 2<" in page.counts_label.text()
    editor.close()


@pytest.fixture
def opened_editors(monkeypatch) -> list:
    """Replaces the editor dialog; the list gets the application id of every editor the window opens."""
    opened: list = []

    class FakeEditor(QDialog):
        """Stands in for the editor: only its constructor and sig_saved matter to the window."""

        sig_saved = Signal(object)

        def __init__(self, ctx, app_id=None, parent=None):
            super().__init__(parent)
            opened.append(app_id)

    monkeypatch.setitem(sys.modules, "commissie_app.ui.application_editor",
                        types.SimpleNamespace(ApplicationEditorDialog=FakeEditor))
    return opened


def test_new_application_appears_after_the_editor_saves_it(qtbot, window, sqlite_ctx, opened_editors):
    opened = opened_editors
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [None]
    new_id = apps.register_application(sqlite_ctx, org_data(name="Nieuwe Stichting", kvk="10000099"),
                                       app_data(received_on=dt.date(2026, 11, 20)))
    next(iter(window._editors.values())).sig_saved.emit(new_id)
    assert shown_names(window)[0] == "Nieuwe Stichting"
    assert window.applications.selected_ids() == [new_id]


def test_export_gets_the_visible_ids_and_import_reloads(qtbot, window, ids, sqlite_ctx, monkeypatch):
    exported = []

    def export_interactive(parent, ctx, ids):
        exported.append(ids)

    def import_interactive(parent, ctx, on_done):
        apps.register_application(ctx, org_data(name="Geïmporteerd BV", kvk="10000077"), app_data())
        on_done()

    monkeypatch.setitem(sys.modules, "commissie_app.ui.transfer_actions", types.SimpleNamespace(
        export_applications_interactive=export_interactive, import_applications_interactive=import_interactive))
    type_search(qtbot, window, "haarlem")
    window.export_action.trigger()
    assert sorted(exported[0]) == sorted([ids["Koffie met Kansen"], ids["Kringloop Kennemerland BV"]])
    window.import_action.trigger()
    type_search(qtbot, window, "")
    assert "Geïmporteerd BV" in shown_names(window)


def test_backup_menu_writes_a_copy_and_confirms(qtbot, window, tmp_path, monkeypatch, message_boxes):
    target = tmp_path / "kopie.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.backup_action.trigger()
    assert target.stat().st_size > 0
    assert message_boxes.shown[0][0] == "information" and str(target) in message_boxes.shown[0][2]


def test_navigation_shows_the_pages(qtbot, window):
    """Issue 12: the Register page replaced its placeholder (issue 12's own tests: tests/ui/test_register_ui.py)."""
    nav = window.navigation
    item = nav.item(2)
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(item).center())
    assert window.stack.currentIndex() == 2
    assert window.stack.currentWidget().content is window.register_page and window.register_page.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.applications


def test_status_bar_names_user_and_database(sqlite_ctx, qtbot, ids):
    sqlite_ctx.actor = Actor("Sanne Secretaris", Role.SECRETARY)
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    assert w.user_label.text() == "Gebruiker: Sanne Secretaris (secretaris)"
    assert "commissie.sqlite" in w.db_label.text()


def test_window_geometry_is_restored(qtbot, sqlite_ctx):
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.restore_geometry()
    w.show()
    w.resize(780, 500)  # the offscreen screen is 800x600; restoring clamps to it
    qtbot.waitUntil(lambda: w.width() == 780)
    w.close()
    again = MainWindow(sqlite_ctx)
    qtbot.addWidget(again)
    again.restore_geometry()
    assert (again.width(), again.height()) == (780, 500)


def test_screenshot_command_writes_a_png(tmp_path, sqlite_db, ids):
    out = tmp_path / "shot.png"
    env = dict(os.environ, COMMISSIE_HOME=str(tmp_path / "home"))
    env.pop("QT_QPA_PLATFORM", None)  # the command sets offscreen itself
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from commissie_app.cli import main; sys.exit(main(sys.argv[1:]))",
         "--db", sqlite_db.url, "--screenshot", str(out)],
        env=env, capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_screenshot_of_a_database_that_cannot_be_opened_fails_with_a_message(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, COMMISSIE_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-m", "commissie_app", "--db", "postgresql://nobody@127.0.0.1:1/none",
         "--screenshot", str(out)], env=env, capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).parents[2])
    assert proc.returncode == 1
    assert "De gedeelde database is niet bereikbaar. Server 127.0.0.1:1, database none." in proc.stderr  # issue 11
    assert not out.exists()


def test_double_click_opens_the_editor_once_per_application(qtbot, window, ids, opened_editors):
    opened = opened_editors
    table = window.applications.table
    r = window.applications.model.row_of(ids["Koffie met Kansen"])
    pos = table.visualRect(table.model().index(r, Column.ORGANISATION)).center()
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # raises the open one
    assert opened == [ids["Koffie met Kansen"]]


def test_meetings_page_replaces_placeholder_and_start_screen_warns(qtbot, sqlite_ctx):
    from commissie_app.services import meeting_planning
    from commissie_app.ui.main_window import MainWindow
    from commissie_app.ui.meetings_page import MeetingsPage

    window = MainWindow(sqlite_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.meetings is None  # built the first time it is shown
    window.show_page(1)
    assert isinstance(window.meetings, MeetingsPage) and window.meetings.isVisibleTo(window)
    # issue 13: the meetings page shows the year warning itself, the window's banner only elsewhere
    assert not window.warning_banner.isVisibleTo(window)
    assert "minstens twee keer" in window.meetings.planner.year_banner.text()
    window.show_page(0)
    assert window.warning_banner.isVisibleTo(window)
    assert "2026" in window.warning_banner.text() and "minstens twee keer" in window.warning_banner.text()
    meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 3, 1, 14, 0), place="Stadhuis")
    meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 12, 10, 14, 0), place="Stadhuis")
    window.reload()
    assert "minstens twee keer" not in window.warning_banner.text()
