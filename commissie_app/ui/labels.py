"""Text in widgets shown as the user typed it: ``plain`` for widgets that guess the format, and labels
that show their text literally (or markup made by the app).

Its own small module: the main window and the application list need these for their first frame,
and nothing else of ``widgets.py`` (docs/performance.md, "Start-up: what the first frame imports").
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain(text: str) -> str:
    """Text for a widget that guesses the format itself (a message box, a tool tip, a form row label):
    text that Qt would take for markup is turned into escaped rich text that shows it literally."""
    return QtGui.Qt.convertFromPlainText(text) if QtGui.Qt.mightBeRichText(text) else text


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows its text literally, whatever it contains (names, notes, reasons a user typed).
    A QLabel left at AutoText would render ``<img src=…>`` or ``<a href=…>`` in such text as markup."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def rich_label(parent: QWidget | None = None) -> QLabel:
    """A label for markup made by the app; every piece of user text in it goes through ``widgets.escape``."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def heading_label(text: str, parent: QWidget | None, scale: float = 1.35) -> QLabel:
    """A page or dialog heading: bold, ``scale`` times the normal font size; the text is shown literally."""
    label = plain_label(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label
