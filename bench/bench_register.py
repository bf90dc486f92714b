"""The Register page (issue 12) with 10,000 recognitions, against the application list with 10,000 applications.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_register.py [--rows N] [--rounds N] [--json]

Same method as the list's figures of ``bench/bench_startup_search.py`` (docs/performance.md), in a fresh
process per page, on one SQLite database with N organisations, each with one decided application, its
decision and its recognition (a mix of statuses):

(a) open: in the open main window, the Register page is shown for the first time (built, every recognition
    read, the model filled) until its table has painted its rows (the paint probe of bench_startup_search.py:
    the first event after the paint of the table's viewport); for the application list the same work: every
    application read again into its model (what ``MainWindow.reload`` does) until its rows are painted.
(b) keystroke: one keystroke in the search field until the model and the view are updated (the debounce
    timer forced); median of many. Target: < 50 ms, like the list.
(c) the status/municipality filter and a sort on each column, median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_KEYSTROKE_MS = 50.0
KINDS = ["full", "full", "full", "conditional"]
CRITERIA = ["CODE_SO", "SE_NL", "PSO30", "NON_PROFIT", "BCORP"]


def build_register_database(path: Path, n: int) -> float:
    """``bench_startup_search.build_database`` (n organisations, one application each), then for every
    application a decision in one closed meeting and a recognition with its first history line."""
    from sqlalchemy import insert, select

    from bench_startup_search import build_database
    from commissie_app.db.engine import make_engine
    from commissie_app.db.models import (AgendaItem, Application, DecisionRecord, Meeting, Recognition,
                                         RecognitionEventRecord)

    start = time.perf_counter()
    build_database(path, n)
    engine = make_engine(f"sqlite:///{path}")
    rnd = random.Random(12)
    now = dt.datetime.now(dt.timezone.utc)
    today = dt.date(2026, 11, 23)
    meeting_id = uuid.uuid4()
    items, decisions, recs, events = [], [], [], []
    with engine.begin() as conn:
        apps = conn.execute(select(Application.id, Application.organisation_id)).all()
        conn.execute(insert(Meeting), [dict(id=meeting_id, version=1, created_at=now, updated_at=now,
                                            starts_at=now - dt.timedelta(days=400), status="closed")])
        for i, (app_id, org_id) in enumerate(apps):
            item_id, dec_id, rec_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            kind = rnd.choice(KINDS)
            decided = today - dt.timedelta(days=rnd.randrange(0, 800))
            until = decided + dt.timedelta(days=730)
            certificate = until - dt.timedelta(days=rnd.randrange(0, 400)) if rnd.random() < 0.3 else None
            withdrawn = decided + dt.timedelta(days=30) if rnd.random() < 0.03 else None
            kenmerk = f"KIP-{decided.year}-{i + 1:05d}"
            items.append(dict(id=item_id, meeting_id=meeting_id, position=i, kind="application", title=f"Aanvraag {i}",
                              application_id=app_id, minutes=""))
            decisions.append(dict(id=dec_id, version=1, agenda_item_id=item_id, application_id=app_id, kenmerk=kenmerk,
                                  year=decided.year, number=i + 1,
                                  decision_type="conditional" if kind == "conditional" else "granted",
                                  motivation="Benchmark.", decided_on=decided, badge_valid_from=decided,
                                  badge_valid_until=until, conditional_deadline=until if kind == "conditional" else None,
                                  recorded_by="benchmark", recorded_at=now))
            recs.append(dict(id=rec_id, version=1, organisation_id=org_id, origin_application_id=app_id,
                             decision_id=dec_id, kind=kind, criteria=rnd.sample(CRITERIA, rnd.choice([1, 1, 2])),
                             valid_from=decided, valid_until=until, certificate_until=certificate, override_reason="",
                             conditional_deadline=until if kind == "conditional" else None, evidence_owed="",
                             withdrawn_on=withdrawn, withdrawal_reason="", created_at=now, updated_at=now))
            events.append(dict(id=uuid.uuid4(), recognition_id=rec_id, event=kind if kind == "conditional" else "granted",
                               decision_id=dec_id, kenmerk=kenmerk, on_date=decided, valid_until=until, note="", at=now,
                               by="benchmark"))
        conn.execute(insert(AgendaItem), items)
        conn.execute(insert(DecisionRecord), decisions)
        conn.execute(insert(Recognition), recs)
        conn.execute(insert(RecognitionEventRecord), events)
    engine.dispose()
    return time.perf_counter() - start


# -- the child (a fresh interpreter per page) ------------------------------------------------------
def _paint_probe(table_of):
    """An application-wide filter noting when ``table_of()``'s viewport has painted rows (the first event
    after that paint, as the list's probe in bench_startup_search.py)."""
    from PySide6.QtCore import QEvent, QObject

    class Probe(QObject):
        state = None  # None, "painting", "done"

        def eventFilter(self, obj, event):
            if self.state == "painting":
                self.state = "done"
            elif self.state is None and event.type() == QEvent.Type.Paint:
                table = table_of()
                if table is not None and obj is table.viewport() and table.model().rowCount() > 0:
                    self.state = "painting"
            return False

    return Probe()


def child(db_url: str, which: str, rounds: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from commissie_app.db.engine import Database
    from commissie_app.services.context import ServiceContext
    from commissie_app.ui.main_window import PAGES, MainWindow

    app = QApplication(sys.argv[:1])
    ctx = ServiceContext(Database(db_url), today=lambda: dt.date(2026, 11, 23))
    holder: dict = {}
    probe = _paint_probe(lambda: holder.get("table"))
    app.installEventFilter(probe)
    window = MainWindow(ctx)  # reads the application list
    window.resize(1200, 760)
    window.show()
    for _ in range(20):  # the list painted, the window settled
        app.processEvents()
    t = time.perf_counter()
    if which == "list":  # what reloading the list does: read every row, reset the model, paint
        window.applications.set_rows(window._read_rows())
        holder["table"] = window.applications.table
    else:  # the Register page, never shown before: built, every recognition read, painted
        window.show_page(PAGES.index("register"))
        holder["table"] = window.register_page.table
    while probe.state != "done":
        app.processEvents()
    open_s = time.perf_counter() - t
    page = window.applications if which == "list" else window.register_page
    columns = page.model.columnCount()
    page.search.setFocus()
    words = ["kring", "haarlem", "1000123", "de brug", "ijmuiden", "zorg", "spaarne 12", "zz"]
    keystrokes: list[float] = []
    for _ in range(rounds):
        for word in words:
            for ch in word:
                t = time.perf_counter()
                QTest.keyClick(page.search, ch)
                page.apply_search()  # what the debounce timer would call
                app.processEvents()
                keystrokes.append((time.perf_counter() - t) * 1000)
            for _ch in word:
                t = time.perf_counter()
                QTest.keyClick(page.search, Qt.Key.Key_Backspace)
                page.apply_search()
                app.processEvents()
                keystrokes.append((time.perf_counter() - t) * 1000)
    sorts, filters, statuses = [], [], []
    for _ in range(rounds):
        for col in range(columns):
            t = time.perf_counter()
            page.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
            app.processEvents()
            sorts.append((time.perf_counter() - t) * 1000)
        for combo, out in ((page.municipality_combo, filters), (page.status_combo, statuses)):
            for i in range(1, combo.count()):
                t = time.perf_counter()
                combo.setCurrentIndex(i)
                app.processEvents()
                out.append((time.perf_counter() - t) * 1000)
            combo.setCurrentIndex(0)
    print(json.dumps({"rows": page.model.total_count(), "open_s": open_s, "keystrokes_ms": keystrokes,
                      "sort_ms": sorts, "filter_ms": filters, "status_ms": statuses}), flush=True)
    os._exit(0)


def run(rows: int, rounds: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="commissie-bench-register-") as tmp:
        path = Path(tmp) / "register.sqlite"
        build_s = build_register_database(path, rows)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", COMMISSIE_HOME=str(Path(tmp) / "home"))
        runs: dict[str, list[dict]] = {"list": [], "register": []}
        for _ in range(repeat):  # interleaved, so a change in the machine's speed hits both alike
            for which in runs:
                proc = subprocess.run([sys.executable, __file__, "--child", f"sqlite:///{path}", which, str(rounds)],
                                      env=env, capture_output=True, text=True, cwd=ROOT)
                if proc.returncode != 0:
                    raise SystemExit(f"{which} child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
                runs[which].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    result: dict = {"rows": rows, "build_db_s": round(build_s, 2), "runs_per_page": repeat}
    for which, found in runs.items():
        keys = sorted(k for r in found for k in r["keystrokes_ms"])
        result[which] = {
            "open_rows_painted_ms_median": round(statistics.median(r["open_s"] for r in found) * 1000, 1),
            "keystroke_ms_median": round(statistics.median(keys), 2),
            "keystroke_ms_p95": round(keys[int(len(keys) * 0.95) - 1], 2),
            "sort_ms_median": round(statistics.median(k for r in found for k in r["sort_ms"]), 2),
            "municipality_filter_ms_median": round(statistics.median(k for r in found for k in r["filter_ms"]), 2),
            "status_filter_ms_median": round(statistics.median(k for r in found for k in r["status_ms"]), 2),
        }
    result["register_open_ratio"] = round(result["register"]["open_rows_painted_ms_median"]
                                          / result["list"]["open_rows_painted_ms_median"], 2)
    result["keystroke_target_met"] = result["register"]["keystroke_ms_median"] < TARGET_KEYSTROKE_MS
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.rows, args.rounds, args.repeat)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.rows} recognitions (and applications), {args.repeat} fresh processes per page")
    print(f"{'':32}{'application list':>18}{'register page':>16}")
    for key, label in (("open_rows_painted_ms_median", "open until rows painted, ms"),
                       ("keystroke_ms_median", "keystroke, median ms"), ("keystroke_ms_p95", "keystroke, p95 ms"),
                       ("sort_ms_median", "sort a column, median ms"),
                       ("municipality_filter_ms_median", "municipality filter, ms"),
                       ("status_filter_ms_median", "status filter, ms")):
        print(f"{label:32}{result['list'][key]:>18}{result['register'][key]:>16}")
    print(f"keystroke < {TARGET_KEYSTROKE_MS:.0f} ms on the register: {'met' if result['keystroke_target_met'] else 'MISSED'}")


if __name__ == "__main__":
    main()
