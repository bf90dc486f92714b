"""An import is one transaction: killing it halfway, or one bad row among many, leaves the database as it was."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from commissie_app.db.models import Base
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import ImportFileError
from commissie_app.services.applications import register_application
from commissie_app.services.transfer import COLUMNS, import_applications
from tests.factories import app_data, org_data

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def generate(path: Path, n: int, bad_row: int | None = None) -> Path:
    """A large valid file; ``bad_row`` (spreadsheet numbering) gets an unknown municipality."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(COLUMNS)
        for i in range(n):
            w.writerow([
                f"Groot Importbedrijf {i} Coöperatie", f"{60000000 + i:08d}", "coöperatie",
                "Amsterdam" if i + 2 == bad_row else "Velsen", f"Dijk {i}", "1971 AB", "IJmuiden", "Jan Jansen",
                f"info{i}@voorbeeld.nl", "0255 123 456", "www.voorbeeld.nl", "01-01-2020",
                "Werk voor mensen met afstand tot de arbeidsmarkt. " * 4, "werk en participatie", "PSO30|SE_NL",
                "01-11-2026",
            ])
    return path


def seed(ctx) -> None:
    """What the database holds before the import: some rows of every kind."""
    register_application(ctx, org_data(kvk="01234567"), app_data(Criterion.PSO30))
    register_application(ctx, org_data(kvk="07654321", name="Tweede BV"), app_data(Criterion.BCORP))
    import_applications(ctx, DATA / "aanvragen_excel_nl.csv")


def state(ctx) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the full contents of every table."""
    out = {}
    with ctx.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(table.select()))
            out[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def written_bytes(ctx, wal: Path | None) -> int:
    """How much the import has written so far: the WAL file (SQLite) or the table's pages (PostgreSQL)."""
    if wal is not None:
        return wal.stat().st_size if wal.exists() else 0
    with ctx.db.engine.connect() as conn:
        return conn.execute(text("SELECT pg_relation_size('audit_events') + pg_relation_size('organisations')")).scalar()


@pytest.mark.slow
def test_killing_an_import_halfway_leaves_the_database_as_it_was(ctx, tmp_path):
    seed(ctx)
    before = state(ctx)
    big = generate(tmp_path / "groot.csv", 20_000)
    wal = None
    if ctx.db.dialect == "sqlite":
        wal = Path(ctx.db.engine.url.database + "-wal")
    ctx.db.dispose()  # no connection of ours in the way (SQLite checkpoints and removes the WAL)
    baseline = written_bytes(ctx, wal)
    ctx.db.dispose()
    log = Path(os.environ["COMMISSIE_HOME"]) / "log" / "commissie-app.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "commissie_app", "--db", ctx.db.url, "--als", "Sanne Secretaris", "import-applications", str(big)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        # Wait until the import is writing (all rows checked), then until it has written a good
        # deal of its one transaction, then kill it without any chance to clean up.
        deadline = time.monotonic() + 240
        phase = "checking"
        while time.monotonic() < deadline and proc.poll() is None:
            if phase == "checking":
                if log.exists() and "rows checked, writing" in log.read_text(encoding="utf-8"):
                    phase = "writing"
            elif written_bytes(ctx, wal) > baseline + 2_000_000:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"the import ended before it could be killed: {proc.communicate()}"
        assert phase == "writing", "the import did not reach its writing phase in time"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    if wal is not None:
        with ctx.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    else:  # the server rolls back the transaction of a client that went away
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with ctx.db.engine.connect() as conn:
                busy = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state <> 'idle'")).scalar()
            if not busy:
                break
            time.sleep(0.1)
    assert state(ctx) == before


def test_one_bad_row_among_many_writes_nothing(ctx, tmp_path):
    seed(ctx)
    before = state(ctx)
    path = generate(tmp_path / "bijna-goed.csv", 1_500, bad_row=1_234)

    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, path)

    assert [(r, c) for r, c, _ in exc.value.problems] == [(1_234, "gemeente")]
    assert state(ctx) == before
