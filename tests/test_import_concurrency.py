"""Issue 9, item 14: an import next to another writer waits, retries, and ends in success or a Dutch message."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from commissie_app.db.engine import Database
from commissie_app.db.models import Application, AuditEvent
from commissie_app.domain.errors import DatabaseBusyError
from commissie_app.services import importing
from commissie_app.services.applications import register_application
from commissie_app.services.transfer import import_applications
from commissie_app.services.context import ServiceContext
from tests.conftest import TODAY, make_ctx
from tests.factories import app_data, org_data
from tests.test_import_kill import generate

ROOT = Path(__file__).resolve().parents[1]


def applications(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Application))


@pytest.fixture
def impatient_sqlite(sqlite_db):
    """The SQLite database, with a busy timeout of 0.2 s instead of 10 s (so a test need not wait long),
    and a second connection that holds the write lock as another import or a letters run would."""
    event.listen(sqlite_db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA busy_timeout=200"))
    other = sqlite3.connect(sqlite_db.engine.url.database, isolation_level=None, check_same_thread=False)
    yield sqlite_db, other
    other.close()


def test_a_locked_sqlite_database_is_a_dutch_message_not_exit_3(impatient_sqlite, monkeypatch, tmp_path):
    """Issue 9, item 14: "database is locked" became exit 3; now the import (after its retries) and any
    other service say in Dutch that the database is busy, and nothing is written."""
    db, other = impatient_sqlite
    ctx = make_ctx(db)
    path = generate(tmp_path / "f.csv", 20)
    monkeypatch.setattr(importing, "ATTEMPTS", 2)
    monkeypatch.setattr(importing, "FIRST_PAUSE", 0.05)
    other.execute("BEGIN IMMEDIATE")

    with pytest.raises(DatabaseBusyError, match="De database is bezet"):
        import_applications(ctx, path)
    with pytest.raises(DatabaseBusyError, match="Er is niets opgeslagen"):
        register_application(ctx, org_data(), app_data())

    other.execute("ROLLBACK")
    assert applications(db) == 0


def test_an_import_waits_for_a_writer_that_finishes(impatient_sqlite, tmp_path):
    """Issue 9, item 14: a busy database is waited for: the import retries and succeeds once the lock is free."""
    db, other = impatient_sqlite
    path = generate(tmp_path / "f.csv", 50)
    ctx = make_ctx(db)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, lambda: other.execute("COMMIT")).start()

    result = import_applications(ctx, path)

    assert result.new_applications == 50 and applications(db) == 50


def test_two_imports_of_one_file_at_the_same_moment(db, tmp_path):
    """Issue 9, item 14: both imports are in their write phase at once (a barrier in the progress callback);
    the loser used to fail at an intermediate batch (exit 3); now it starts again and finds every row present."""
    path = generate(tmp_path / "f.csv", 1_200)  # more than one write batch
    barrier = threading.Barrier(2, timeout=60)
    results, errors = [], []
    actor = make_ctx(db).actor

    def run() -> None:
        waited = []

        def progress(done: int, total: int) -> None:
            if done > total // 2 and not waited:  # the first row of the write phase, once
                waited.append(True)
                barrier.wait()

        try:
            # Each thread its own Database (engine and pool), as two processes would have.
            ctx = ServiceContext(Database(db.url), actor, today=lambda: TODAY)
            results.append(import_applications(ctx, path, progress=progress))
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)

    assert errors == []
    assert sorted((r.new_applications, r.already_present) for r in results) == [(0, 1_200), (1_200, 0)]
    assert applications(db) == 1_200
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 2 * 1_200


@pytest.mark.slow
def test_two_import_processes_with_big_files_both_succeed(db, tmp_path):
    """Issue 9, item 14: on SQLite the first import held the write lock for its whole write phase and the
    second failed after 10 s with "database is locked" (exit 3). Two real processes, 20,000 rows each."""
    files = [generate(tmp_path / f"f{n}.csv", 20_000) for n in (1, 2)]
    second = files[1].read_text(encoding="utf-8-sig").replace(";6", ";7")  # other KvK numbers: 7000xxxx
    files[1].write_text(second, encoding="utf-8-sig")
    make_ctx(db)  # the user both processes act as
    db.dispose()
    procs = [subprocess.Popen([sys.executable, "-m", "commissie_app", "--db", db.url, "--als", "Sanne Secretaris", "import-applications", str(f)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outcomes = [(p.wait(timeout=600), *p.communicate()) for p in procs]

    assert [code for code, _out, _err in outcomes] == [0, 0], outcomes
    assert all(out.startswith("Import voltooid: 20000 nieuwe aanvragen") for _code, out, _err in outcomes)
    assert applications(db) == 40_000
