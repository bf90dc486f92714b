"""Help › Sneltoetsen: the keyboard shortcuts of the main window, read from its actions (issue 13).

The list is collected from the actions themselves, so it cannot drift from what the keys do; the
shortcut that follows the page shown (Ctrl+N) is listed as it is on the page the dialog was opened from.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.i18n import _
from commissie_app.ui.widgets import close_buttons, resize_within_screen


def action_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """(what, keys) for every action of ``window`` that has a shortcut, in menu order, without the
    mnemonic '&' and the trailing '…'."""
    rows = []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys and action.text():
            rows.append((action.text().replace("&", "").rstrip("…"), ", ".join(keys)))
    # keys of a page or panel (QShortcut) that say what they do, while that page or panel is shown
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if shortcut.whatsThis() and shortcut.isEnabled() and not shortcut.key().isEmpty() and \
                (not isinstance(owner, QWidget) or owner.isVisible()):
            rows.append((shortcut.whatsThis(), shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setWindowTitle(_("Sneltoetsen"))
        rows = action_shortcuts(window)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels([_("Opdracht"), _("Toets")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 460, 420)

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]
