"""Benchmark: the standalone bundle (make bundle) — its size, and its start time against the venv.

    .venv/bin/python bench/bench_bundle.py [--bundle dist/commissie-app] [--repeat 5] [--json]

Size: what ``du -sh`` says of the bundle folder, and its number of files. Start time: wall time of
``commissie-app --screenshot FILE`` (start, open the demo database, show the main window with its rows
offscreen, save the PNG, exit), ``--repeat`` times each, interleaved, of the bundled executable and of
the venv's console script, on one demo database made once by the bundle. The median counts (the first
run of each also warms the file cache).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "commissie-app")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    exe = args.bundle / ("commissie-app-cli.exe" if sys.platform == "win32" else "commissie-app")
    venv_app = Path(sys.executable).with_name("commissie-app")
    if not exe.exists():
        print(f"no bundle at {args.bundle}: run `make bundle` first", file=sys.stderr)
        return 1

    size = subprocess.run(["du", "-sh", str(args.bundle)], capture_output=True, text=True).stdout.split()[0]
    files = sum(1 for p in args.bundle.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, COMMISSIE_HOME=tmp)
        env.pop("COMMISSIE_DB_URL", None)
        subprocess.run([str(exe), "demo-data", "--als", "Bench Secretaris"], env=env, check=True, capture_output=True)
        shot = str(Path(tmp) / "shot.png")
        times: dict[str, list[float]] = {"bundle": [], "venv": []}
        for _ in range(args.repeat):
            times["bundle"].append(timed([str(exe), "--screenshot", shot], env))
            times["venv"].append(timed([str(venv_app), "--screenshot", shot], env))
    median = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} cores",
        "bundle_size": size, "bundle_files": files, "repeat": args.repeat,
        "screenshot_s_median": {k: round(v, 2) for k, v in median.items()},
        "screenshot_s_all": {k: [round(t, 2) for t in v] for k, v in times.items()},
        "ratio_bundle_to_venv": round(median["bundle"] / median["venv"], 2),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"bundle {args.bundle}: {size}, {files} files")
        for k in ("bundle", "venv"):
            print(f"--screenshot, median of {args.repeat}: {k:6} {median[k]:.2f} s  "
                  f"(all: {', '.join(f'{t:.2f}' for t in times[k])})")
        print(f"ratio bundle / venv: {result['ratio_bundle_to_venv']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
