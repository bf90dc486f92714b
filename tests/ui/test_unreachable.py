"""Issue 11, "When the shared server cannot be reached": the desktop start against a PostgreSQL server that
is down (or refuses the login) shows a Dutch dialog naming the server, with four choices, through the
real widgets."""

from __future__ import annotations

import hashlib
import socket
import sys
import threading
import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from sqlalchemy.engine import make_url

from commissie_app.settings import LocalSettings
from commissie_app.ui import app as app_module
from commissie_app.ui import tasks
from commissie_app.ui.app import Opened, ServerProblem, open_context, run_gui, start_window
from commissie_app.ui.unreachable_dialog import UnreachableDialog
from tests.conftest import _pg_db, make_ctx
from tests.damaged_db import demo_file

PASSWORD = "GeheimWachtwoord42"
# Fragments of the driver's (libpq's, psycopg's, SQLAlchemy's) English that must never reach the screen.
ENGLISH = ("connection", "refused", "failed", "operationalerror", "traceback", "server at", "password",
           "is the server running", "sqlalchemy", "psycopg")


def free_port() -> int:
    """A port on which nothing listens (taken from the system and released again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def down_url(port: int, database: str = "commissie_srv") -> str:
    return f"postgresql://commissie:{PASSWORD}@127.0.0.1:{port}/{database}"


class Forwarder:
    """A TCP relay from ``port`` to the real test server: the server "comes up" on that port."""

    def __init__(self, port: int, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", port))
        self.sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept() or recv()
            except OSError:
                pass
            s.close()


@pytest.fixture
def settings(tmp_path) -> LocalSettings:
    s = LocalSettings(tmp_path / "settings.json")
    s.set("user_name", "Sanne Secretaris")
    return s


def visible_texts(widget: QWidget) -> list[str]:
    """Every text the dialog shows: title, labels, buttons and their descriptions."""
    texts = [widget.windowTitle()]
    texts += [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    for button in widget.findChildren(QPushButton):
        texts.append(button.text())
        if isinstance(button, QCommandLinkButton):
            texts.append(button.description())
    return texts


def assert_dutch_only(texts: list[str]) -> None:
    joined = "\n".join(texts).lower()
    for english in ENGLISH:
        assert english not in joined, f"English driver text {english!r} on screen:\n{joined}"
    assert PASSWORD.lower() not in joined


def while_dialog_runs(steps):
    """Run ``steps(dialog)`` once the modal dialog is on screen (inside its own event loop)."""

    def poll() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, UnreachableDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        try:
            steps(dialog)
        finally:
            if dialog.isVisible():  # never leave a test hanging in a modal loop
                QTimer.singleShot(0, lambda: dialog.done(0))

    QTimer.singleShot(0, poll)


def start(qtbot, opened, settings):
    window = start_window(opened, settings)
    if isinstance(window, QWidget):
        qtbot.addWidget(window)
    return window


def choose_file(monkeypatch, path: Path) -> list[str]:
    """The file dialog "chooses" ``path``; the filters it was offered are collected in the list returned."""
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(
        lambda parent, title, folder, filters: offered.append(filters) or (str(path), "")))
    return offered


def click_then_quit(qtbot, settings, button: str) -> bool:
    """Start against a server that is down, click the dialog's ``button``, then quit; whether the dialog
    was still open after the click."""
    seen = {}

    def steps(dialog: UnreachableDialog) -> None:
        target = getattr(dialog, button)
        if isinstance(target, QAction):  # an entry of a button's menu (issue 13: "Andere database kiezen…")
            target.trigger()
        else:
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
        seen["still_open"] = dialog.isVisible()
        dialog.reject()

    while_dialog_runs(steps)
    assert start(qtbot, open_context(down_url(free_port()), settings), settings) is None
    return seen["still_open"]


def test_the_dialog_names_the_server_and_offers_four_choices_in_dutch(qtbot, settings, message_boxes):
    """Issue 11: before, the app showed "De database kon niet worden geopend" with psycopg's English
    ("Connection refused … Is the server running…") and quit."""
    port = free_port()
    opened = open_context(down_url(port), settings)
    assert isinstance(opened, ServerProblem)
    seen: dict = {}

    def look_and_quit(dialog: UnreachableDialog) -> None:
        seen["texts"] = visible_texts(dialog)
        seen["choices"] = [b.text() for b in dialog.choices()]
        seen["default"] = dialog.retry_button.isDefault()
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

    while_dialog_runs(look_and_quit)
    assert start(qtbot, opened, settings) is None  # Afsluiten: the app stops
    assert seen["choices"] == ["Opnieuw proberen", "Andere database kiezen…", "Reservekopie terugzetten…",
                               "Beoordelingspakket openen…", "Afsluiten"]  # issue 13: another database, a backup
    assert seen["default"]
    text = "\n".join(seen["texts"])
    assert "De gedeelde database is niet bereikbaar" in text
    assert f"Server 127.0.0.1:{port}, database commissie_srv." in text
    assert "De server weigert de verbinding" in text
    assert_dutch_only(seen["texts"])
    assert message_boxes.shown == []


def test_afsluiten_ends_the_app_with_exit_status_1(qtbot, monkeypatch, message_boxes):
    """Issue 11: "Afsluiten" quits with status 1 (the desktop start as the command line runs it)."""
    monkeypatch.setattr("commissie_app.ui.errors.install_excepthook", lambda: None)
    clicked = []
    while_dialog_runs(lambda d: clicked.append(True) or qtbot.mouseClick(d.quit_button, Qt.MouseButton.LeftButton))
    assert run_gui(down_url(free_port())) == 1
    assert clicked == [True]


def test_escape_is_afsluiten(qtbot, settings):
    while_dialog_runs(lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape))
    assert start(qtbot, open_context(down_url(free_port()), settings), settings) is None


@pytest.mark.postgres
def test_opnieuw_proberen_starts_the_app_once_the_server_is_up(qtbot, settings, pg_url, message_boxes,
                                                               monkeypatch):
    """Issue 11: "Opnieuw proberen" while the server is still down says so and stays; once the server
    answers on that address, the same click starts the main window on the shared database. While it
    tries, the cursor is busy and the choices are disabled."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    db = _pg_db(pg_url)
    make_ctx(db)  # the remembered user exists on the server
    db.dispose()
    real = make_url(pg_url)
    port = free_port()
    url = real.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    during: list[tuple] = []
    real_open = app_module.open_context

    def open_and_watch(db_url, settings):
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, UnreachableDialog) and w.isVisible())
        cursor = QApplication.overrideCursor()
        during.append((cursor is not None and cursor.shape() == Qt.CursorShape.WaitCursor,
                       any(b.isEnabled() for b in dialog.choices())))
        return real_open(db_url, settings)

    opened = open_context(url, settings)
    assert isinstance(opened, ServerProblem)
    monkeypatch.setattr(app_module, "open_context", open_and_watch)
    seen: dict = {}
    relay: list[Forwarder] = []

    def retry_twice(dialog: UnreachableDialog) -> None:
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)  # still down
        seen["after_first"] = (dialog.isVisible(), dialog.status.text(), visible_texts(dialog))
        relay.append(Forwarder(port, (real.host, real.port or 5432)))  # the server comes up
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)

    while_dialog_runs(retry_twice)
    try:
        window = start(qtbot, opened, settings)
        assert window is not None
        assert window.ctx.db.dialect == "postgresql" and window.ctx.actor.name == "Sanne Secretaris"
        assert f"127.0.0.1:{port}" in window.ctx.db.location
        visible, status, texts = seen["after_first"]
        assert visible and status == "Het is opnieuw niet gelukt."
        assert_dutch_only(texts)
        assert during == [(True, False), (True, False)]  # busy, nothing clickable, both times
        assert QApplication.overrideCursor() is None  # restored
        window.close()
        window.ctx.db.dispose()
    finally:
        for r in relay:
            r.close()


def test_a_slow_attempt_shows_progress_and_keeps_the_window_responsive(qtbot, settings):
    """Issue 11: trying again runs off the UI thread: a progress dialog names the server while it waits;
    the server that does not answer is given up after the connect timeout."""
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    port = silent.getsockname()[1]
    url = down_url(port) + "?connect_timeout=2"
    try:
        opened = open_context(url, settings)
        assert "antwoordt niet binnen 2 seconden" in str(opened.error)
        seen: dict = {}

        def retry(dialog: UnreachableDialog) -> None:
            qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: any(isinstance(w, QProgressDialog) and w.isVisible()
                                        for w in QApplication.topLevelWidgets()), timeout=3000)
            progress = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)
                            and w.isVisible())
            seen["progress"] = progress.labelText()
            seen["busy"] = dialog.status.text()
            dialog.reject()  # Escape or the close button while trying: the attempt ends first
            seen["open_while_busy"] = dialog.isVisible()
            qtbot.waitUntil(lambda: dialog.retry_button.isEnabled(), timeout=8000)
            seen["after"] = dialog.status.text()
            qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)

        while_dialog_runs(retry)
        assert start(qtbot, opened, settings) is None
        assert seen["progress"] == seen["busy"] == f"Verbinding maken met server 127.0.0.1:{port}…"
        assert seen["after"] == "Het is opnieuw niet gelukt." and seen["open_while_busy"]
    finally:
        silent.close()
        tasks.wait_for_all()


@pytest.mark.postgres
def test_a_wrong_password_has_its_own_dutch_sentence(qtbot, settings, pg_url):
    """Issue 11: the user exists on the real server, the password is wrong."""
    url = make_url(pg_url).set(password="niet-het-goede-wachtwoord").render_as_string(hide_password=False)
    opened = open_context(url, settings)
    assert isinstance(opened, ServerProblem)
    server = f"{make_url(pg_url).host}:{make_url(pg_url).port or 5432}"
    seen = {}
    while_dialog_runs(lambda d: seen.update(texts=visible_texts(d)) or d.reject())
    assert start(qtbot, opened, settings) is None
    text = "\n".join(seen["texts"])
    assert "Aanmelden bij de databaseserver is mislukt" in text
    assert (f"De server {server} weigert de aanmelding van gebruiker commissie bij database "
            f"{make_url(pg_url).database}: de gebruikersnaam of het wachtwoord klopt niet.") in text
    assert "niet-het-goede-wachtwoord" not in text
    assert_dutch_only(seen["texts"])


def test_a_local_backup_opens_as_a_working_copy_and_stays_unchanged(qtbot, tmp_path, settings, sqlite_template,
                                                                    message_boxes, monkeypatch):
    """Issue 11: "Lokale database of back-up openen…" (issue 13: "Andere database kiezen…") starts the main window on the chosen file's data;
    a backup is copied first (read-only) and the copy is opened: the backup's bytes do not change."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    backup = demo_file(tmp_path / "usb", sqlite_template, backups=False).rename(tmp_path / "usb" / "reservekopie.sqlite")
    before = hashlib.sha256(backup.read_bytes()).hexdigest(), backup.stat().st_mtime_ns
    offered = choose_file(monkeypatch, backup)
    while_dialog_runs(lambda d: d.file_action.trigger())
    window = start(qtbot, open_context(down_url(free_port()), settings), settings)
    assert window is not None
    qtbot.waitUntil(lambda: window.ctx is not None)
    assert window.applications.model.rowCount() == 15  # the demo data of the backup
    location = Path(window.ctx.db.location)
    assert location.parent.name == "werkkopieen" and location != backup
    assert "*.sqlite" in offered[0] and "*.db" in offered[0]
    [(kind, title, text)] = message_boxes.shown
    assert kind == "information" and f"U werkt in een kopie van {backup}" in text and str(location) in text
    window.close()
    window.ctx.db.dispose()
    tasks.wait_for_all()
    assert (hashlib.sha256(backup.read_bytes()).hexdigest(), backup.stat().st_mtime_ns) == before
    assert sorted(p.name for p in backup.parent.iterdir()) == ["reservekopie.sqlite"]  # no journal left


def test_a_file_that_is_no_database_keeps_the_dialog_open(qtbot, tmp_path, settings, message_boxes, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    other = tmp_path / "notities.db"
    other.write_bytes(b"Dit is een tekstbestand, geen database." * 200)
    choose_file(monkeypatch, other)
    assert click_then_quit(qtbot, settings, "file_action")
    assert message_boxes.texts() == [f"Het bestand {other} is geen database of reservekopie van de Commissie-app."]


def test_a_review_package_needs_the_review_workspace(qtbot, settings, message_boxes, monkeypatch, tmp_path):
    """Issue 11: without the review workspace in this version, a Dutch message and the dialog stays."""
    offered = choose_file(monkeypatch, tmp_path / "vergadering.kippakket")
    monkeypatch.setitem(sys.modules, "commissie_app.ui.review_window", None)  # the module is not there
    assert click_then_quit(qtbot, settings, "package_button")
    assert "*.kippakket" in offered[0]
    assert message_boxes.texts("information") == ["Beoordelingspakketten openen kan in deze versie nog niet."]


def test_a_review_package_opens_through_the_review_workspace_hook(qtbot, settings, message_boxes, monkeypatch,
                                                                 tmp_path):
    """Issue 11: the package chosen goes to ``review_window.open_review_package(path)``; its window is
    what the app runs on."""
    package = tmp_path / "vergadering.kippakket"
    choose_file(monkeypatch, package)
    calls = []

    def open_review_package(path):
        calls.append(path)
        workspace = QWidget()
        workspace.setWindowTitle("Beoordelen")
        workspace.show()
        return workspace

    module = types.ModuleType("commissie_app.ui.review_window")
    module.open_review_package = open_review_package
    monkeypatch.setitem(sys.modules, "commissie_app.ui.review_window", module)
    while_dialog_runs(lambda d: qtbot.mouseClick(d.package_button, Qt.MouseButton.LeftButton))
    window = start(qtbot, open_context(down_url(free_port()), settings), settings)
    assert calls == [package]
    assert isinstance(window, QWidget) and window.windowTitle() == "Beoordelen" and not isinstance(window, Opened)
    assert message_boxes.shown == []
