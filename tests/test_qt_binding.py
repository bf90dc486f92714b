"""The installed Qt binding must not lose references on ordinary calls.

PySide6 6.12.0 dropped one reference to None or True per void call, Python slot and signal emit;
on Python 3.11 (no immortal objects) the app then aborts with 'deallocating None' after about
100,000 such calls — an hour of normal use. pyproject.toml pins a version without the bug.
"""

import subprocess
import sys

SCRIPT = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
class Emitter(QObject):
    sig = Signal()
e = Emitter()
e.sig.connect(lambda: None)
n0, t0 = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(20000):
    label.setText("x")
    label.setVisible(True)
    e.sig.emit()
print(sys.getrefcount(None) - n0, sys.getrefcount(True) - t0)
"""


def test_qt_calls_and_signals_keep_references():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    none_delta, true_delta = map(int, proc.stdout.split())
    assert abs(none_delta) < 100 and abs(true_delta) < 100, proc.stdout
