"""Benchmark (issue 11): review packages of a meeting with 10 applications and 30 attachments of 1 MB.

    .venv/bin/python bench/bench_review_packages.py [--db postgresql+psycopg://...] [--json]

Three steps, each in a child process of its own, timed from outside (interpreter start included) with
its peak resident memory from ``wait4`` (``ru_maxrss`` of that child alone):

1. **make** the package: ``commissie-app review export DATE --member ... --out FILE`` (the secretary);
2. **open** it on the laptop: ``services.review_workspace.open_package`` with the laptop's key, every
   attachment read from memory, every application assessed (final) and the return written (the member);
3. **import** the return: ``commissie-app review import FILE`` (the secretary), checked afterwards: ten final
   assessments of the member in the database.

SQLite runs always, in a temporary directory; with ``--db URL`` also on a scratch database of that
PostgreSQL server. Targets: each step under 3 s, memory under 400 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_import import WAIT4_HELPER  # noqa: E402  (bench/ is on sys.path: the script's folder)
from scratch_pg import ScratchPostgres  # noqa: E402

SECRETARY = "Bench Secretaris"
MEMBER = "Bench Lid"
APPLICATIONS = 10
ATTACHMENTS_PER_APPLICATION = 3
ATTACHMENT_BYTES = 1024 * 1024
MEETING_DAY = dt.date.today() + dt.timedelta(days=14)
TARGET_SECONDS, TARGET_MB = 3.0, 400

LAPTOP_STEP = """
import json, sys, uuid
from pathlib import Path
from commissie_app.services.review_workspace import open_package
answers = json.loads(sys.argv[3])
ws = open_package(Path(sys.argv[1]))
total = 0
for entry in ws.items:
    if entry.application_id is None:
        continue
    app = ws.application(entry.application_id)
    for meta in app["attachments"]:
        total += len(ws.attachment_bytes(meta["id"]))
    evidence = app["attachments"][0]["id"]
    ws.save_assessment(entry.application_id, dict(answers, crit_pso30_evidence=evidence), final=True)
ws.make_return(Path(sys.argv[2]))
print(total)
"""



def measured(argv: list[str], home: Path) -> dict:
    env = {**os.environ, "COMMISSIE_HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", WAIT4_HELPER, *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    report = json.loads(done.stdout)
    if report["status"] != 0:
        raise SystemExit(f"{argv} failed ({report['status']}):\n{report['out']}\n{report['err']}")
    return report


def prepare(url: str, laptop_home: Path) -> None:
    """The meeting, its applications and attachments, the member with the laptop's registered key."""
    os.environ["COMMISSIE_HOME"] = str(laptop_home)  # the laptop's key is made in the laptop's home
    from commissie_app.bootstrap import open_database
    from commissie_app.domain.codes import Role, Status
    from commissie_app.domain.commission import Seat
    from commissie_app.services import applications, commission, meeting_agenda, meeting_planning
    from commissie_app.services.attachments import add_attachment
    from commissie_app.services.context import ServiceContext
    from commissie_app.services.laptop_keys import laptop_public_key
    from commissie_app.services.review_keys import register_member_key
    from commissie_app.services.users import add_user, sign_in
    from tests.factories import app_data, org_data

    db = open_database(url, create=True)
    ctx = ServiceContext(db)
    sign_in(ctx, SECRETARY)
    member_id = commission.add_member(ctx, MEMBER)
    commission.appoint(ctx, member_id, Seat.BUSINESS, dt.date(2026, 1, 1))
    user_id = add_user(ctx, MEMBER, Role.MEMBER, member_id)
    register_member_key(ctx, user_id, laptop_public_key().text())
    rng = __import__("random").Random(11)
    app_ids = []
    for i in range(APPLICATIONS):
        app_id = applications.register_application(
            ctx, org_data(kvk=f"{70000000 + i:08d}", name=f"Bench Onderneming {i}"), app_data())
        applications.change_status(ctx, app_id, Status.IN_PROGRESS)
        applications.change_status(ctx, app_id, Status.COMPLETE)
        for j in range(ATTACHMENTS_PER_APPLICATION):
            head, tail = b"%PDF-1.4\n%", b"\n%%EOF\n"
            body = rng.randbytes(ATTACHMENT_BYTES - len(head) - len(tail))
            add_attachment(ctx, app_id, f"bijlage-{i}-{j}.pdf", head + body + tail)
        app_ids.append(app_id)
    meeting = meeting_planning.plan_meeting(ctx, dt.datetime.combine(MEETING_DAY, dt.time(14, 0)),
                                            place="Stadhuis Haarlem")
    meeting_agenda.add_application_items(ctx, meeting, app_ids)
    db.dispose()


def check(url: str) -> int:
    from sqlalchemy import func, select

    from commissie_app.db.engine import make_engine
    from commissie_app.db.models import Assessment

    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(Assessment).where(
            Assessment.assessor == MEMBER, Assessment.state == "final")).scalar()
    engine.dispose()
    return n


def bench(label: str, url: str, work: Path) -> dict:
    from tests.test_assessments_service import COMPLETE_GRANT

    secretary_home, laptop_home = work / f"secretaris-{label}", work / f"laptop-{label}"
    prepare(url, laptop_home)
    package, returned = work / f"{label}.kippakket", work / f"{label}.kipretour"
    base = [sys.executable, "-m", "commissie_app", "--db", url, "--als", SECRETARY]
    made = measured([*base, "review", "export", MEETING_DAY.isoformat(), "--member", MEMBER, "--out", str(package)],
                    secretary_home)
    opened = measured([sys.executable, "-c", LAPTOP_STEP, str(package), str(returned), json.dumps(COMPLETE_GRANT)],
                      laptop_home)
    imported = measured([*base, "review", "import", str(returned)], secretary_home)
    finals = check(url)
    if finals != APPLICATIONS:
        raise SystemExit(f"after the import {finals} final assessments of the member, not {APPLICATIONS}")
    if int(opened["out"].strip()) != APPLICATIONS * ATTACHMENTS_PER_APPLICATION * ATTACHMENT_BYTES:
        raise SystemExit("the laptop did not read every attachment")

    def row(step: str, r: dict) -> dict:
        return {"database": label, "step": step, "seconds": round(r["seconds"], 2),
                "peak_mb": round(r["rss_kb"] / 1024, 1)}
    return {"package_mb": round(package.stat().st_size / 1024 ** 2, 1), "return_kb": round(returned.stat().st_size / 1024, 1),
            "steps": [row("make package", made), row("open, assess, return (laptop)", opened), row("import return", imported)]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", metavar="URL", help="also on this PostgreSQL server (a scratch database is made there)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        work = Path(tmp)
        results.append(bench("SQLite", f"sqlite:///{work / 'bench.sqlite'}", work))
        if args.db:
            with ScratchPostgres(args.db, "review") as url:
                results.append(bench("PostgreSQL", url, work))
    if args.json:
        print(json.dumps({"machine": platform.node(), "cpus": os.cpu_count(), "results": results}, indent=1))
        return 0
    print(f"{APPLICATIONS} applications, {APPLICATIONS * ATTACHMENTS_PER_APPLICATION} attachments of 1 MB "
          f"(targets: < {TARGET_SECONDS} s and < {TARGET_MB} MB per step)")
    for result in results:
        print(f"package {result['package_mb']} MB, return {result['return_kb']} kB")
        for r in result["steps"]:
            ok = r["seconds"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB
            print(f"  {r['database']:<10} {r['step']:<32} {r['seconds']:>6.2f} s {r['peak_mb']:>7.1f} MB"
                  f"  {'ok' if ok else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
