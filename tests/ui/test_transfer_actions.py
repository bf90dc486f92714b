"""The background helper (ui/tasks.py) and the import/export actions of the File menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from commissie_app.services.applications import list_rows
from commissie_app.ui import tasks
from commissie_app.ui.transfer_actions import (
    ImportProblemsDialog,
    export_applications_interactive,
    import_applications_interactive,
)

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def synchronous(monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)


@pytest.fixture
def open_file(monkeypatch):
    chosen: dict[str, object] = {"name": "", "calls": 0}

    def get_open_file_name(parent, caption, directory, filters):
        chosen["calls"] += 1
        chosen["filters"] = filters
        return chosen["name"], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_open_file_name))
    return chosen


@pytest.fixture
def save_file(monkeypatch):
    chosen: dict[str, object] = {"name": "", "filter": "", "calls": 0}

    def get_save_file_name(parent, caption, directory, filters):
        chosen["calls"] += 1
        chosen["offered"] = filters.split(";;")
        return chosen["name"], chosen["filter"]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return chosen


# --- the background helper -----------------------------------------------------------------------
#
# The threaded behaviour runs in a child process: with PySide6 6.12 a Python worker thread that
# talks to Qt while the event loop runs, after some other widget tests in the same process, makes
# the interpreter abort at exit (bool_dealloc refcount error during finalisation), although every
# test passes. The child process has only this scenario in it.

THREADED_SCENARIO = r"""
import json, sys, threading
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget

app = QApplication([])
from commissie_app.db.engine import Database
from commissie_app.domain.errors import DomainError
from commissie_app.services.applications import list_rows
from commissie_app.services.context import ServiceContext
from commissie_app.services.users import sign_in
from commissie_app.ui import tasks
from commissie_app.ui.transfer_actions import import_applications_interactive

out = {"main": threading.get_ident()}
parent = QWidget()
parent.show()


def wait_for(condition, ms=10000):
    for _ in range(ms // 10):
        if condition():
            return True
        QTest.qWait(10)
    return False


# 1. the work runs in a worker thread, the callback on the UI thread
seen = {}
task = tasks.run_task(parent, lambda: seen.setdefault("work", threading.get_ident()) and 42,
                      on_success=lambda r: seen.update(callback=threading.get_ident(), result=r))
wait_for(lambda: task.done)
out["success"] = seen

# 2. a failure reaches the failure callback on the UI thread
failed = {}
task = tasks.run_task(parent, lambda: (_ for _ in ()).throw(DomainError("Dat kan niet.")),
                      on_failure=lambda e: failed.update(message=str(e), thread=threading.get_ident()))
wait_for(lambda: task.done)
out["failure"] = failed

# 3. slow work: the dialog appears after the minimum duration, shows progress, Cancel stops the work
reported, proceed = threading.Event(), threading.Event()
outcome = []

def slow(report):
    report(3, 10)
    reported.set()
    proceed.wait(10)
    report(4, 10)
    outcome.append("not stopped")

task = tasks.run_task(parent, slow, progress=True, on_success=outcome.append,
                      on_failure=lambda e: outcome.append(type(e).__name__ + ": " + str(e)), label="Aan het werk")
dialog = task.dialog
out["visible_at_start"] = dialog.isVisible()
out["became_visible"] = wait_for(dialog.isVisible)
wait_for(lambda: dialog.value() == 3)
out["progress"] = [dialog.value(), dialog.maximum(), dialog.labelText()]
cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Annuleren")
QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
proceed.set()
wait_for(lambda: task.done)
import shiboken6
out["cancel"] = {"outcome": outcome, "dialog_closed": not (shiboken6.isValid(dialog) and dialog.isVisible()),
                 "dialog_gone": task.dialog is None}

# 3b. quiet work (a check the user did not start) shows no dialog, however long it takes
quiet_done, quiet_outcome = threading.Event(), []
task = tasks.run_task(parent, lambda: quiet_done.wait(10) and "gecontroleerd", quiet=True,
                      on_success=quiet_outcome.append)
wait_for(lambda: False, ms=3 * tasks.MINIMUM_DURATION_MS)  # well past the delay of a progress dialog
out["quiet"] = {"dialogs": [w.labelText() for w in QApplication.topLevelWidgets()
                            if isinstance(w, QProgressDialog) and w.isVisible()]}
quiet_done.set()
wait_for(lambda: task.done)
out["quiet"]["result"] = quiet_outcome[-1]

# 4. an import through the File menu action, for real in the background
ctx = ServiceContext(Database(sys.argv[1]))
sign_in(ctx, "Sanne Secretaris")
QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (sys.argv[2], ""))
boxes = []
QMessageBox.question = staticmethod(lambda p, t, text, *a, **k: boxes.append(text) or QMessageBox.StandardButton.Yes)
QMessageBox.information = staticmethod(lambda p, t, text, *a, **k: boxes.append(text))
done = []
import_applications_interactive(parent, ctx, lambda: done.append(len(list_rows(ctx))))
wait_for(lambda: len(boxes) == 2)
out["import"] = {"done": done, "boxes": boxes}
tasks.wait_for_all()
ctx.db.dispose()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def threaded(tmp_path_factory, sqlite_template):
    import json
    import os
    import shutil
    import subprocess
    import sys

    db = tmp_path_factory.mktemp("threaded") / "db.sqlite"
    shutil.copy(sqlite_template, db)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               COMMISSIE_HOME=str(tmp_path_factory.mktemp("home")))
    proc = subprocess.run(
        [sys.executable, "-c", THREADED_SCENARIO, f"sqlite:///{db}", str(DATA / "aanvragen_utf8.csv")],
        cwd=Path(__file__).parents[2], env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_work_runs_off_the_ui_thread_and_the_callback_on_it(threaded):
    seen = threaded["success"]
    assert seen["result"] == 42
    assert seen["callback"] == threaded["main"]
    assert seen["work"] != threaded["main"]


def test_failure_reaches_the_failure_callback_on_the_ui_thread(threaded):
    assert threaded["failure"] == {"message": "Dat kan niet.", "thread": threaded["main"]}


def test_slow_work_shows_progress_and_cancel_stops_it(threaded):
    assert threaded["visible_at_start"] is False  # not before the work has taken half a second
    assert threaded["became_visible"] is True
    assert threaded["progress"] == [3, 10, "Aan het werk"]
    assert threaded["cancel"] == {"outcome": ["Cancelled: Afgebroken; er is niets opgeslagen."],
                                  "dialog_closed": True, "dialog_gone": True}


def test_quiet_background_work_never_shows_a_dialog(threaded):
    """The database check after start-up runs quietly: no modal "Even geduld" over the list, even when it
    takes longer than the delay after which a progress dialog would appear."""
    assert threaded["quiet"] == {"dialogs": [], "result": "gecontroleerd"}


def test_import_runs_in_the_background_for_real(threaded):
    assert threaded["import"]["done"] == [2]
    first, second = threaded["import"]["boxes"]
    assert first.endswith("2 aanvragen importeren?")
    assert second.startswith("Import voltooid: 2 nieuwe aanvragen, 1 nieuwe organisatie")


def test_unexpected_failure_is_shown_with_the_log_file(qtbot, parent, synchronous, message_boxes):
    task = tasks.run_task(parent, lambda: 1 / 0)
    assert task.done
    assert message_boxes.shown[0][0] == "critical"
    assert "logbestand" in message_boxes.shown[0][2]


def test_quick_work_never_shows_a_dialog(qtbot, parent, synchronous):
    results = []
    task = tasks.run_task(parent, lambda report: report(1, 1) or "klaar", progress=True, on_success=results.append)
    assert results == ["klaar"] and task.done  # synchronous mode: done when run_task returns
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


# --- import ---------------------------------------------------------------------------------------


def test_import_checks_asks_imports_and_reports(qtbot, parent, sqlite_ctx, synchronous, open_file, message_boxes):
    open_file["name"] = str(DATA / "aanvragen_excel_nl.csv")
    done = []

    import_applications_interactive(parent, sqlite_ctx, lambda: done.append(len(list_rows(sqlite_ctx))))

    assert "*.csv" in open_file["filters"]
    kinds = [k for k, _t, _x in message_boxes.shown]
    assert kinds == ["question", "information"]
    assert message_boxes.shown[0][2].endswith("3 aanvragen importeren?")
    assert message_boxes.shown[0][2].startswith("Controle geslaagd, er is niets opgeslagen.")
    assert message_boxes.shown[1][2].startswith("Import voltooid: 3 nieuwe aanvragen")
    assert done == [3]  # the list is told after the write, and sees the rows


def test_import_not_confirmed_writes_nothing(qtbot, parent, sqlite_ctx, synchronous, open_file, message_boxes,
                                             monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    open_file["name"] = str(DATA / "aanvragen_excel_nl.csv")
    done = []

    import_applications_interactive(parent, sqlite_ctx, lambda: done.append(1))

    assert done == [] and list_rows(sqlite_ctx) == []
    assert message_boxes.shown == []


def test_import_of_a_file_already_imported_only_informs(qtbot, parent, sqlite_ctx, synchronous, open_file,
                                                        message_boxes):
    open_file["name"] = str(DATA / "aanvragen_excel_nl.csv")
    import_applications_interactive(parent, sqlite_ctx, lambda: None)
    message_boxes.shown.clear()
    done = []

    import_applications_interactive(parent, sqlite_ctx, lambda: done.append(1))

    assert [k for k, _t, _x in message_boxes.shown] == ["information"]
    assert "3 aanvragen al aanwezig" in message_boxes.shown[0][2]
    assert done == []


def test_import_problems_are_listed_in_a_table(qtbot, parent, sqlite_ctx, synchronous, open_file, message_boxes):
    open_file["name"] = str(DATA / "rij_fouten.csv")
    done = []

    import_applications_interactive(parent, sqlite_ctx, lambda: done.append(1))

    dialog = parent.findChild(ImportProblemsDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    cells = [(table.item(r, 0).data(Qt.ItemDataRole.DisplayRole), table.item(r, 1).text()) for r in range(table.rowCount())]
    assert cells[:2] == [(3, "kvk"), (3, "gemeente")]
    assert (5, "kvk") in cells and len(cells) == 11
    assert "Amsterdam" in table.item(1, 2).text()
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == "Rij\tKolom\tProbleem" and copied[2].startswith("3\tgemeente\tOnbekende waarde ‘Amsterdam’")

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert done == [] and list_rows(sqlite_ctx) == [] and message_boxes.shown == []


def test_import_without_choosing_a_file_does_nothing(qtbot, parent, sqlite_ctx, synchronous, open_file, message_boxes):
    assert import_applications_interactive(parent, sqlite_ctx, lambda: None) is None
    assert open_file["calls"] == 1 and message_boxes.shown == []


# --- export ---------------------------------------------------------------------------------------


def _imported(ctx):
    from commissie_app.services.transfer import import_applications

    import_applications(ctx, DATA / "aanvragen_excel_nl.csv")
    return sorted(list_rows(ctx), key=lambda r: r.kvk)


def test_export_offers_xlsx_and_csv_and_adds_the_extension(qtbot, parent, sqlite_ctx, synchronous, save_file,
                                                          message_boxes, tmp_path):
    from openpyxl import load_workbook

    rows = _imported(sqlite_ctx)
    save_file.update(name=str(tmp_path / "selectie"), filter="Excel-werkmap (*.xlsx)")

    export_applications_interactive(parent, sqlite_ctx, [rows[2].application_id, rows[0].application_id])

    assert save_file["offered"] == ["Excel-werkmap (*.xlsx)", "CSV-bestand (*.csv)"]
    sheet = load_workbook(tmp_path / "selectie.xlsx").active
    assert [c.value for c in sheet["B"]][1:] == [rows[2].kvk, rows[0].kvk]
    assert message_boxes.texts("information") == [f"2 aanvragen geëxporteerd naar {tmp_path / 'selectie.xlsx'}."]

    save_file.update(name=str(tmp_path / "alles"), filter="CSV-bestand (*.csv)")
    export_applications_interactive(parent, sqlite_ctx, None)
    lines = (tmp_path / "alles.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].startswith("naam;kvk;")


def test_export_of_an_empty_list_says_so(qtbot, parent, sqlite_ctx, synchronous, save_file, message_boxes):
    assert export_applications_interactive(parent, sqlite_ctx, []) is None
    assert save_file["calls"] == 0
    assert "niets te exporteren" in message_boxes.texts("information")[0]


def test_export_failure_is_shown_in_dutch(qtbot, parent, sqlite_ctx, synchronous, save_file, message_boxes, tmp_path):
    save_file.update(name=str(tmp_path / "bestaat-niet" / "lijst.csv"), filter="CSV-bestand (*.csv)")

    export_applications_interactive(parent, sqlite_ctx, None)

    assert [k for k, _t, _x in message_boxes.shown] == ["warning"]
    assert message_boxes.shown[0][1] == "Exporteren niet gelukt"
    assert "kan niet worden geschreven" in message_boxes.shown[0][2]
