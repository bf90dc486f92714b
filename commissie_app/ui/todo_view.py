"""The "Te doen" view on the start page (issue 12), for the secretary and the chair: badges, certificates
and conditional deadlines ending within the reminder period, overdue information requests, decision
letters made but not sent. Each row takes the user to the thing: Enter, a double-click, or the button for
the current row (one button: thousands of rows in a large register must not cost a widget each)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Role
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.todo_rows import TodoRow, todo_rows
from commissie_app.ui.labels import plain
from commissie_app.ui.widgets import long_date

#: who sees the view: those who prepare the meetings
ROLES = frozenset({Role.SECRETARY, Role.CHAIR})
VISIBLE_ROWS = 3


def _button_text(row: TodoRow) -> str:
    if row.kind == "letter":
        return _("Brieven openen…")
    if row.kind == "info_request":
        return _("Aanvraag openen…")
    return _("Erkenning openen…")


class TodoView(QWidget):
    """``sig_open_recognition(id)``, ``sig_open_application(id)``, ``sig_open_letters(meeting_id, letter_id)``."""

    sig_open_recognition = Signal(object)
    sig_open_application = Signal(object)
    sig_open_letters = Signal(object, object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[TodoRow] = []
        self.setObjectName("todoView")
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("font-weight: bold;")
        self.toggle.toggled.connect(self._fold)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName(_("Te doen"))
        self.table.setToolTip(_("Dubbelklik of Enter: ernaartoe"))
        self.table.setHorizontalHeaderLabels([_("Datum"), _("Wat"), _("Organisatie")])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda ix: self.go(ix.row()))
        self.open_button = QPushButton(self)
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda: self.go(self.table.currentRow()))
        self.table.itemSelectionChanged.connect(self._update_button)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle)
        top.addStretch(1)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.reload()

    def reload(self) -> None:
        self.rows = todo_rows(self.ctx)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, value in enumerate((long_date(row.on_date), row.text, row.name)):
                item = QTableWidgetItem(value)
                item.setToolTip(plain(value))  # a name may look like markup: shown as typed
                self.table.setItem(r, c, item)
        if self.rows:
            self.table.setCurrentCell(0, 0)
        self._update_button()
        self.toggle.setText(_("Te doen ({n})").format(n=len(self.rows)))
        self._fit()
        self.setVisible(bool(self.rows))

    def _fit(self) -> None:
        """At most ``VISIBLE_ROWS`` rows high (the list below keeps the room); scrolls beyond."""
        rows = min(len(self.rows), VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(rows))
        self.table.setFixedHeight(height)

    def _update_button(self) -> None:
        r = self.table.currentRow()
        self.open_button.setEnabled(0 <= r < len(self.rows))
        self.open_button.setText(_button_text(self.rows[r]) if 0 <= r < len(self.rows) else _("Openen…"))

    def _fold(self, open_: bool) -> None:
        self.table.setVisible(open_)
        self.open_button.setVisible(open_)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)

    def go(self, index: int) -> None:
        """Take the user to what the row is about."""
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if row.kind == "letter":
            self.sig_open_letters.emit(row.meeting_id, row.letter_id)
        elif row.recognition_id is not None:
            self.sig_open_recognition.emit(row.recognition_id)
        elif row.application_id is not None:
            self.sig_open_application.emit(row.application_id)


def may_see(ctx: ServiceContext) -> bool:
    return ctx.actor.role in ROLES
