"""The application icon: PNGs in several sizes (rendered from packaging/commissie-app.svg by
scripts/make-icons.py), shown in the title bar, the task bar and the window switcher."""

from __future__ import annotations

from pathlib import Path

ICON_DIR = Path(__file__).resolve().parents[1] / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon():
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:  # with its size given, Qt reads a file only when that size is drawn
        icon.addFile(str(ICON_DIR / f"{size}x{size}" / "commissie-app.png"), QSize(size, size))
    return icon
