"""The "Te doen" view on the start page (issue 12), for the secretary and the chair: badges, certificates
and conditional deadlines ending within the reminder period, overdue information requests, decision
letters made but not sent. Each row takes the user to the thing: Enter, a double-click, or the button for
the current row (one button: thousands of rows in a large register must not cost a widget each).
Above it, on a database without real work yet, the first-run checklist (issue 13)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
        self.table.setToolTip(_("Dubbelklik of Enter: openen"))
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


class FirstRunChecklist(QFrame):
    """"Aan de slag" on the start page of a database without real work yet (issue 13): the three steps of
    a new commission, each ticked when done, with a button to the place to do it. It shows itself only
    while a step is open and it has not been hidden (``sig_hidden``)."""

    sig_commission = Signal()
    sig_plan_meeting = Signal()
    sig_new_application = Signal()
    sig_hidden = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("firstRunChecklist")
        self.setStyleSheet("QFrame#firstRunChecklist { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 4px; }")
        self.checklist = None
        title = QLabel(_("Aan de slag"), self)
        title.setStyleSheet("font-weight: bold;")
        self.hide_button = QToolButton(self)
        self.hide_button.setText(_("Verbergen"))
        self.hide_button.setAutoRaise(True)
        self.hide_button.setToolTip(_("Deze lijst niet meer tonen voor deze database"))
        self.hide_button.clicked.connect(self._hide_for_good)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.hide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        self.steps: dict[str, tuple[QLabel, QPushButton]] = {}
        for key, button_text, signal in (
                ("seats", _("Leden en zetels…"), self.sig_commission),
                ("meetings", _("Vergadering plannen…"), self.sig_plan_meeting),
                ("applications", _("Aanvraag registreren…"), self.sig_new_application)):
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            button = QPushButton(button_text, self)
            button.setAutoDefault(False)
            button.clicked.connect(signal)
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addLayout(row)
            self.steps[key] = (label, button)
        self.hidden_for_good = False
        self.hide()

    def show_checklist(self, checklist, *, allowed: dict[str, bool] | None = None) -> None:
        """Tick the steps of ``checklist`` (``services/first_run.Checklist``); ``allowed``: whose buttons
        this user may use (a step another role does is shown without its button)."""
        self.checklist = checklist
        texts = {
            "seats": _("Leden en zetels invullen ({held} van {seats} zetels bezet; nodig om te besluiten: "
                       "{quorum})").format(held=checklist.seats_held, seats=checklist.seats, quorum=checklist.quorum),
            "meetings": _("Vergaderingen van dit jaar plannen"),
            "applications": _("Aanvragen registreren"),
        }
        done = {"seats": checklist.seats_done, "meetings": checklist.meetings_planned,
                "applications": checklist.applications_registered}
        for key, (label, button) in self.steps.items():
            label.setText(("✔ " if done[key] else "☐ ") + texts[key])
            label.setEnabled(not done[key])  # a step done is shown greyed
            button.setVisible(not done[key] and (allowed or {}).get(key, True))
        self.setVisible(not checklist.done and not self.hidden_for_good)

    def step_done(self, key: str) -> bool:
        return self.steps[key][0].text().startswith("✔")

    def _hide_for_good(self) -> None:
        self.hidden_for_good = True
        self.hide()
        self.sig_hidden.emit()
