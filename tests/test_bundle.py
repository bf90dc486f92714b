"""Issue 8, "A standalone bundle for laptops without Python": smoke test of the PyInstaller folder
that `make bundle` builds (packaging/commissie-app.spec).

The bundled executable runs on a fresh home with nothing of the development environment: demo data,
the decision letters of the closed demo meeting (forms/ letter templates and rules, reportlab's fonts,
the migrations, all from inside the bundle) and a screenshot of the main window (Qt inside the bundle).
`make bundle` always runs this file after building; `make test` runs it when a bundle exists.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = Path(os.environ.get("COMMISSIE_BUNDLE", ROOT / "dist" / "commissie-app"))
EXE = BUNDLE / ("commissie-app-cli.exe" if sys.platform == "win32" else "commissie-app")

pytestmark = pytest.mark.skipif(
    not EXE.exists(), reason=f"no bundle at {BUNDLE}: `make bundle` builds it (and then runs this test)")


def run_bundle(home: Path, *args: str) -> str:
    """The bundled executable with a bare environment: no virtualenv, no PYTHONPATH, no source tree."""
    env = {"PATH": os.defpath, "HOME": str(home), "COMMISSIE_HOME": str(home), "LANG": "C.UTF-8"}
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    result = subprocess.run([str(EXE), *args], env=env, cwd=home, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_bundle_makes_demo_data_letters_and_a_screenshot_on_a_fresh_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert "15 aanvragen" in run_bundle(home, "demo-data", "--als", "Bundel Secretaris")
    assert (home / "data" / "commissie.sqlite").exists()

    meetings = json.loads(run_bundle(home, "meetings", "--json"))
    closed = [m["id"] for m in meetings if m["status"] == "closed"][0]  # the demo's first meeting (by date)
    out = tmp_path / "brieven"
    run_bundle(home, "letters", closed, "--out", str(out), "--als", "Bundel Secretaris")
    letters = sorted(out.glob("*.pdf"))
    assert [p.name for p in letters] == [f"KIP-{meetings[0]['date'][:4]}-00{i}.pdf" for i in range(1, 5)]
    # pdftotext and pdffonts: poppler-utils, installed for the tests (scripts/system-packages.sh test).
    text = subprocess.run(["pdftotext", str(letters[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "Kenmerk" in text and letters[0].stem in text
    assert "Commissie Sociaal Inkopen" in text
    fonts = subprocess.run(["pdffonts", str(letters[0])], capture_output=True, text=True, check=True).stdout
    assert "BitstreamVeraSans" in fonts  # reportlab's TrueType fonts came along and are embedded

    # the review packages' cryptography (pyrage's age, cryptography's Ed25519) came along: the laptop's key is made
    assert "kip-sleutel-1:age1" in run_bundle(home, "review", "key", "show")

    shot = tmp_path / "hoofdvenster.png"
    run_bundle(home, "--screenshot", str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 760)
    assert len(data) > 40_000  # the window with its rows, not a blank picture


def test_the_bundle_carries_forms_migrations_and_fonts_inside():
    internal = next(p for p in (BUNDLE / "_internal", BUNDLE) if (p / "forms").is_dir())
    for name in ("forms/rules.toml", "commissie_app/db/alembic.ini", "commissie_app/db/migrations/env.py",
                 "reportlab/fonts/Vera.ttf", "commissie_app/icons/48x48/commissie-app.png"):
        assert (internal / name).is_file(), name
    revisions = {p.name for p in (ROOT / "commissie_app" / "db" / "migrations" / "versions").glob("*.py")}
    assert revisions <= {p.name for p in (internal / "commissie_app/db/migrations/versions").glob("*.py")}
