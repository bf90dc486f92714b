"""The 'Vergaderingen' page: the year planner and, opened from it, one meeting.

``MeetingsPage(ctx)`` is self-contained: the main window puts it in its navigation and listens to
``sig_changed(Changes)`` (emitted after an action in a meeting changed records: which ones, so the
window re-reads only the applications it touched).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain import meetings as mrules
from commissie_app.domain.errors import DomainError
from commissie_app.domain.dates import weekday_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _, ngettext
from commissie_app.services.access import may
from commissie_app.services import commission, meeting_detail, meeting_planning
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_planning import MeetingRow
from commissie_app.ui.commission_page import CommissionPage
from commissie_app.ui.errors import show_error
from commissie_app.ui.meeting_dialogs import MeetingDialog
from commissie_app.ui.meeting_texts import STATUS_COLOURS
from commissie_app.ui.meeting_view import MeetingView
from commissie_app.ui.presentation_screens import (
    Display,
    default_display,
    displays,
    remember_screen,
    remembered_screen,
    screen_menu,
)
from commissie_app.ui.presentation_view import PresentationView
from commissie_app.ui.widgets import MessageBanner, heading_label, resize_within_screen

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class MeetingTableModel(QAbstractTableModel):
    """The meetings of one year: date, time, place or video link, status, number of items."""

    COLUMNS = 5

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[MeetingRow] = []

    def set_rows(self, rows: list[MeetingRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Datum"), _("Tijd"), _("Plaats / videolink"), _("Status"), _("Agendapunten"))[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        local = row.local_start
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return f"{weekday_name(local)} {format_date_nl(local.date())}"
            if index.column() == 1:
                return local.strftime("%H:%M")
            if index.column() == 2:
                return row.place
            if index.column() == 3:
                return row.status.label
            if index.column() == 4:
                return ngettext("{n} ({a} aanvraag)", "{n} ({a} aanvragen)", row.application_count).format(
                    n=row.item_count, a=row.application_count)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3:
            return QColor(STATUS_COLOURS[row.status])
        if role == ID_ROLE:
            return row.id
        return None


class YearPlanner(QWidget):
    """Meetings per calendar year, with the twice-a-year and composition warnings."""

    sig_open_requested = Signal(object)  # meeting id
    sig_new_requested = Signal()
    sig_commission_requested = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None, *, dismissed: set[str] | None = None):
        """``dismissed``: the warnings closed in this session (shared with the main window, issue 13)."""
        super().__init__(parent)
        self.ctx = ctx
        heading = heading_label(_("Vergaderingen"), self)
        self.year_combo = QComboBox(self)
        self.year_combo.setObjectName("year")
        self.year_combo.setAccessibleName(_("Jaar"))
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload_rows())
        year_label = QLabel(_("&Jaar"), self)
        year_label.setBuddy(self.year_combo)
        self.new_button = QPushButton(_("Nieuwe vergadering…"), self)
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.sig_new_requested)
        self.new_button.setEnabled(may(ctx, Action.PLAN_MEETING))
        self.open_button = QPushButton(_("Openen"), self)
        self.open_button.clicked.connect(self._open_current)
        self.commission_button = QPushButton(_("Leden en zetels…"), self)
        self.commission_button.clicked.connect(self.sig_commission_requested)
        self.advice_button = QPushButton(_("Advies en ontwikkelingen…"), self)
        self.advice_button.setToolTip(_("Adviezen aan het Coördinatieteam en ontwikkelingen Impact Ondernemen"))
        self.advice_button.clicked.connect(self.show_advice)
        self.advice_window = None

        dismissed = set() if dismissed is None else dismissed
        self.year_banner = MessageBanner(self, dismissed=dismissed)
        self.composition_banner = MessageBanner(self, dismissed=dismissed)
        self.composition_banner.sig_action.connect(self.sig_commission_requested)

        self.model = MeetingTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("meetings")
        self.table.setAccessibleName(_("Vergaderingen"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda index: self.sig_open_requested.emit(index.data(ID_ROLE)))
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("empty")
        self.empty_label.setProperty("role", "hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()  # the heading stands above, so the page fits a small laptop screen
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addSpacing(12)
        top.addWidget(self.commission_button)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        top.addStretch(1)
        head = QHBoxLayout()  # the advice register (issue 15) beside the heading: the row below is full
        head.addWidget(heading, 1)
        head.addWidget(self.advice_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.year_banner)
        layout.addWidget(self.composition_banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self._all_rows: list[MeetingRow] = []

    def show_advice(self) -> None:
        """The advice register and the developments log (issue 15), in a window of their own."""
        from commissie_app.ui.advice_page import AdviceWindow

        self.advice_window = AdviceWindow(self.ctx, self)
        self.advice_window.exec()

    def selected_year(self) -> int:
        return self.year_combo.currentData() or self.ctx.today().year

    def set_year(self, year: int) -> None:
        index = self.year_combo.findData(year)
        if index < 0:
            self._fill_years(extra=year)
            index = self.year_combo.findData(year)
        self.year_combo.setCurrentIndex(index)

    def _fill_years(self, extra: int | None = None) -> None:
        current = self.year_combo.currentData() or extra or self.ctx.today().year
        today = self.ctx.today().year
        years = {today - 1, today, today + 1} | {r.local_start.year for r in self._all_rows}
        if extra:
            years.add(extra)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in sorted(years):
            self.year_combo.addItem(str(y), y)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)

    def reload(self) -> None:
        """Everything: the years on offer, the meetings and both warnings (nothing without a database)."""
        if self.ctx is None:
            return
        try:
            self._all_rows = meeting_planning.list_meetings(self.ctx)
            composition = commission.composition_warnings(self.ctx)
        except DomainError as err:
            show_error(self, err)
            return
        self._fill_years()
        if composition:
            self.composition_banner.show_message(
                _("Samenstelling van de commissie:") + "\n" + "\n".join(f"• {w}" for w in composition),
                "warning", _("Leden en zetels…"))
        else:
            self.composition_banner.clear()
        self.reload_rows()

    def reload_rows(self) -> None:
        year = self.selected_year()
        selected = self.current_id()
        rows = [r for r in self._all_rows if r.local_start.year == year]
        self.model.set_rows(rows)
        warnings = mrules.year_warnings([(r.local_start.date(), r.status) for r in rows], [year])
        if warnings:
            self.year_banner.show_message("\n".join(warnings), "warning")
        else:
            self.year_banner.clear()
        self.empty_label.setText(_("Nog geen vergaderingen in {year}. Kies ‘Nieuwe vergadering…’ (Ctrl+N).")
                                 .format(year=year))
        self.empty_label.setVisible(not rows)
        row = next((n for n, r in enumerate(rows) if r.id == selected), 0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.open_button.setEnabled(bool(rows))

    def current_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(ID_ROLE) if index.isValid() else None

    def select_meeting(self, meeting_id: uuid.UUID) -> None:
        row = next((n for n, r in enumerate(self.model.rows) if r.id == meeting_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def _open_current(self) -> None:
        meeting_id = self.current_id()
        if meeting_id is not None:
            self.sig_open_requested.emit(meeting_id)


class MeetingsPage(QWidget):
    """Year planner and meeting view in one page (a stack); the presentation opens in its own window."""

    sig_changed = Signal(object)  # Changes, from the meeting view

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None, *, dismissed: set[str] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.presentation: PresentationView | None = None
        self.screens = displays  # the screens to choose from (tests give stand-ins)
        self.screen_menu: QMenu | None = None
        self.planner = YearPlanner(ctx, self, dismissed=dismissed)
        self.meeting_view = MeetingView(ctx, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.planner)
        self.stack.addWidget(self.meeting_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.planner.sig_new_requested.connect(self.new_meeting)
        self.planner.sig_open_requested.connect(self.open_meeting)
        self.planner.sig_commission_requested.connect(self.show_commission)
        self.meeting_view.sig_back.connect(self.show_planner)
        self.meeting_view.sig_changed.connect(self.sig_changed)
        self.meeting_view.sig_presentation_requested.connect(self.show_presentation)
        # Ctrl+N on the page alone; in the main window its File › Nieuwe vergadering… has it (issue 13)
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self, self.new_meeting,
                                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.planner.reload()

    def set_context(self, ctx: ServiceContext) -> None:
        """Another database was opened: start again at the planner."""
        self.ctx = self.planner.ctx = self.meeting_view.ctx = ctx
        self.planner.new_button.setEnabled(may(ctx, Action.PLAN_MEETING))
        self.meeting_view.detail = None
        self.show_planner()

    def reload(self) -> None:
        if self.stack.currentWidget() is self.meeting_view:
            self.meeting_view.reload()
        else:
            self.planner.reload()

    def new_meeting(self) -> None:
        if self.ctx is None:
            return
        dlg = MeetingDialog(self.ctx, None, self)
        if dlg.exec() and dlg.meeting_id:
            self.planner.reload()
            day = meeting_detail.get_meeting(self.ctx, dlg.meeting_id).local_start
            self.planner.set_year(day.year)
            self.planner.select_meeting(dlg.meeting_id)

    def open_meeting(self, meeting_id: uuid.UUID) -> None:
        try:
            self.meeting_view.load(meeting_id)
        except DomainError as err:
            show_error(self, err)
            self.planner.reload()
            return
        self.stack.setCurrentWidget(self.meeting_view)
        self.meeting_view.agenda.setFocus()

    def show_planner(self) -> None:
        if self.presentation is not None:
            self.presentation.close()
        current = self.meeting_view.detail.id if self.meeting_view.detail else None
        self.stack.setCurrentWidget(self.planner)
        self.planner.reload()
        if current:
            self.planner.select_meeting(current)
        self.planner.table.setFocus()

    def show_presentation(self) -> None:
        """F5 / Presentatie: the projector view of the meeting. With several screens a small menu at the button
        lists them (name and resolution), the last one chosen or else the one beside the main window
        preselected; with one screen it opens as a window on it. Once open, F5 brings it to the front."""
        view = self.meeting_view
        if view.detail is None:
            return
        if self.presentation is not None:
            self.presentation.raise_()
            self.presentation.activateWindow()
            return
        shown = self.screens()
        choice = default_display(shown, self.window().frameGeometry(), remembered_screen())
        if len(shown) < 2:
            self.present_on(choice)
            return
        if self.screen_menu is not None:
            self.screen_menu.deleteLater()
        self.screen_menu = screen_menu(self, shown, choice, self.present_on)
        button = view.present_button
        self.screen_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def present_on(self, display: Display) -> None:
        """Opens the projector view on ``display``: full screen on a screen other than the main window's, as a
        window on the main window's own screen. It and the meeting view follow each other's agenda item."""
        view = self.meeting_view
        if view.detail is None:
            return
        if len(self.screens()) > 1:
            remember_screen(display)
        if self.presentation is None:
            self.presentation = PresentationView(view.detail, self, screens=self.screens)
            self.presentation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.presentation.destroyed.connect(self._presentation_gone)
            view.sig_detail_changed.connect(self.presentation.show_detail)
            view.sig_current_item_changed.connect(self.presentation.show_item)
            self.presentation.sig_item_changed.connect(self._follow_presentation)
        self.presentation.show_detail(view.detail)
        self.presentation.show_item(view.current_item().id if view.current_item() else None)
        self.presentation.show_on(display)
        self.presentation.raise_()
        self.presentation.activateWindow()

    def _follow_presentation(self, item_id: uuid.UUID) -> None:
        """Stepping on the projector moves the meeting view's current item along."""
        row = self.meeting_view.model.row_of(item_id)
        if row >= 0:
            self.meeting_view.select_row(row)

    def _presentation_gone(self) -> None:
        self.presentation = None

    def show_commission(self) -> None:
        dlg = QDialog(self)
        dlg.setWindowTitle(_("Leden en zetels"))
        page = CommissionPage(self.ctx, dlg)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(dlg.reject)
        layout = QVBoxLayout(dlg)
        layout.addWidget(page)
        layout.addWidget(buttons)
        resize_within_screen(dlg, 760, 560)
        dlg.exec()
        self.reload()

