"""Issue 8, desktop conventions: a wheel installs a desktop entry and the app's icon where Linux desktops
look for them (share/applications, share/icons/hicolor), and the icon the running app sets."""

from __future__ import annotations

import configparser
import struct
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from commissie_app.ui.icon import ICON_SIZES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (path,) = out.glob("commissie_app-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def data_file(wheel: zipfile.ZipFile, path: str) -> bytes:
    (name,) = [n for n in wheel.namelist() if n.endswith(".data/data/" + path)] or [None]
    assert name is not None, f"the wheel does not install {path}"
    return wheel.read(name)


def test_the_wheel_installs_a_desktop_entry_that_starts_the_app_with_its_icon(wheel):
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(data_file(wheel, "share/applications/commissie-app.desktop").decode("utf-8"))
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Commissie-app"
    assert "Commissie Sociaal Inkopen" in desktop["Comment"]
    assert "Office" in desktop["Categories"].split(";")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert desktop["Exec"].split()[0] in scripts
    assert desktop["StartupWMClass"] == "commissie-app"  # the WM_CLASS the app's window has (test_real_window)
    assert desktop["Icon"] == "commissie-app"
    for size in ICON_SIZES:
        icon = data_file(wheel, f"share/icons/hicolor/{size}x{size}/apps/commissie-app.png")
        assert png_size(icon) == (size, size)
    assert b"<svg" in data_file(wheel, "share/icons/hicolor/scalable/apps/commissie-app.svg")


def test_the_app_carries_its_own_icon_in_every_size(wheel, qapp):
    """The window icon comes from the package itself (a wheel, an editable install, the bundle)."""
    from commissie_app.ui.icon import app_icon

    for size in ICON_SIZES:
        assert f"commissie_app/icons/{size}x{size}/commissie-app.png" in wheel.namelist()
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}


def test_the_wheel_registers_review_packages_as_a_file_type_the_app_opens(wheel, tmp_path):
    """Issue 11: a double-click on a *.kippakket file opens it in the app: the wheel installs a shared-mime-info
    type for the glob, the desktop entry names that type and passes the file (%f), and
    ``update-mime-database`` (the freedesktop tool) maps the glob to the type."""
    import shutil
    import xml.etree.ElementTree as ET

    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(data_file(wheel, "share/applications/commissie-app.desktop").decode("utf-8"))
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"].split()[1:] == ["%f"]
    assert "application/x-commissie-beoordelingspakket" in desktop["MimeType"].split(";")
    xml = data_file(wheel, "share/mime/packages/commissie-app-review.xml")
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ET.fromstring(xml).find("m:mime-type", ns)
    assert mime.get("type") == "application/x-commissie-beoordelingspakket"
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.kippakket"]
    tool = shutil.which("update-mime-database")
    if tool is None:  # pragma: no cover - present on the development machines (shared-mime-info)
        return
    (tmp_path / "mime" / "packages").mkdir(parents=True)
    (tmp_path / "mime" / "packages" / "commissie-app-review.xml").write_bytes(xml)
    subprocess.run([tool, str(tmp_path / "mime")], check=True, capture_output=True)
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert "application/x-commissie-beoordelingspakket:*.kippakket" in globs


def test_a_single_package_argument_opens_the_review_window(monkeypatch):
    """Issue 11: ``commissie-app FILE.kippakket`` (what the file manager runs on a double-click) is
    ``commissie-app review open FILE``; any other single argument is parsed as before."""
    from commissie_app import cli, cli_review_open

    opened = []
    monkeypatch.setattr(cli_review_open, "cmd_open", lambda args: opened.append(args.file) or 0)
    assert cli.main(["/home/lid/Downloads/Vergadering 12 maart.KIPPAKKET"]) == 0
    assert opened == ["/home/lid/Downloads/Vergadering 12 maart.KIPPAKKET"]
    with pytest.raises(SystemExit):
        cli.main(["/home/lid/notities.txt"])
