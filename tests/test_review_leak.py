"""Issue 11, the leak test: a whole review session on the laptop writes nothing of the package unencrypted.

A separate process runs ``commissie-app review open FILE`` (the real front door, logging on) with HOME, the
XDG folders, TMPDIR and COMMISSIE_HOME all under the test's folder, and drives the review window: it reads
the PDF attachment in the preview, answers the form, declares a conflict, types the organisation's street
address into a note, and writes the return package. Afterwards every file in those folders (and every file
the session may have put in the system's temporary folder) is searched for a sentence of the PDF and for
the street address. A control shows that the search finds them when they are written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from commissie_app.domain.review_crypto import open_sealed
from commissie_app.domain.review_format import read_package
from commissie_app.services.laptop_keys import laptop_keys
from tests.review_builders import SECRET_SENTENCE, build_package

ROOT = Path(__file__).resolve().parents[1]

SESSION = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from commissie_app import cli
from commissie_app.ui import review_window, widgets

package, out, note = sys.argv[1], sys.argv[2], sys.argv[3]
widgets.ask = lambda *args, **kwargs: 1  # after the return: keep the package and the working copy
QMessageBox.information = staticmethod(lambda *args, **kwargs: QMessageBox.StandardButton.Ok)


def refuse(parent, title, text, *args, **kwargs):  # an error box would wait for a click: end the session instead
    print(title, text, file=sys.stderr)
    QApplication.instance().exit(5)


QMessageBox.warning = QMessageBox.critical = staticmethod(refuse)
QFileDialog.getSaveFileName = staticmethod(lambda *args, **kwargs: (out, ""))
report = {}

def drive():
    try:
        steps()
    except BaseException:
        import traceback
        traceback.print_exc()
        QApplication.instance().exit(6)


def steps():
    app = QApplication.instance()
    window = next(iter(review_window._OPEN_WINDOWS))
    ws = window.ws
    app_id = next(a for a, data in ws.applications.items() if data["attachments"])
    window.select_application(app_id)
    window.tabs.setCurrentWidget(window.attachments)
    pages = 0
    for row in range(window.attachments.list.count()):
        window.attachments.list.setCurrentRow(row)
        app.processEvents()
        pages += len(window.attachments.pages)
    report["pages"] = pages
    window.tabs.setCurrentIndex(2)
    window.renderer.set_answers({"region_established": "ja", "region_municipality": "Haarlem",
                                 "mission_primary": "ja", "impact_evidence": note})
    window.save_form_draft()
    window.tabs.setCurrentIndex(3)
    window.conflict_reason.setText("Ik ken de contactpersoon.")
    window.conflict_box.setChecked(True)
    window.notes.setPlainText(note)
    window.save_note()
    report["return"] = str(window.send_return())
    report["progress"] = ws.progress().text()
    window.close()
    app.quit()

QTimer.singleShot(0, drive)
status = cli.main([package])  # as a double-click runs it
print(json.dumps(dict(report, status=status)))
"""


def _files(roots: list[Path], since: float | None = None, skip: Path | None = None):
    for root in roots:
        for folder, dirs, names in os.walk(root, onerror=lambda err: None):
            if skip is not None and Path(folder).is_relative_to(skip):
                dirs[:] = []
                continue
            for name in names:
                path = Path(folder) / name
                try:
                    st = path.lstat()
                    if not path.is_file() or path.is_symlink() or st.st_size > 200_000_000:
                        continue
                    if since is not None and st.st_mtime < since:
                        continue
                    yield path, path.read_bytes()
                except OSError:
                    continue


def _found(roots: list[Path], needles: list[str], **kwargs) -> list[str]:
    forms = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le")]
    return [str(path) for path, blob in _files(roots, **kwargs) if any(f in blob for f in forms)]


def test_a_whole_review_session_writes_nothing_of_the_package_unencrypted(tmp_path, monkeypatch):
    """Issue 11: after open, attachment preview, assessing, declaring, notes and the return, no file in the home,
    config, data, cache, log or temp folders holds a sentence of an attachment or an organisation's address."""
    started = time.time() - 1
    token = uuid.uuid4().hex[:10]
    sentence = f"{SECRET_SENTENCE} {token}"
    street = f"Kleine Houtstraat {token}"
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    env_dirs = {"HOME": home, "XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local" / "share",
                "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local" / "state",
                "XDG_RUNTIME_DIR": tmp_path / "run", "TMPDIR": tmp, "COMMISSIE_HOME": home / "commissie"}
    for folder in env_dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "run").chmod(0o700)
    monkeypatch.setenv("COMMISSIE_HOME", str(env_dirs["COMMISSIE_HOME"]))  # the same laptop key as the session
    (home / "Downloads").mkdir()
    built = build_package(home / "Downloads", sentence=sentence, street=street)

    plain = read_package(open_sealed(built.path.read_bytes(), identity=laptop_keys()).entries)
    assert sentence.encode("latin-1") in plain.attachments[built.pdf_id]  # searchable in the attachment's bytes
    assert street in json.dumps(plain.data, ensure_ascii=False)
    assert _found([home], [sentence, street]) == []  # the package file itself is encrypted

    script = tmp_path / "session" / "drive.py"
    script.parent.mkdir()
    script.write_text(SESSION, encoding="utf-8")
    out = home / "Documenten" / "terug.kipretour"
    out.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "COMMISSIE_"))}
    env.update({k: str(v) for k, v in env_dirs.items()})
    env.update({"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, str(script), str(built.path), str(out), f"Bezoek aan {street}"],
                          env=env, cwd=str(tmp_path / "session"), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == 0 and report["pages"] >= 2  # the PDF page and the PNG were shown
    assert report["return"] == str(out) and out.exists()
    assert report["progress"] == "0 van 2 beoordeeld, 1 concept, 1 met belangenverstrengeling"
    assert (env_dirs["COMMISSIE_HOME"] / "data" / "beoordeling" / f"{built.manifest.package_id}.werkkopie").exists()

    roots = [home, tmp, tmp_path / "run", tmp_path / "session"]
    assert _found(roots, [sentence, street]) == []
    assert _found([Path(tempfile.gettempdir())], [sentence, street], since=started, skip=tmp_path) == []

    control = env_dirs["XDG_CACHE_HOME"] / "voorbeeld.txt"  # the control: what the search would find if written
    control.write_bytes(f"{street}\n".encode("utf-16-le") + plain.attachments[built.pdf_id])
    assert _found(roots, [sentence]) == [str(control)]
    assert _found(roots, [street]) == [str(control)]
