"""Start-up to the rows, search and memory of the main window: demo database and 10,000 applications.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup_search.py [--rows N] [--repeat N] [--json]

(a) start-up: wall time from starting a fresh process to the FIRST ROWS PAINTED (and to the first
    frame), for `commissie-app --db URL` on the demo database and on one with --rows applications,
    against a bare PySide6 QMainWindow with a 30x6 QTableWidget; the same paint probe watches both.
    Targets: <= 1.5x the reference on the demo database, <= 2x with 10,000 applications.
    With valgrind, also the instructions executed up to the rows painted (free of machine noise).
(b) search: one keystroke in the search field until the model and the view are updated
    (the debounce timer is forced, so the work is measured, not the wait); median of many.
    Target: < 50 ms.
(c) peak memory (ru_maxrss) of the app once its start has settled (3 s after the rows are
    painted), with 10,000 applications. Target: < 200 MB.

Every measurement runs in a fresh subprocess. The databases are made once per run in a temporary
directory: the large one with SQLAlchemy Core (a few seconds), the demo one with the CLI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGETS = {"demo_rows_ratio": 1.5, "many_rows_ratio": 2.0, "keystroke_ms": 50.0, "peak_rss_mb": 200.0}

PLACES = {
    "Haarlem": ["Haarlem", "Spaarndam"],
    "Bloemendaal": ["Bloemendaal", "Overveen", "Bennebroek", "Aerdenhout"],
    "Heemstede": ["Heemstede"],
    "Zandvoort": ["Zandvoort", "Bentveld"],
    "Velsen": ["IJmuiden", "Velsen-Noord", "Santpoort-Noord", "Driehuis"],
    "Heemskerk": ["Heemskerk"],
    "Beverwijk": ["Beverwijk", "Wijk aan Zee"],
}
WORDS_A = ["Kringloop", "Fietsatelier", "Zorgboerderij", "Buurtkeuken", "Groenwerk", "Koffiebranderij", "Taalcafé",
           "Schoonmaak", "Drukkerij", "Bakkerij", "Werkplaats", "Tuinderij", "Naaiatelier", "Repaircafé", "Leerbedrijf"]
WORDS_B = ["De Spaak", "Kennemerland", "Het Fornuis", "De Hoeve", "Tweede Kans", "Duinzicht", "IJmond", "Het Spaarne",
           "De Brug", "Samen Sterk", "Nieuw Begin", "De Kering", "Zeewind", "Het Anker", "Kansrijk"]
FORMS = ["stichting", "bv", "cooperatie", "vereniging", "eenmanszaak", "vof"]
STATUSES = ["received", "in_progress", "info_requested", "complete", "scheduled", "decided", "withdrawn"]
CRITERIA = ["CODE_SO", "SE_NL", "PSO30", "NON_PROFIT", "BCORP", "STARTUP"]


def build_database(path: Path, n: int) -> float:
    """A migrated SQLite database with ``n`` organisations, each with one application."""
    from sqlalchemy import insert

    from commissie_app.db import migrate
    from commissie_app.db.engine import make_engine
    from commissie_app.db.models import Application, Evidence, Organisation, StatusChange

    start = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, backup=False)
    rnd = random.Random(2026)
    now = dt.datetime.now(dt.timezone.utc)
    today = dt.date(2026, 11, 23)
    orgs, apps, evidence, changes = [], [], [], []
    for i in range(n):
        mun = rnd.choice(list(PLACES))
        org_id, app_id = uuid.uuid4(), uuid.uuid4()
        received = today - dt.timedelta(days=rnd.randrange(0, 900))
        status = rnd.choice(STATUSES)
        orgs.append(dict(
            id=org_id, version=1, created_at=now, updated_at=now,
            name=f"{rnd.choice(WORDS_A)} {rnd.choice(WORDS_B)} {i + 1}", kvk=f"{10_000_000 + i:08d}",
            legal_form=rnd.choice(FORMS), municipality=mun, street=f"Voorbeeldstraat {i % 200 + 1}",
            postcode="2011 AA", place=rnd.choice(PLACES[mun]), contact_person="Voorbeeld Persoon",
            email=f"info@org{i}.example.nl", phone="023 555 0000", website=f"www.org{i}.example.nl",
            founded_on=dt.date(2010, 1, 1), mission="Fictieve organisatie voor de benchmark.", impact_domains=["work"],
        ))
        apps.append(dict(id=app_id, version=1, created_at=now, updated_at=now, organisation_id=org_id,
                         received_on=received, status=status, notes="", info_requested="", info_due_on=None))
        for code in rnd.sample(CRITERIA, rnd.choice([1, 1, 2, 3])):
            evidence.append(dict(id=uuid.uuid4(), application_id=app_id, criterion=code, reference=f"REF-{i}",
                                 valid_until=None))
        changes.append(dict(id=uuid.uuid4(), application_id=app_id, from_status=None, to_status=status, at=now,
                            on_date=received, by="benchmark", remark=""))
    with engine.begin() as conn:
        conn.execute(insert(Organisation), orgs)
        conn.execute(insert(Application), apps)
        conn.execute(insert(Evidence), evidence)
        conn.execute(insert(StatusChange), changes)
    engine.dispose()
    return time.perf_counter() - start


# -- children (each runs in a fresh interpreter) ---------------------------------------------------
# The start-up children run as `python -c CODE`, so neither pays for this module's own imports. Both
# watch the paint events with the same probe: an application-wide event filter that notes
#   "frame" - the first paint pass has finished (the first event after the first paint events),
#   "rows"  - a table view has painted its rows (the first event after the paint of the viewport of
#             a QTableView whose model has rows).
# A filter sees an event before it is handled, so "the next event" marks the end of that paint.
PROBE = """
import os, resource, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView

class Probe(QObject):
    def __init__(self):
        super().__init__()
        self.frame = self.rows = None  # None, "painting", "done"

    def eventFilter(self, obj, event):
        paint = event.type() == QEvent.Type.Paint
        if self.rows == "painting":
            self.note("rows")
        if self.frame == "painting" and not paint:
            self.note("frame")
        if paint:
            if self.frame is None:
                self.frame = "painting"
            view = obj.parent()
            if (self.rows is None and isinstance(view, QTableView) and obj is view.viewport()
                    and view.model() is not None and view.model().rowCount() > 0):
                self.rows = "painting"
        return False

    def note(self, what):
        setattr(self, what, "done")
        print(what, flush=True)
        if what == "rows":
            if os.environ.get("BENCH_STOP_AT_ROWS"):
                os._exit(0)
            # Peak memory once the start has settled (warnings, the background check of the file).
            QTimer.singleShot(int(os.environ.get("BENCH_SETTLE_MS", "0")), self.done)

    def done(self):
        print("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        os._exit(0)

def install_probe():
    QApplication.instance().installEventFilter(_probe)

_probe = Probe()
"""

# The reference: a bare QMainWindow with a 30x6 QTableWidget, shown.
BARE_CHILD = PROBE + """
from PySide6.QtWidgets import QMainWindow, QTableWidget, QTableWidgetItem

app = QApplication(sys.argv[:1])
install_probe()
w = QMainWindow()
table = QTableWidget(30, 6)
for r in range(30):
    for c in range(6):
        table.setItem(r, c, QTableWidgetItem(f"cel {r}, {c}"))
w.setCentralWidget(table)
w.resize(1200, 760)
w.show()
app.exec()
"""

# The real front door (cli.main -> run_gui). The probe must not import PySide6 before the app does
# (the app imports SQLAlchemy first, and PySide6 makes every later import dearer), so it is
# installed by an import hook when the app imports its main window: the QApplication exists then.
APP_CHILD = """
import importlib.util, sys

class InstallProbeWithTheWindow:
    def find_spec(self, name, path=None, target=None):
        if name != "commissie_app.ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            probe = {}
            exec(PROBE_CODE, probe)
            original_init = module.MainWindow.__init__

            def init(window, *args, **kwargs):
                probe["install_probe"]()
                original_init(window, *args, **kwargs)
            module.MainWindow.__init__ = init

        spec.loader.exec_module = exec_module
        return spec

PROBE_CODE = %r
sys.meta_path.insert(0, InstallProbeWithTheWindow())
from commissie_app.cli import main
sys.exit(main(["--db", sys.argv[1]]))
""" % PROBE


def child_search(db_url: str, rounds: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from commissie_app.db.engine import Database
    from commissie_app.services.context import ServiceContext
    from commissie_app.ui.application_model import Column
    from commissie_app.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    ctx = ServiceContext(Database(db_url))
    t = time.perf_counter()
    window = MainWindow(ctx)
    load_s = time.perf_counter() - t
    window.resize(1200, 760)
    window.show()
    app.processEvents()
    page = window.applications
    search = page.search
    search.setFocus()
    words = ["kring", "haarlem", "1000123", "de brug", "ijmuiden", "zorg", "spaarne 12", "zz"]
    keystrokes: list[float] = []
    for _ in range(rounds):
        for word in words:
            for ch in word:
                t = time.perf_counter()
                QTest.keyClick(search, ch)
                page.apply_search()  # what the debounce timer would call
                app.processEvents()  # the view relayouts and repaints
                keystrokes.append((time.perf_counter() - t) * 1000)
            for _ch in word:
                t = time.perf_counter()
                QTest.keyClick(search, Qt.Key.Key_Backspace)
                page.apply_search()
                app.processEvents()
                keystrokes.append((time.perf_counter() - t) * 1000)
    sorts: list[float] = []
    for _ in range(rounds):
        for col in Column:
            t = time.perf_counter()
            page.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
            app.processEvents()
            sorts.append((time.perf_counter() - t) * 1000)
    filters: list[float] = []
    for _ in range(rounds):
        for i in range(1, page.municipality_combo.count()):
            t = time.perf_counter()
            page.municipality_combo.setCurrentIndex(i)
            app.processEvents()
            filters.append((time.perf_counter() - t) * 1000)
    page.municipality_combo.setCurrentIndex(0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": page.model.total_count(), "load_s": load_s, "keystrokes_ms": keystrokes,
                      "sort_ms": sorts, "filter_ms": filters, "rss_kb": rss}), flush=True)
    os._exit(0)  # skip interpreter teardown (PySide6 finalisation is not part of the measurement)


# -- the parent ------------------------------------------------------------------------------------
def _env(home: Path) -> dict:
    """The user directories of a fresh account (XDG, so platformdirs is exercised as in real use)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"))
    env.pop("COMMISSIE_DB_URL", None)
    env.pop("COMMISSIE_HOME", None)
    # An installed app has compiled bytecode (pip writes it); let the warm-up run write ours.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_start(args: list[str], env: dict) -> dict:
    """Seconds from Popen to the first frame and to the first rows painted; peak memory (KB) after
    the start has settled (``BENCH_SETTLE_MS`` in ``env``)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=ROOT)
    out: dict = {}
    for line in proc.stdout:
        now = time.perf_counter() - start
        what, *value = line.split()
        if what in ("frame", "rows"):
            out[f"{what}_s"] = now
        elif what == "rss":
            out["rss_kb"] = int(value[0])
    proc.wait()
    if "rows_s" not in out:
        raise SystemExit(f"child {args[1:]} painted no rows (exit {proc.returncode})")
    return out


def count_instructions(args: list[str], env: dict) -> int | None:
    """Instructions executed from process start to the first rows painted, counted by callgrind.

    Unlike wall time this does not depend on what else the machine is doing: on this shared machine
    the same start varies by ±30 % in time, by less than 0.1 % in instructions. None without valgrind.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    proc = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", *args],
        env=dict(env, BENCH_STOP_AT_ROWS="1"), capture_output=True, text=True, cwd=ROOT)
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    return int(found.group(1)) if found else None


def _millions(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1e6:.0f} M"


def build_demo_database(path: Path) -> None:
    """The demo data of `commissie-app demo-data` (12 applications, meetings, decisions)."""
    subprocess.run([sys.executable, "-m", "commissie_app", "db", "upgrade", "--db", f"sqlite:///{path}"],
                   check=True, capture_output=True, cwd=ROOT, env=dict(os.environ, COMMISSIE_HOME=str(path.parent)))
    subprocess.run([sys.executable, "-m", "commissie_app", "demo-data", "--db", f"sqlite:///{path}", "--als", "Bench Secretaris"],
                   check=True, capture_output=True, cwd=ROOT, env=dict(os.environ, COMMISSIE_HOME=str(path.parent)))


def run(rows: int, repeat: int, rounds: int, instructions: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="commissie-bench-") as tmp:
        tmp = Path(tmp)
        db_path = tmp / "bench.sqlite"
        build_s = build_database(db_path, rows)
        build_demo_database(tmp / "demo.sqlite")
        urls = {"demo": f"sqlite:///{tmp / 'demo.sqlite'}", "many": f"sqlite:///{db_path}"}
        home = tmp / "home"
        (home / "config" / "commissie-app").mkdir(parents=True)
        (home / "config" / "commissie-app" / "settings.json").write_text(
            json.dumps({"user_name": "Benchmark", "user_role": "secretary"}), encoding="utf-8")
        env = _env(home)
        variants = {"bare": [BARE_CHILD], "demo": [APP_CHILD, urls["demo"]], "many": [APP_CHILD, urls["many"]]}
        for args in variants.values():  # warm the file cache, write bytecode
            timed_start(args, env)
        starts: dict[str, list[dict]] = {k: [] for k in variants}
        for _ in range(repeat):  # interleaved, so a change in the machine's speed hits all alike
            for name, args in variants.items():
                starts[name].append(timed_start(args, env))
        settled = {name: timed_start(variants[name], dict(env, BENCH_SETTLE_MS="3000")) for name in ("demo", "many")}
        counted = {name: count_instructions(args, env) if instructions else None for name, args in variants.items()}
        proc = subprocess.run([sys.executable, __file__, "--child", "search", urls["many"], str(rounds)], env=env,
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"search child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        search = json.loads(proc.stdout.strip().splitlines()[-1])

    def med(name, key):
        return statistics.median(s[key] for s in starts[name])

    keys = sorted(search["keystrokes_ms"])
    bare_rows, bare_frame = med("bare", "rows_s"), med("bare", "frame_s")
    result = {
        "rows": rows,
        "build_db_s": round(build_s, 2),
        "starts_per_variant": repeat,
        "bare_rows_painted_s": round(bare_rows, 3),
        "bare_first_frame_s": round(bare_frame, 3),
    }
    for name in ("demo", "many"):
        result[f"{name}_rows_painted_s"] = round(med(name, "rows_s"), 3)
        result[f"{name}_first_frame_s"] = round(med(name, "frame_s"), 3)
        result[f"{name}_rows_ratio"] = round(med(name, "rows_s") / bare_rows, 2)
        result[f"{name}_first_frame_ratio"] = round(med(name, "frame_s") / bare_frame, 2)
        result[f"{name}_peak_rss_mb"] = round(settled[name]["rss_kb"] / 1024, 1)
        result[f"{name}_rows_instructions"] = counted[name]
        result[f"{name}_rows_instructions_ratio"] = (round(counted[name] / counted["bare"], 2)
                                                     if counted[name] and counted["bare"] else None)
    result.update({
        "bare_rows_instructions": counted["bare"],
        "list_load_in_process_s": round(search["load_s"], 3),
        "keystrokes": len(keys),
        "keystroke_ms_median": round(statistics.median(keys), 2),
        "keystroke_ms_p95": round(keys[int(len(keys) * 0.95) - 1], 2),
        "keystroke_ms_max": round(keys[-1], 2),
        "sort_ms_median": round(statistics.median(search["sort_ms"]), 2),
        "filter_ms_median": round(statistics.median(search["filter_ms"]), 2),
        "peak_rss_search_mb": round(search["rss_kb"] / 1024, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    })
    result["targets"] = {
        "demo_rows_ratio": {"target": TARGETS["demo_rows_ratio"],
                            "met": result["demo_rows_ratio"] <= TARGETS["demo_rows_ratio"]},
        "many_rows_ratio": {"target": TARGETS["many_rows_ratio"],
                            "met": result["many_rows_ratio"] <= TARGETS["many_rows_ratio"]},
        "peak_rss_mb": {"target": TARGETS["peak_rss_mb"],
                        "met": max(result["many_peak_rss_mb"], result["peak_rss_search_mb"]) < TARGETS["peak_rss_mb"]},
        "keystroke_ms": {"target": TARGETS["keystroke_ms"],
                         "met": result["keystroke_ms_median"] < TARGETS["keystroke_ms"]},
    }
    return result


def print_table(r: dict) -> None:
    def ok(key):
        return "ok" if r["targets"][key]["met"] else "MISSED"

    def ms(key):
        return f"{r[key] * 1000:.0f} ms"

    n = f"{r['rows']:,}".replace(",", ".")
    rows = [
        ("applications: demo database / large database", f"12 / {n}", ""),
        (f"start-up, median of {r['starts_per_variant']} interleaved starts", "", ""),
        ("reference: bare QMainWindow + 30x6 QTableWidget, rows painted", ms("bare_rows_painted_s"), ""),
        ("Commissie-app, demo database: rows painted", ms("demo_rows_painted_s"), ""),
        ("  ratio to the reference", f"{r['demo_rows_ratio']:.2f}",
         f"<= {TARGETS['demo_rows_ratio']}  {ok('demo_rows_ratio')}"),
        (f"Commissie-app, {n} applications: rows painted", ms("many_rows_painted_s"), ""),
        ("  ratio to the reference", f"{r['many_rows_ratio']:.2f}",
         f"<= {TARGETS['many_rows_ratio']}  {ok('many_rows_ratio')}"),
        ("first frame: reference / demo / large", " / ".join(ms(k) for k in (
            "bare_first_frame_s", "demo_first_frame_s", "many_first_frame_s")), ""),
        ("first-frame ratio: demo / large", f"{r['demo_first_frame_ratio']:.2f} / {r['many_first_frame_ratio']:.2f}", ""),
        ("instructions to rows painted: reference / demo / large", " / ".join(_millions(r[k]) for k in (
            "bare_rows_instructions", "demo_rows_instructions", "many_rows_instructions")), "callgrind"),
        ("instruction ratio: demo / large",
         " / ".join("n/a" if r[k] is None else f"{r[k]:.2f}" for k in (
             "demo_rows_instructions_ratio", "many_rows_instructions_ratio")), "free of machine noise"),
        (f"peak memory, start settled: demo / {n}", f"{r['demo_peak_rss_mb']:.0f} / {r['many_peak_rss_mb']:.0f} MB",
         f"< {TARGETS['peak_rss_mb']:.0f} MB  {ok('peak_rss_mb')}"),
        ("peak memory, after the search script", f"{r['peak_rss_search_mb']:.0f} MB", ""),
        (f"list of {n} rows read + model, in process", ms("list_load_in_process_s"), ""),
        (f"search keystroke, median of {r['keystrokes']}", f"{r['keystroke_ms_median']:.1f} ms",
         f"< {TARGETS['keystroke_ms']:.0f} ms  {ok('keystroke_ms')}"),
        ("search keystroke, p95 / max", f"{r['keystroke_ms_p95']:.1f} / {r['keystroke_ms_max']:.1f} ms", ""),
        ("sort by a column, median", f"{r['sort_ms_median']:.1f} ms", ""),
        ("municipality filter, median", f"{r['filter_ms_median']:.1f} ms", ""),
        ("load average (1, 5, 15 min) at the end", " ".join(map(str, r["load_average"])), ""),
    ]
    width = max(len(a) for a, _, _ in rows)
    for a, b, c in rows:
        print(f"{a:<{width}}  {b:>20}  {c}")


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        if kind == "search":
            child_search(sys.argv[3], int(sys.argv[4]))
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=11, help="start-up measurements per variant (median)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of the typing script")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--no-instructions", action="store_true", help="skip the callgrind instruction counts (≈2 min)")
    args = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = run(args.rows, args.repeat, args.rounds, instructions=not args.no_instructions)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)
    return 0 if all(t["met"] for t in result["targets"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
