"""Issue 8: the list read at start-up with ``sqlite3`` (no SQLAlchemy) is the list SQLAlchemy reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from commissie_app.db import list_query
from commissie_app.db.engine import Database
from commissie_app.services.application_rows import list_rows
from tests.conftest import make_ctx
from tests.damaged_db import demo_file, overwrite_pages, root_page


def test_the_start_up_read_gives_the_rows_sqlalchemy_gives(tmp_path, sqlite_template):
    path = demo_file(tmp_path, sqlite_template)
    fast = list_query.read_current_sqlite(path)
    ctx = make_ctx(Database(f"sqlite:///{path}"))
    assert fast is not None and len(fast) == 15
    assert sorted(fast, key=lambda r: r.id) == sorted(list_rows(ctx), key=lambda r: r.id)
    assert any(r.criteria for r in fast)
    ctx.db.dispose()


def test_the_start_up_read_declines_what_needs_the_full_way(tmp_path, sqlite_template):
    """A missing file, an upgrade due, a damaged list: None, so that bootstrap.open_database says why or upgrades."""
    assert list_query.read_current_sqlite(tmp_path / "missing.sqlite") is None
    old = demo_file(tmp_path / "old", sqlite_template)
    db = Database(f"sqlite:///{old}")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.dispose()
    assert list_query.read_current_sqlite(old) is None
    damaged = demo_file(tmp_path / "damaged", sqlite_template)
    overwrite_pages(damaged, [root_page(damaged, "organisations")])
    assert list_query.read_current_sqlite(damaged) is None


def test_the_app_reads_the_rows_of_a_sqlite_file_before_importing_sqlalchemy(tmp_path, sqlite_template):
    path = demo_file(tmp_path / "data", sqlite_template)
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"user_name": "Sanne", "user_role": "secretary"}))
    code = ("import sys; from commissie_app.settings import LocalSettings; from commissie_app.ui.app import open_context;"
            f"o = open_context('sqlite:///{path}', LocalSettings());"
            "print(o.ctx, len(o.rows), 'sqlalchemy' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, COMMISSIE_HOME=str(home)),
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[1], check=True)
    assert proc.stdout.split() == ["None", "15", "False"]
