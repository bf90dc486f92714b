"""Issue 13: every database that cannot be opened at start-up gets the same Dutch dialog: why, with
Opnieuw proberen, Andere database kiezen…, Reservekopie terugzetten… and Afsluiten; the driver's English only under
"Details" (with the log file)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy.engine import make_url

from commissie_app.logging_setup import log_file
from commissie_app.settings import LocalSettings
from commissie_app.ui import tasks
from commissie_app.ui.app import OpenProblem, open_context, start_window
from commissie_app.ui.unreachable_dialog import BackupChooser, ServerAddressDialog, UnreachableDialog
from tests.conftest import _pg_db, make_ctx
from tests.damaged_db import BACKUPS, demo_file
from tests.ui.test_unreachable import while_dialog_runs

ENGLISH = ("not a database", "malformed", "database is locked", "readonly", "read-only database", "error",
           "operational", "sqlalchemy", "password authentication", "traceback")
CHOICES = ["Opnieuw proberen", "Andere database kiezen…", "Reservekopie terugzetten…", "Beoordelingspakket openen…",
           "Afsluiten"]


@pytest.fixture
def settings(tmp_path) -> LocalSettings:
    s = LocalSettings(tmp_path / "settings.json")
    s.set("user_name", "Sanne Secretaris")
    return s


@pytest.fixture(autouse=True)
def synchronous(monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)


def main_texts(dialog: UnreachableDialog) -> str:
    """What the dialog says without "Details": title, labels on screen, buttons and their descriptions."""
    texts = [dialog.windowTitle()] + [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    for button in dialog.choices():
        texts += [button.text(), getattr(button, "description", lambda: "")()]
    return "\n".join(texts)


def look(qtbot, opened, settings) -> dict:
    """Start on ``opened``, look at the dialog, open its details, quit; what was seen."""
    seen: dict = {}

    def steps(dialog: UnreachableDialog) -> None:
        seen["main"] = main_texts(dialog)
        seen["choices"] = [b.text() for b in dialog.choices()]
        seen["details_hidden"] = not dialog.details.text.isVisible()
        qtbot.mouseClick(dialog.details.button, Qt.MouseButton.LeftButton)
        seen["details"] = dialog.details.text.toPlainText() if dialog.details.text.isVisible() else ""
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

    while_dialog_runs(steps)
    assert start_window(opened, settings) is None  # Afsluiten
    return seen


def assert_dutch_dialog(seen: dict, title: str, headline: str) -> None:
    assert seen["choices"] == CHOICES
    assert seen["main"].startswith(title) and headline in seen["main"]
    lowered = seen["main"].lower()
    assert not [e for e in ENGLISH if e in lowered], seen["main"]
    assert seen["details_hidden"] and str(log_file()) in seen["details"]


def test_a_file_of_random_bytes_shows_the_dutch_dialog(qtbot, tmp_path, settings):
    """Issue 13: before, a file that is no database gave a message box with only "OK" and the app quit."""
    path = tmp_path / "commissie.sqlite"
    path.write_bytes(os.urandom(16384))
    opened = open_context(f"sqlite:///{path}", settings)
    assert isinstance(opened, OpenProblem)
    seen = look(qtbot, opened, settings)
    assert_dutch_dialog(seen, "Database niet te openen", "Het databasebestand is beschadigd")
    assert f"Het databasebestand {path} is beschadigd" in seen["main"]
    assert "not a database" in seen["details"]


def test_a_locked_file_says_so_and_opnieuw_proberen_opens_it_once_free(qtbot, tmp_path, sqlite_template, settings):
    """Issue 13: a file another program holds locked: a Dutch explanation; trying again once the lock is
    gone starts the main window."""
    path = demo_file(tmp_path / "data", sqlite_template, backups=False)
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    settings.set("user_name", "")  # the full way (SQLAlchemy) at once, as on a first start
    opened = open_context(f"sqlite:///{path}", settings)
    seen: dict = {}

    def steps(dialog: UnreachableDialog) -> None:
        seen["main"] = main_texts(dialog)
        holder.rollback()
        holder.close()  # the other program lets go
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)

    while_dialog_runs(steps)
    settings.set("user_name", "Sanne Secretaris")
    window = start_window(opened, settings)
    assert "Het databasebestand is in gebruik" in seen["main"] and str(path) in seen["main"]
    assert "database is locked" not in seen["main"]
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.ctx is not None)
    assert window.applications.model.rowCount() == 15
    window.close()
    window.ctx.db.dispose()


@pytest.fixture
def read_only(tmp_path):
    """Make a file read-only for this process (root ignores file modes: then the immutable flag)."""
    made: list[Path] = []

    def make(path: Path) -> Path:
        path.chmod(0o444)
        if os.access(path, os.W_OK):
            if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
                pytest.fail("cannot make a file read-only on this machine")
            made.append(path)
        return path

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_file_says_so_in_dutch(qtbot, tmp_path, sqlite_template, settings, read_only):
    """Issue 13: a database the app may not write to: its rows are shown at once (read with sqlite3), then
    signing in cannot be recorded; the window makes way for the Dutch dialog with the choices."""
    path = tmp_path / "commissie.sqlite"
    shutil.copy(sqlite_template, path)
    read_only(path)
    seen: dict = {}

    def steps(dialog: UnreachableDialog) -> None:
        seen["main"] = main_texts(dialog)
        seen["choices"] = [b.text() for b in dialog.choices()]
        seen["details_hidden"] = not dialog.details.text.isVisible()
        seen["details"] = dialog.details.text.toPlainText()
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

    opened = open_context(f"sqlite:///{path}", settings)
    while_dialog_runs(steps)
    window = start_window(opened, settings)  # the rows, without SQLAlchemy
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "main" in seen, timeout=10000)  # after the first frame
    assert_dutch_dialog(seen, "Database niet te openen", "Het databasebestand is alleen-lezen")
    assert str(path) in seen["main"] and "readonly database" in seen["details"]
    qtbot.waitUntil(lambda: not window.isVisible())


def test_back_up_terugzetten_puts_the_newest_backup_back(qtbot, tmp_path, sqlite_template, settings, monkeypatch,
                                                       answers, message_boxes):
    """Issue 13: a damaged file: "Reservekopie terugzetten…" lists the backups next to it (newest first), puts
    the chosen one in the file's place after confirmation, keeps the damaged file and starts the app."""
    queue, asked = answers
    path = demo_file(tmp_path / "data", sqlite_template)
    os.utime(path.parent / BACKUPS[0], (1_700_000_000, 1_700_000_000))  # the older one is older on disk too
    path.write_bytes(os.urandom(path.stat().st_size))
    offered: list[list[str]] = []

    def choose_first(chooser: BackupChooser) -> int:
        offered.append([chooser.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(chooser.list.count())])
        qtbot.mouseClick(chooser.restore_button, Qt.MouseButton.LeftButton)
        return chooser.result()

    monkeypatch.setattr(BackupChooser, "exec", choose_first)
    queue.append(0)  # Terugzetten
    while_dialog_runs(lambda d: qtbot.mouseClick(d.backup_button, Qt.MouseButton.LeftButton))
    window = start_window(open_context(f"sqlite:///{path}", settings), settings)
    assert window is not None
    qtbot.addWidget(window)
    assert [Path(p).name for p in offered[0]] == list(reversed(BACKUPS))
    assert "De reservekopie" in asked[0] and "apart bewaard" in asked[0]
    qtbot.waitUntil(lambda: window.ctx is not None)
    assert window.applications.model.rowCount() == 15 and Path(window.ctx.db.location) == path
    kept = [p.name for p in path.parent.glob("commissie.vervangen-*.sqlite")]
    assert len(kept) == 1
    [(kind, title, text)] = message_boxes.shown
    assert title == "Reservekopie teruggezet" and kept[0] in text
    window.close()
    window.ctx.db.dispose()


@pytest.mark.postgres
def test_a_wrong_password_keeps_the_driver_text_under_details(qtbot, settings, pg_url):
    """Issue 13: the server's refusal is Dutch; its English is under "Details", never the password."""
    url = make_url(pg_url).set(password="niet-het-goede-wachtwoord").render_as_string(hide_password=False)
    seen = look(qtbot, open_context(url, settings), settings)
    assert_dutch_dialog(seen, "Geen verbinding met de database", "Aanmelden bij de databaseserver is mislukt")
    assert "password authentication failed" in seen["details"]
    assert "niet-het-goede-wachtwoord" not in seen["details"] + seen["main"]


@pytest.mark.postgres
def test_andere_database_kiezen_takes_a_server_address(qtbot, tmp_path, settings, pg_url, monkeypatch):
    """Issue 13: a damaged local file; "Andere database kiezen…" › a server address starts the app there."""
    db = _pg_db(pg_url)
    make_ctx(db)
    db.dispose()
    path = tmp_path / "commissie.sqlite"
    path.write_bytes(os.urandom(8192))
    monkeypatch.setattr(ServerAddressDialog, "exec", lambda d: d.address.setText(pg_url) or d.DialogCode.Accepted)
    while_dialog_runs(lambda d: d.server_action.trigger())
    window = start_window(open_context(f"sqlite:///{path}", settings), settings)
    assert window is not None
    qtbot.addWidget(window)
    assert window.ctx.db.dialect == "postgresql" and window.ctx.actor.name == "Sanne Secretaris"
    window.close()
    window.ctx.db.dispose()


def test_every_choice_is_a_button(qtbot, tmp_path, settings):
    """Issue 13: the four choices of the brief are real buttons on the dialog."""
    path = tmp_path / "commissie.sqlite"
    path.write_bytes(os.urandom(4096))
    dialog = UnreachableDialog(open_context(f"sqlite:///{path}", settings), lambda url: None)
    qtbot.addWidget(dialog)
    names = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"Opnieuw proberen", "Andere database kiezen…", "Reservekopie terugzetten…", "Afsluiten"} <= names
    assert [a.text() for a in dialog.local_button.menu().actions()] == [
        "Databasebestand of reservekopie kiezen…", "Adres van een databaseserver invoeren…"]
