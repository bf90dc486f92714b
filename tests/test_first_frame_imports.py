"""Issue 8 (start-up to the rows): what the first frame does not need is not imported before it, and
the log file still rotates although its handler is made at the first record."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from commissie_app import logging_setup
from tests.damaged_db import demo_file

# Modules a start of the window with its rows does not need; each cost start-up time before (see
# docs/performance.md, "Start-up: what the first frame imports").
NOT_FOR_THE_FIRST_FRAME = (
    "sqlalchemy",  # the database the full way: after the first frame
    "logging.handlers",  # sockets, pickle: the log file is opened at the first record
    "commissie_app.domain.validation",  # the list shows dates only (domain/dates.py)
    "commissie_app.ui.widgets",  # date fields, banners, calendar: the list needs ui/labels.py only
    "commissie_app.services.context",  # dataclasses: the context comes after the first frame
    "zoneinfo",  # local times of stored moments: not in the list
    "uuid",  # the list keeps ids as text (ApplicationRow.application_id makes the UUID)
)

FIRST_FRAME = """
import os, sys
from commissie_app.ui import app

def first_frame(window, *args):
    model = window.applications.model
    print(model.rowCount(), model.data(model.index(0, 0)), window.isVisible())
    print(" ".join(m for m in NOT_FOR_THE_FIRST_FRAME if m in sys.modules) or "-", flush=True)
    os._exit(0)

app.after_first_frame = first_frame
from commissie_app.cli import main
main(["--db", sys.argv[1]])
"""


def test_the_first_frame_shows_the_rows_without_the_modules_it_does_not_need(tmp_path, sqlite_template):
    """Issue 8: through the real front door, the window's first frame has the rows, and none of the
    modules that only later work needs (dialogs, validation, SQLAlchemy, the log file's handler) is imported."""
    path = demo_file(tmp_path / "data", sqlite_template, backups=False)
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"user_name": "Sanne", "user_role": "secretary"}))
    code = f"NOT_FOR_THE_FIRST_FRAME = {NOT_FOR_THE_FIRST_FRAME!r}\n" + FIRST_FRAME
    proc = subprocess.run([sys.executable, "-c", code, f"sqlite:///{path}"], capture_output=True, text=True,
                          env=dict(os.environ, COMMISSIE_HOME=str(home), QT_QPA_PLATFORM="offscreen"),
                          timeout=120, cwd=Path(__file__).parents[1])
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout + proc.stderr
    rows, rest = lines[0].split(" ", 1)
    first_name, visible = rest.rsplit(" ", 1)
    assert (rows, visible) == ("15", "True") and first_name.strip(), lines[0]
    assert lines[1] == "-", f"imported before the first frame: {lines[1]}"


def test_the_log_file_rotates_with_its_handler_made_at_the_first_record(tmp_path, monkeypatch):
    """Issue 8: the log file is written and rotated as before (size limit, five old files kept), although
    ``logging.handlers`` is imported only when the first record is written."""
    monkeypatch.setenv("COMMISSIE_HOME", str(tmp_path))
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 400)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = logging_setup.setup_logging()
        assert path == tmp_path / "log" / "commissie-app.log"
        assert not path.exists()  # nothing logged yet
        for i in range(40):
            logging.getLogger("commissie_app.test").info("regel %d met wat tekst om het bestand te vullen", i)
        handler = next(h for h in root.handlers if h not in before)
        handler.flush()
        assert "INFO commissie_app.test: regel 39 met wat tekst" in path.read_text(encoding="utf-8")
        assert path.stat().st_size <= 400
        old = sorted(p.name for p in path.parent.glob("commissie-app.log.*"))
        assert old == [f"commissie-app.log.{i}" for i in range(1, 6)]
        newest_old = (path.parent / "commissie-app.log.1").read_text(encoding="utf-8").splitlines()
        current = path.read_text(encoding="utf-8").splitlines()
        number = lambda line: int(line.split("regel ")[1].split()[0])  # noqa: E731
        assert number(newest_old[-1]) + 1 == number(current[0])  # nothing lost at the rollover
    finally:
        for h in root.handlers[:]:
            if h not in before:
                root.removeHandler(h)
                h.close()
