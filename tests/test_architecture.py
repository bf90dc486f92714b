"""The layers of docs/architecture.md, kept by import contracts (``[tool.importlinter]`` in pyproject.toml).

``make test`` fails when a module imports across a layer the wrong way or an import cycle comes back.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONTRACTS = [
    "Layers: ui above services above documents and db above domain",
    "ui reaches the database only through services (no import of db/)",
    "documents render values: no import of services/ or db/",
    "Only ui/ imports Qt",
    "domain/ is pure: no SQL, no Qt, no rendering",
    "No import cycles between modules (cli*, services/, documents/, ...)",
]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package in ``project`` (the copy there, not the installed one)."""
    code = ("from importlinter.cli import lint_imports; "
            "raise SystemExit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})


def test_the_import_contracts_are_kept():
    """Issue 10: ui -> services -> documents | db -> domain; documents import no services, ui no db; no cycles
    among the modules of cli*.py, services/demo*.py or any other package."""
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_the_contracts_catch_a_broken_layer_and_a_cycle(tmp_path):
    """Issue 10: the contracts are not empty words: the imports this issue removed, put back in a copy of the
    package, break them (documents -> services, ui -> db, cli_meetings -> cli)."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "commissie_app", tmp_path / "commissie_app",
                    ignore=shutil.ignore_patterns("__pycache__", "icons", "migrations"))
    package = tmp_path / "commissie_app"
    for module, line in (("documents/assessment_pdf.py", "from commissie_app.services import assessments"),
                         ("ui/app.py", "from commissie_app.db import list_query"),
                         ("cli_meetings.py", "from commissie_app import cli")):
        path = package / module
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    for name in ("Layers: ui above services above documents and db above domain",
                 "ui reaches the database only through services (no import of db/)",
                 "documents render values: no import of services/ or db/",
                 "No import cycles between modules (cli*, services/, documents/, ...)"):
        assert f"{name} BROKEN" in result.stdout
    assert "commissie_app.documents.assessment_pdf -> commissie_app.services.assessments" in result.stdout
    assert "commissie_app.ui.app -> commissie_app.db.list_query" in result.stdout
    assert "Contracts: 2 kept, 4 broken." in result.stdout
