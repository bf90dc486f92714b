#!/usr/bin/env python3
"""Every user string of the app must be extractable by ``xgettext``, so that a translation catalogue
(an English one, say) can hold all of it.

``_("…")``, ``ngettext("…", "…", n)`` and ``N_("…")`` are the only ways a user string reaches the
catalogue; xgettext reads their literal arguments and nothing else. A call with any other argument
(a variable, an f-string, a looked-up dict value) is invisible to it: that text would stay Dutch in
every language. This script

* finds such calls in the Python files (Python's own parser, so nothing is guessed) and reports each
  one with its place: none is allowed;
* runs xgettext over the same files and checks that every literal it found there is in the catalogue
  template, so the two readings agree;
* with ``--pot FILE``, writes the template (``make pot``).

Exit status 0 when all is extractable, 1 otherwise. Usage:
    scripts/i18n_extract.py [--pot FILE] [PACKAGE_DIR]   (default: commissie_app)
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: function name -> how many leading arguments are message ids (xgettext's --keyword specs below)
KEYWORDS = {"_": 1, "N_": 1, "ngettext": 2}
XGETTEXT_KEYWORDS = ("--keyword=_", "--keyword=N_", "--keyword=ngettext:1,2")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    msgids: set[str] = field(default_factory=set)


def _called_name(call: ast.Call) -> str | None:
    """``_`` for ``_(…)`` and for ``i18n._(…)``; None for any other call."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "i18n":
        return func.attr
    return None


def scan_file(path: Path, root: Path, report: Report) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root.parent) if path.is_relative_to(root.parent) else path
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("i18n"):
            for alias in node.names:
                if alias.name in KEYWORDS and alias.asname not in (None, alias.name):
                    report.problems.append(f"{where}:{node.lineno}: {alias.name} imported as {alias.asname}: "
                                           f"xgettext only knows {alias.name}(…)")
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name not in KEYWORDS:
            continue
        ids = node.args[:KEYWORDS[name]]
        if len(ids) < KEYWORDS[name] or node.keywords and name != "ngettext":
            report.problems.append(f"{where}:{node.lineno}: {ast.unparse(node)[:100]}: not the form xgettext reads")
            continue
        for arg in ids:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                report.msgids.add(arg.value)
            else:
                report.problems.append(f"{where}:{node.lineno}: {name}() with a non-literal argument "
                                       f"({ast.unparse(arg)[:80]}): xgettext cannot extract it")


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def run_xgettext(files: list[Path], output: Path) -> None:
    xgettext = shutil.which("xgettext")
    if xgettext is None:
        raise SystemExit("xgettext is missing: install the Debian package gettext (scripts/system-packages.sh test)")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listing:
        listing.write("\n".join(str(f) for f in files) + "\n")
        listing.flush()
        done = subprocess.run(
            [xgettext, "--language=Python", "--from-code=UTF-8", "--no-wrap", "--sort-by-file",
             "--package-name=commissie-app", *XGETTEXT_KEYWORDS, f"--files-from={listing.name}",
             f"--output={output}"],
            capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"xgettext failed:\n{done.stderr}")


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def pot_msgids(pot: Path) -> set[str]:
    """The msgid and msgid_plural texts of a catalogue template (PO string escapes undone)."""
    ids: set[str] = set()
    current: list[str] | None = None
    for line in pot.read_text(encoding="utf-8").splitlines() + [""]:
        m = re.match(r'^(msgid|msgid_plural) "(.*)"$', line)
        if m:
            if current is not None:
                ids.add("".join(current))
            current = [m[2]]
        elif current is not None and line.startswith('"'):
            current.append(line[1:-1])
        elif current is not None:
            ids.add("".join(current))
            current = None
    return {re.sub(r'\\(.)', lambda e: _ESCAPES.get(e[1], "\\" + e[1]), i) for i in ids}


def check(root: Path, pot: Path | None = None) -> Report:
    report = Report()
    files = python_files(root)
    for path in files:
        scan_file(path, root, report)
    with tempfile.TemporaryDirectory() as tmp:
        output = pot or Path(tmp) / "messages.pot"
        run_xgettext(files, output)
        extracted = pot_msgids(output) if output.exists() else set()  # xgettext writes nothing when it finds nothing
    for missing in sorted(report.msgids - extracted - {""}):
        report.problems.append(f"not in xgettext's catalogue: {missing[:100]!r}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", default=str(Path(__file__).resolve().parent.parent / "commissie_app"))
    parser.add_argument("--pot", type=Path, help="write the catalogue template (.pot) to this file")
    args = parser.parse_args(argv)
    if args.pot:
        args.pot.parent.mkdir(parents=True, exist_ok=True)
    report = check(Path(args.package).resolve(), args.pot)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        print(f"{len(report.problems)} user string(s) xgettext cannot extract.", file=sys.stderr)
        return 1
    print(f"{len(report.msgids)} user strings, all extractable" + (f"; template: {args.pot}" if args.pot else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
