#!/usr/bin/env python3
"""The Debian packages the Qt xcb platform (a real X display) needs, derived from the installed PySide6.

Follows the libraries that the xcb platform plugin, its GL integrations, input-context, image and icon
plugins and the Qt modules the app's code imports link against (``readelf -d``), through PySide6's own
libraries, to the first system library; ``ldd`` says where each one resolves and ``dpkg -S`` which
package owns it. Prints one package a line; a library that does not resolve is printed to stderr
with the plugin that needs it and the exit status is 1.

    .venv/bin/python scripts/qt-xcb-packages.py        # the PySide6 of the running interpreter

``scripts/system-packages.sh`` lists these packages for ``run``; tests/test_real_window.py checks
that it still lists all of them after a PySide6 upgrade.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

# The plugins Qt loads on X11. The PDF image-format plugin needs QtPdf, which PySide6-Essentials does
# not ship; Qt skips it, so it is left out here.
PLUGINS = ["platforms/libqxcb.so", "xcbglintegrations/*.so", "platforminputcontexts/libcompose*.so",
           "platforminputcontexts/libibus*.so", "iconengines/*.so", "imageformats/*.so"]
SKIP = {"imageformats/libqpdf.so"}
SOURCE = Path(__file__).resolve().parents[1] / "commissie_app"


def app_modules() -> set[str]:
    """The Qt modules the app's code imports (QtCore, QtGui, QtWidgets, …)."""
    imports = re.compile(r"PySide6(?:\.|\s+import\s+)(Qt\w+)")
    return {m for p in SOURCE.rglob("*.py") for m in imports.findall(p.read_text("utf-8"))}


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def needed(lib: Path) -> list[str]:
    return re.findall(r"\(NEEDED\).*\[(.+)\]", _run("readelf", "-d", str(lib)))


def resolved(lib: Path) -> dict[str, str]:
    """soname -> path (or "not found"), as the dynamic loader would resolve it for ``lib``."""
    return dict(re.findall(r"^\s*(\S+) => (not found|\S+)", _run("ldd", str(lib)), re.M))


def owner(path: str) -> str | None:
    """The package that installed ``path`` (merged /usr: dpkg knows one of the two spellings)."""
    candidates = [path, str(Path(path).resolve())]
    candidates += [c.removeprefix("/usr") if c.startswith("/usr/") else "/usr" + c for c in list(candidates)]
    for candidate in candidates:
        out = _run("dpkg-query", "-S", candidate)
        if out:
            return out.split(":", 1)[0]
    return None


def start_files(pyside: Path) -> list[Path]:
    plugins = pyside / "Qt" / "plugins"
    files = [p for pattern in PLUGINS for p in sorted(plugins.glob(pattern))
             if str(p.relative_to(plugins)) not in SKIP]
    files += [p for m in sorted(app_modules()) for p in pyside.glob(f"{m}.*.so")]
    return files


def system_libraries(pyside: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(soname -> path, soname -> needing library) of the first libraries outside PySide6/shiboken6."""
    ours = (pyside.resolve(), (pyside.parent / "shiboken6").resolve())
    todo, seen = start_files(pyside), set()
    found: dict[str, str] = {}
    missing: dict[str, str] = {}
    while todo:
        lib = todo.pop()
        if lib in seen:
            continue
        seen.add(lib)
        where = resolved(lib)
        for soname in needed(lib):
            path = where.get(soname, "not found")
            if soname.startswith("ld-linux"):
                continue  # the loader itself (libc6)
            if path == "not found":
                missing.setdefault(soname, lib.name)
            elif Path(path).resolve().is_relative_to(ours[0]) or Path(path).resolve().is_relative_to(ours[1]):
                todo.append(Path(path).resolve())
            else:
                found.setdefault(soname, path)
    return found, missing


def main() -> int:
    import PySide6

    found, missing = system_libraries(Path(PySide6.__file__).parent)
    packages = set()
    for soname, path in sorted(found.items()):
        package = owner(path)
        if package is None:
            print(f"{soname} ({path}) belongs to no Debian package", file=sys.stderr)
            missing[soname] = path
        else:
            packages.add(package)
    for soname, by in sorted(missing.items()):
        print(f"not found: {soname} (needed by {by})", file=sys.stderr)
    print("\n".join(sorted(packages)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
