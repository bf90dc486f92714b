"""Benchmark: `commissie-app import-applications` of a generated CSV file, wall time and peak memory.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--rows 100000] [--db postgresql+psycopg://...] [--json]

For each ``--rows`` (default 10,000) a CSV file is generated (all new organisations, two criteria,
a 200-character mission, as the kill test's files) and imported with the real command line into
a fresh, migrated database, as a separate process: the seconds are the wall time of that process
(interpreter start included), the memory its peak resident set size (``wait4``'s ``ru_maxrss``).
The same file is then imported a second time (everything already present) and the database is
checked to hold one application and two audit events (organisation, application) per row.

SQLite runs always, in a temporary directory. With ``--db URL`` (a PostgreSQL server URL) the
benchmark also creates a scratch database next to the one named, migrates it, and drops it after.
Targets: 10,000 rows <= 8 s (issue 8); peak memory < 400 MB at 100,000 rows (issue 9, item 15).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from commissie_app.db import migrate  # noqa: E402
from commissie_app.db.engine import make_engine  # noqa: E402
from commissie_app.db.models import Application, AuditEvent  # noqa: E402
from commissie_app.services.import_file import COLUMNS  # noqa: E402
from scratch_pg import ScratchPostgres  # noqa: E402  (bench/ is on sys.path: the script's folder)


def generate(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(COLUMNS)
        for i in range(rows):
            w.writerow([
                f"Groot Importbedrijf {i} Coöperatie", f"{10000000 + i:08d}", "coöperatie", "Velsen", f"Dijk {i}",
                "1971 AB", "IJmuiden", "Jan Jansen", f"info{i}@voorbeeld.nl", "0255 123 456", "www.voorbeeld.nl",
                "01-01-2020", "Werk voor mensen met afstand tot de arbeidsmarkt. " * 4, "werk en participatie",
                "PSO30|SE_NL", "01-11-2026",
            ])
    return path


def measured_import(url: str, csv_path: Path, home: Path) -> tuple[float, float, str]:
    return measured_command(url, ["import-applications", str(csv_path)], home)


# ``python -c WAIT4_HELPER CMD...``: runs CMD, waits for it with wait4 and prints its wall time, peak resident
# memory (ru_maxrss of that child alone), exit status and output as JSON (also used by bench_review_packages.py).
WAIT4_HELPER = (
    "import os, subprocess, sys, time, json\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
    "out = p.stdout.read(); err = p.stderr.read()\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(json.dumps({'seconds': time.perf_counter() - t, 'rss_kb': usage.ru_maxrss,\n"
    "                  'status': os.waitstatus_to_exitcode(status), 'out': out.decode(), 'err': err.decode()}))\n"
)


def measured_command(url: str, command: list[str], home: Path, allowed: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Run a command under a small helper that waits for it with wait4 (exact peak RSS of that process)."""
    helper = WAIT4_HELPER
    env = {**os.environ, "COMMISSIE_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", helper, sys.executable, "-m", "commissie_app", "--db", url,
                           "--als", "Bench Secretaris", *command], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    report = json.loads(done.stdout)
    if report["status"] not in allowed:
        raise SystemExit(f"{command[0]} failed ({report['status']}): {report['err']}")
    return report["seconds"], report["rss_kb"] / 1024, (report["out"] + report["err"]).strip()


def check(url: str, rows: int) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        apps = conn.execute(select(func.count()).select_from(Application)).scalar()
        audits = conn.execute(select(func.count()).select_from(AuditEvent).where(  # not the user's own record
            AuditEvent.entity_type.in_(("organisation", "application")))).scalar()
    engine.dispose()
    if (apps, audits) != (rows, 2 * rows):
        raise SystemExit(f"unexpected contents: {apps} applications, {audits} audit events for {rows} rows")


def bench(label: str, url: str, rows: int, work: Path) -> dict:
    csv_path = generate(work / f"import-{rows}.csv", rows)
    engine = make_engine(url)
    migrate.upgrade(engine, backup=False)
    engine.dispose()
    home = work / f"home-{label}-{rows}"
    seconds, peak, out = measured_import(url, csv_path, home)
    check(url, rows)
    again_s, again_peak, again_out = measured_import(url, csv_path, home)
    check(url, rows)
    return {"database": label, "rows": rows, "seconds": round(seconds, 2), "peak_mb": round(peak, 1),
            "ms_per_row": round(1000 * seconds / rows, 3), "summary": out,
            "again_seconds": round(again_s, 2), "again_peak_mb": round(again_peak, 1), "again_summary": again_out}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, action="append", help="rows per file (repeatable; default 10000)")
    p.add_argument("--db", metavar="URL", help="also on this PostgreSQL server (a scratch database is made there)")
    p.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        for rows in args.rows or [10_000]:
            if not args.no_sqlite:
                results.append(bench("sqlite", f"sqlite:///{work / f'bench-{rows}.sqlite'}", rows, work))
            if args.db:
                with ScratchPostgres(args.db, f"import_{rows}") as url:
                    results.append(bench("postgresql", url, rows, work))
    if args.json:
        print(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(), "results": results}, indent=2))
    else:
        print(f"{'database':<11} {'rows':>8} {'seconds':>8} {'ms/row':>7} {'peak MB':>8}   again: s / MB")
        for r in results:
            print(f"{r['database']:<11} {r['rows']:>8} {r['seconds']:>8.2f} {r['ms_per_row']:>7.3f} {r['peak_mb']:>8.1f}"
                  f"   {r['again_seconds']:.2f} / {r['again_peak_mb']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
