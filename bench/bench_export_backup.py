"""Time and peak memory of the export (CSV, XLSX) and the backup, on SQLite and on PostgreSQL.

Issue 9, item 15: at 100,000 applications and 1 GB of attachments each of them must stay under
400 MB peak memory. The default size is moderate so a run takes a few minutes:

    .venv/bin/python bench/bench_export_backup.py                       # 10,000 rows, 100 MB
    .venv/bin/python bench/bench_export_backup.py --rows 100000 --attachments-mb 1024
    .venv/bin/python bench/bench_export_backup.py --backends sqlite --json
    .venv/bin/python bench/bench_export_backup.py --source /tmp/old     # the app code of another checkout

Each measured step runs the real command line (`python -m commissie_app --db URL export-applications
FILE` or `backup FILE`) in a child process of its own under GNU ``/usr/bin/time``, which reports the
child's wall time and peak resident memory (``ru_maxrss`` of that child alone). A "baseline" child
only imports the same modules and opens the database, to show what any command costs.
On PostgreSQL the benchmark creates a database of its own (``commissie_bench_<pid>``) on the server of
``--pg-url`` and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch_pg import ScratchPostgres  # noqa: E402  (bench/ is on sys.path: the script's folder)

TARGET_MB = 400
TIME = "/usr/bin/time"  # GNU time (Debian package "time")
CHUNK_ROWS = 5000
PG_URL = "postgresql+psycopg://commissie:commissie@127.0.0.1:5432/postgres"
MUNICIPALITIES = ["Haarlem", "Bloemendaal", "Heemstede", "Zandvoort", "Velsen", "Heemskerk", "Beverwijk"]
CRITERIA = ["CODE_SO", "SE_NL", "PSO30", "NON_PROFIT", "BCORP", "STARTUP"]

BASELINE_CHILD = """
import sys
import commissie_app, commissie_app.cli, commissie_app.services.transfer, commissie_app.services.backup, openpyxl
from commissie_app.bootstrap import open_database
from sqlalchemy import func, select
from commissie_app.db.models import Application
db = open_database(sys.argv[1])
with db.session() as s:
    print(s.scalar(select(func.count()).select_from(Application)), commissie_app.__file__)
"""


# -- building the database -------------------------------------------------------------------------


def build(url: str, rows: int, attachments_mb: int, file_kb: int) -> float:
    """Migrate and fill: ``rows`` organisations with one application each, and the attachments."""
    from sqlalchemy import insert

    from commissie_app.db import migrate
    from commissie_app.db.engine import make_engine
    from commissie_app.db.models import Application, Attachment, Evidence, Organisation, StatusChange

    start = time.perf_counter()
    engine = make_engine(url)
    migrate.upgrade(engine, backup=False)
    rnd = random.Random(2026)
    now = dt.datetime.now(dt.timezone.utc)
    app_ids: list[uuid.UUID] = []
    with engine.begin() as conn:
        for first in range(0, rows, CHUNK_ROWS):
            orgs, apps, evidence, changes = [], [], [], []
            for i in range(first, min(first + CHUNK_ROWS, rows)):
                org_id, app_id = uuid.uuid4(), uuid.uuid4()
                app_ids.append(app_id)
                received = dt.date(2026, 11, 23) - dt.timedelta(days=rnd.randrange(900))
                orgs.append(dict(
                    id=org_id, version=1, created_at=now, updated_at=now, name=f"Voorbeeldorganisatie {i + 1}",
                    kvk=f"{10_000_000 + i:08d}", legal_form="stichting", municipality=rnd.choice(MUNICIPALITIES),
                    street=f"Voorbeeldstraat {i % 200 + 1}", postcode="2011 AA", place="Haarlem",
                    contact_person="Voorbeeld Persoon", email=f"info@org{i}.example.nl", phone="+31 23 555 0000",
                    website=f"www.org{i}.example.nl", founded_on=dt.date(2010, 1, 1),
                    mission="Fictieve organisatie voor de benchmark; werk voor mensen met afstand tot de arbeidsmarkt.",
                    impact_domains=["work", "care"]))
                apps.append(dict(id=app_id, version=1, created_at=now, updated_at=now, organisation_id=org_id,
                                 received_on=received, status="received", notes="", info_requested="", info_due_on=None))
                for code in rnd.sample(CRITERIA, rnd.choice([1, 1, 2, 3])):
                    evidence.append(dict(id=uuid.uuid4(), application_id=app_id, criterion=code, reference=f"REF-{i}",
                                         valid_until=None))
                changes.append(dict(id=uuid.uuid4(), application_id=app_id, from_status=None, to_status="received",
                                    at=now, on_date=received, by="benchmark", remark=""))
            conn.execute(insert(Organisation), orgs)
            conn.execute(insert(Application), apps)
            conn.execute(insert(Evidence), evidence)
            conn.execute(insert(StatusChange), changes)
        size = file_kb * 1024
        blocks = [os.urandom(size) for _ in range(8)]  # incompressible, like real PDFs and photos
        files = attachments_mb * 1024 // file_kb
        per_insert = max(1, 16 * 1024 * 1024 // size)
        for first in range(0, files, per_insert):
            conn.execute(insert(Attachment), [dict(
                id=uuid.uuid4(), application_id=rnd.choice(app_ids), criterion=None, filename=f"bewijs-{n}.pdf",
                content_type="application/pdf", size=size, sha256=f"{n:064x}", data=blocks[n % len(blocks)],
                added_at=now, added_by="benchmark") for n in range(first, min(first + per_insert, files))])
    engine.dispose()
    return time.perf_counter() - start


def data_size(url: str) -> int:
    from sqlalchemy import text

    from commissie_app.db.engine import make_engine, sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return path.stat().st_size
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT pg_database_size(current_database())"))
    finally:
        engine.dispose()


# -- measuring ---------------------------------------------------------------------------------------


def measure(args: list[str], env: dict) -> dict:
    """Run one child under /usr/bin/time: its wall time and its own peak resident memory.

    Not ``os.wait4`` from this process: Linux starts a child's ``ru_maxrss`` at the size of the
    process that forked it (here the benchmark, which has just built the database), whereas
    ``time`` is small, so what it reports is the command's own peak.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as figures, tempfile.TemporaryFile() as out:
        proc = subprocess.run([TIME, "-f", "%e %M", "-o", figures.name, *args], env=env, stdout=out,
                              stderr=subprocess.STDOUT, cwd=env["COMMISSIE_HOME"])  # not this checkout's folder
        out.seek(0)
        output = out.read().decode(errors="replace").strip()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args[3:])} failed ({proc.returncode}):\n{output}")
        seconds, kb = figures.read().split()[-2:]
    return {"seconds": float(seconds), "peak_mb": round(int(kb) / 1024, 1), "output": output[-200:]}


def run_backend(name: str, url: str, work: Path, env: dict, opts) -> dict:
    build_s = build(url, opts.rows, opts.attachments_mb, opts.file_kb)
    result = {"backend": name, "rows": opts.rows, "attachments_mb": opts.attachments_mb,
              "build_seconds": round(build_s, 1), "data_mb": round(data_size(url) / 2**20, 1)}
    app = [sys.executable, "-m", "commissie_app", "--db", url, "--als", "Bench Secretaris"]
    result["baseline"] = measure([sys.executable, "-c", BASELINE_CHILD, url], env)
    result["code"] = str(Path(result["baseline"]["output"].split()[-1]).parents[1])  # the package measured
    for step, args in (("export_csv", app + ["export-applications", str(work / f"{name}.csv")]),
                       ("export_xlsx", app + ["export-applications", str(work / f"{name}.xlsx")]),
                       ("backup", app + ["backup", str(work / f"{name}-kopie.sqlite")])):
        result[step] = measure(args, env)
        print(f"  {name} {step}: {result[step]['seconds']} s, {result[step]['peak_mb']} MB", file=sys.stderr)
    result["backup_mb"] = round((work / f"{name}-kopie.sqlite").stat().st_size / 2**20, 1)
    return result


def run(opts) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, COMMISSIE_HOME=str(work / "home"))
        (work / "home").mkdir()
        if opts.source:
            env["PYTHONPATH"] = str(Path(opts.source).resolve())
        for name in opts.backends:
            print(f"{name}: building {opts.rows:,} rows and {opts.attachments_mb} MB of attachments…", file=sys.stderr)
            if name == "sqlite":
                results.append(run_backend(name, f"sqlite:///{work / 'bench.sqlite'}", work, env, opts))
            else:
                with ScratchPostgres(opts.pg_url, "export") as url:
                    results.append(run_backend(name, url, work, env, opts))
            for f in work.glob("*.sqlite*"):
                f.unlink()  # room on the disk for the next backend
    return results


def print_table(results: list[dict]) -> None:
    print(f"app code measured: {results[0]['code']}")
    print(f"{'backend':<11} {'rows':>8} {'files MB':>8} {'data MB':>8} | {'step':<12} {'seconds':>8} {'peak MB':>8}  ok")
    for r in results:
        head = f"{r['backend']:<11} {r['rows']:>8,} {r['attachments_mb']:>8} {r['data_mb']:>8} |"
        for step in ("baseline", "export_csv", "export_xlsx", "backup"):
            m = r[step]
            ok = "" if step == "baseline" else ("yes" if m["peak_mb"] < TARGET_MB else "NO")
            print(f"{head} {step:<12} {m['seconds']:>8} {m['peak_mb']:>8}  {ok}")
            head = " " * (len(head) - 1) + "|"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=10_000, help="applications (one organisation each); 100000 for the target")
    p.add_argument("--attachments-mb", type=int, default=100, help="MB of attachments in total; 1024 for the target")
    p.add_argument("--file-kb", type=int, default=1024, help="size of one attachment in KB")
    p.add_argument("--backends", type=lambda s: s.split(","), default=["sqlite", "postgresql"])
    p.add_argument("--pg-url", default=os.environ.get("COMMISSIE_BENCH_PG_URL", PG_URL),
                   help="a PostgreSQL server where the benchmark may create and drop a database")
    p.add_argument("--source", help="run the children with the commissie_app package of this folder (e.g. an older checkout)")
    p.add_argument("--json", action="store_true")
    opts = p.parse_args()
    results = run(opts)
    if opts.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)
    return 0 if all(r[s]["peak_mb"] < TARGET_MB for r in results for s in ("export_csv", "export_xlsx", "backup")) else 1


if __name__ == "__main__":
    raise SystemExit(main())
