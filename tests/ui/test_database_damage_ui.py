"""Issue 9, item 13 (database part) in the desktop app: a damaged file, a mistyped --db path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commissie_app.settings import LocalSettings
from commissie_app.ui import tasks
from commissie_app.ui.app import open_context, start_window
from tests.damaged_db import BACKUPS, demo_file, overwrite_pages, root_page


@pytest.fixture
def settings(tmp_path) -> LocalSettings:
    s = LocalSettings(tmp_path / "settings.json")
    s.set("user_name", "Sanne Secretaris")
    return s


def start(qtbot, url: str, settings):
    window = start_window(open_context(url, settings), settings)
    if window is not None:
        qtbot.addWidget(window)
    return window


def test_the_app_refuses_a_damaged_file_in_dutch_naming_the_latest_backup(
        qtbot, tmp_path, sqlite_template, settings, message_boxes, problem_dialogs):
    """Issue 9, item 13: before, the dialog showed SQLAlchemy's English ("database disk image is malformed")."""
    path = demo_file(tmp_path / "data", sqlite_template)
    overwrite_pages(path, [root_page(path, "organisations")])
    assert start(qtbot, f"sqlite:///{path}", settings) is None
    [(kind, title, text)] = message_boxes.shown
    assert (kind, title) == ("critical", "Database niet te openen")
    assert f"Het databasebestand {path} is beschadigd" in text and BACKUPS[-1] in text
    assert "malformed" not in text and "DatabaseError" not in text


def test_the_app_checks_the_whole_file_in_the_background_after_opening_it(
        qtbot, tmp_path, sqlite_template, settings, message_boxes, monkeypatch):
    """Issue 9, item 13: damage the list never reads (an index of the audit trail) is found by the
    check that runs off the UI thread once the window is on screen."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    path = demo_file(tmp_path / "data", sqlite_template)
    overwrite_pages(path, [root_page(path, "ix_audit_events_at")])
    window = start(qtbot, f"sqlite:///{path}", settings)
    assert window is not None and window.applications.model.rowCount() == 15  # the list itself is readable
    qtbot.waitUntil(lambda: bool(message_boxes.shown))
    [(kind, title, text)] = message_boxes.shown
    assert (kind, title) == ("warning", "Database beschadigd")
    assert f"Het databasebestand {path} is beschadigd" in text and BACKUPS[-1] in text


def test_a_sound_file_passes_the_background_check_silently(qtbot, tmp_path, sqlite_template, settings,
                                                           message_boxes, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    path = demo_file(tmp_path / "data", sqlite_template)
    window = start(qtbot, f"sqlite:///{path}", settings)
    qtbot.waitUntil(lambda: window.warning_banner.text() != "")  # after the first frame
    assert message_boxes.shown == []


def test_the_app_refuses_a_mistyped_path_and_creates_nothing(qtbot, tmp_path, settings, message_boxes, problem_dialogs):
    """Issue 9, item 13: before, the app opened a new, empty database at the mistyped place."""
    path = tmp_path / "typo" / "comissie.sqlite"
    assert start(qtbot, f"sqlite:///{path}", settings) is None
    [(kind, _title, text)] = message_boxes.shown
    assert kind == "critical" and f"Het databasebestand {path} bestaat niet" in text
    assert not path.parent.exists()


def test_screenshot_of_a_file_that_is_not_sqlite_fails_with_the_dutch_message(tmp_path):
    """Issue 9, item 13: the command-line start of the app on a file that is no database."""
    path = tmp_path / "commissie.sqlite"
    path.write_bytes(b"PK\x03\x04 dit is een zip-bestand, geen database" * 100)
    out = tmp_path / "shot.png"
    env = dict(os.environ, COMMISSIE_HOME=str(tmp_path / "home"))
    proc = subprocess.run([sys.executable, "-m", "commissie_app", "--db", f"sqlite:///{path}", "--screenshot",
                           str(out)], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2])
    assert proc.returncode == 1
    assert f"Het databasebestand {path} is beschadigd" in proc.stderr and "geen reservekopie" in proc.stderr
    assert "not a database" not in proc.stderr and not out.exists()
