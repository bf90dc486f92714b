"""Benchmark: `commissie-app audit verify` on a long audit trail, wall time and peak memory (issue 10).

    .venv/bin/python bench/bench_audit_verify.py [--events 100000] [--db postgresql+psycopg://...] [--json]

A fresh, migrated database gets ``--events`` audit events (as the import writes them: chained by
``db/audit_chain.insert_events`` in batches of 1,000, with an application's values) and the real
command line checks them as a separate process, once intact and once after one event near the end
was edited past the append-only trigger. Seconds are the wall time of that process (interpreter
start included), memory its peak resident set size; the same command on an empty database gives
the memory the log itself does not account for. SQLite always; PostgreSQL in a scratch database
next to the one ``--db`` names.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import update  # noqa: E402

from bench_import import measured_command  # noqa: E402  (bench/ is on sys.path: the script's folder)
from commissie_app.db import migrate  # noqa: E402
from commissie_app.db.audit_chain import insert_events  # noqa: E402
from commissie_app.db.engine import make_engine  # noqa: E402
from commissie_app.db.models import AuditEvent  # noqa: E402
from scratch_pg import ScratchPostgres  # noqa: E402

BATCH = 1000


def fill(url: str, events: int) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine, backup=False)
    with engine.begin() as conn:
        for start in range(0, events, BATCH):
            insert_events(conn, [{
                "actor": "Sanne Secretaris", "action": "create", "entity_type": "application",
                "entity_id": str(uuid.uuid4()), "old_values": None,
                "new_values": {"organisation": f"Groot Importbedrijf {i} Coöperatie", "kvk": f"{10000000 + i:08d}",
                               "received_on": "2026-11-01", "status": "ontvangen", "criteria": ["PSO30", "SE_NL"],
                               "notes": "Werk voor mensen met afstand tot de arbeidsmarkt. " * 2},
            } for i in range(start, min(events, start + BATCH))])
    engine.dispose()


def tamper(url: str, seq: int) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        pg = engine.dialect.name == "postgresql"
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER trg_audit_events" if pg
                             else "DROP TRIGGER trg_audit_events_update")
        conn.execute(update(AuditEvent.__table__).where(AuditEvent.__table__.c.seq == seq).values(actor="Iemand"))
        if pg:
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER trg_audit_events")
    engine.dispose()


def bench(label: str, url: str, empty_url: str, events: int, work: Path) -> dict:
    home = work / f"home-{label}"
    fill(empty_url, 0)
    _s, empty_mb, _out = measured_command(empty_url, ["audit", "verify"], home)
    fill(url, events)
    seconds, peak, out = measured_command(url, ["audit", "verify"], home)
    tamper(url, events - 10)
    broken_s, broken_mb, broken_out = measured_command(url, ["audit", "verify"], home, allowed=(1,))
    return {"database": label, "events": events, "seconds": round(seconds, 2), "peak_mb": round(peak, 1),
            "empty_peak_mb": round(empty_mb, 1), "broken_seconds": round(broken_s, 2),
            "broken_peak_mb": round(broken_mb, 1), "out": out, "broken_out": broken_out}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--db", metavar="URL", help="also on this PostgreSQL server (scratch databases are made there)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        work = Path(tmp)
        results = [bench("sqlite", f"sqlite:///{work / 'full.sqlite'}", f"sqlite:///{work / 'empty.sqlite'}",
                         args.events, work)]
        if args.db:
            with ScratchPostgres(args.db, "audit_full") as url, ScratchPostgres(args.db, "audit_empty") as empty:
                results.append(bench("postgresql", url, empty, args.events, work))
    if args.json:
        print(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(), "results": results}, indent=2))
    else:
        print(f"{'database':<11} {'events':>8} {'seconds':>8} {'peak MB':>8} {'empty MB':>9}   broken: s / MB")
        for r in results:
            print(f"{r['database']:<11} {r['events']:>8} {r['seconds']:>8.2f} {r['peak_mb']:>8.1f} "
                  f"{r['empty_peak_mb']:>9.1f}   {r['broken_seconds']:.2f} / {r['broken_peak_mb']:.1f}")
            print("   ", r["out"].splitlines()[0], "|", r["broken_out"].splitlines()[0][:90])
    return 0


if __name__ == "__main__":
    sys.exit(main())
