"""Advice to the Coördinatieteam and "Ontwikkelingen Impact Ondernemen" (issue 15): two tabs, the advice
register and the developments log, opened from the meetings page ("Advies en ontwikkelingen…") like the
members and seats. The secretary and the chair record; members and observers read (the buttons are off)."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import Action
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services import advice, advice_memos, developments
from commissie_app.services.access import may
from commissie_app.services.advice import AdviceInfo
from commissie_app.services.advice_memos import MemoInfo
from commissie_app.services.changes import recording
from commissie_app.services.context import ServiceContext
from commissie_app.services.developments import DevelopmentInfo
from commissie_app.ui import widgets
from commissie_app.ui.advice_dialogs import AdviceDialog, DevelopmentDialog, ResponseDialog, SentDialog
from commissie_app.ui.errors import show_error
from commissie_app.ui.pdf_preview import PdfPreviewDialog
from commissie_app.ui.widgets import close_buttons, plain_label, resize_within_screen

ID_ROLE = Qt.ItemDataRole.UserRole


def _table(parent: QWidget, headers: list[str], name: str, stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    for col in range(len(headers)):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[uuid.UUID, tuple[str, ...]]], keep: uuid.UUID | None) -> None:
    table.setRowCount(len(rows))
    selected = 0
    for r, (row_id, values) in enumerate(rows):
        for col, value in enumerate(values):
            cell = QTableWidgetItem(value)
            cell.setData(ID_ROLE, row_id)
            cell.setToolTip(widgets.plain(value))
            table.setItem(r, col, cell)
        if row_id == keep:
            selected = r
    if rows:
        table.selectRow(selected)


def _current_id(table: QTableWidget) -> uuid.UUID | None:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(ID_ROLE) if item is not None else None


class AdviceTab(QWidget):
    """The advice register: list, details of the selected advice, and what can be done with it."""

    sig_changed = Signal(object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[AdviceInfo] = []
        self.preview_dialog: PdfPreviewDialog | None = None
        self.table = _table(self, [_("Onderwerp"), _("Aanleiding"), _("Vastgesteld"), _("Verzonden"), _("Status")],
                            "advice", 0)
        self.table.setAccessibleName(_("Adviezen"))
        self.table.itemSelectionChanged.connect(self._show_current)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.detail = plain_label(parent=self)
        self.detail.setObjectName("adviceDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = widgets.VerticalScrollArea(self)
        scroll.setWidget(self.detail)
        scroll.setMaximumHeight(150)
        self.new_button = QPushButton(_("&Nieuw advies…"), self)
        self.new_button.clicked.connect(self.new)
        self.edit_button = QPushButton(_("&Wijzigen…"), self)
        self.edit_button.clicked.connect(self.edit)
        self.sent_button = QPushButton(_("&Verzonden…"), self)
        self.sent_button.setToolTip(_("Vastleggen wanneer het vastgestelde advies naar het Coördinatieteam ging"))
        self.sent_button.clicked.connect(self.mark_sent)
        self.response_button = QPushButton(_("&Reactie…"), self)
        self.response_button.setToolTip(_("De reactie van het Coördinatieteam vastleggen"))
        self.response_button.clicked.connect(self.record_response)
        self.memo_button = QPushButton(_("Memo &maken…"), self)
        self.memo_button.setToolTip(_("Het adviesmemo maken en bekijken (is er niets veranderd, dan het laatste)"))
        self.memo_button.clicked.connect(self.make_memo)
        self.open_memo_button = QPushButton(_("Memo &openen…"), self)
        self.open_memo_button.setToolTip(_("Het laatst gemaakte adviesmemo bekijken, zoals het is gearchiveerd"))
        self.open_memo_button.clicked.connect(self.open_latest_memo)
        self.save_memo_button = QPushButton(_("Memo op&slaan…"), self)
        self.save_memo_button.clicked.connect(self.save_memo)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.sent_button, self.response_button, self.memo_button,
                  self.open_memo_button, self.save_memo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        keep = keep or self.current_id()
        self.rows = advice.list_advice(self.ctx)
        _fill(self.table, [(a.id, (a.subject, _("gevraagd") if a.asked else _("ongevraagd"),
                                   format_date_nl(a.adopted_on), format_date_nl(a.sent_on), a.status.label))
                           for a in self.rows], keep)
        self._show_current()

    def current_id(self) -> uuid.UUID | None:
        return _current_id(self.table)

    def current(self) -> AdviceInfo | None:
        return next((a for a in self.rows if a.id == self.current_id()), None)

    def _show_current(self) -> None:
        a = self.current()
        writes = may(self.ctx, Action.RECORD_ADVICE)
        self.new_button.setEnabled(writes)
        self.edit_button.setEnabled(writes and a is not None and a.sent_on is None)
        self.sent_button.setEnabled(writes and a is not None and a.adopted_on is not None and a.sent_on is None)
        self.response_button.setEnabled(writes and a is not None and a.sent_on is not None)
        self.memo_button.setEnabled(writes and a is not None)
        self.open_memo_button.setEnabled(a is not None and a.memos > 0)
        self.save_memo_button.setEnabled(a is not None and a.memos > 0)
        if a is None:
            self.detail.setText(_("Nog geen adviezen vastgelegd.") if not self.rows else "")
            return
        parts = [a.subject, _("Aanleiding: {kind}").format(kind=a.kind_text)]
        if a.adopted_on:
            parts.append(_("Vastgesteld in de {where}").format(where=a.adopted_text))
        parts.append(_("Advies:") + "\n" + (a.text or _("(nog geen tekst)")))
        if a.response_on:
            parts.append(_("Reactie van {day}:").format(day=format_date_nl(a.response_on)) + "\n" + a.response)
        parts.append(_("Vastgelegd door {who}. Gearchiveerde memo's: {n}.").format(who=a.recorded_by, n=a.memos))
        self.detail.setText("\n\n".join(parts))

    def _run(self, dialog: QDialog, keep: uuid.UUID | None = None) -> None:
        with recording() as seen:
            accepted = dialog.exec()
        if accepted:
            self.reload(keep or getattr(dialog, "advice_id", None))
        if seen.changes:
            self.sig_changed.emit(seen.changes)

    def new(self) -> None:
        self._run(AdviceDialog(self.ctx, None, self))

    def edit(self) -> None:
        a = self.current()
        if a is not None and self.edit_button.isEnabled():
            self._run(AdviceDialog(self.ctx, a, self), a.id)

    def mark_sent(self) -> None:
        a = self.current()
        if a is not None:
            self._run(SentDialog(self.ctx, a, self), a.id)

    def record_response(self) -> None:
        a = self.current()
        if a is not None:
            self._run(ResponseDialog(self.ctx, a, self), a.id)

    def make_memo(self) -> MemoInfo | None:
        """Make (or re-use) the memo and show it in the preview."""
        a = self.current()
        if a is None:
            return None
        try:
            memo = advice_memos.make_memo(self.ctx, a.id)
        except DomainError as err:
            show_error(self, err)
            return None
        self.reload(a.id)
        self.open_memo(memo)
        return memo

    def _latest_memo(self) -> MemoInfo | None:
        a = self.current()
        memos = advice_memos.list_memos(self.ctx, a.id) if a is not None else []
        return memos[-1] if memos else None

    def open_latest_memo(self) -> None:
        memo = self._latest_memo()
        if memo is not None:
            self.open_memo(memo)

    def open_memo(self, memo: MemoInfo) -> None:
        try:
            pdf = advice_memos.memo_pdf(self.ctx, memo.id)
        except DomainError as err:
            show_error(self, err)
            return
        self.preview_dialog = PdfPreviewDialog(pdf, _("Adviesmemo – {subject} (versie {v})").format(
            subject=memo.subject, v=memo.memo_version), self)
        self.preview_dialog.show()

    def save_memo(self) -> None:
        """Save the latest archived memo (hash checked) as a PDF file."""
        memo = self._latest_memo()
        if memo is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, _("Adviesmemo opslaan"), str(Path.home() / memo.filename),
                                               _("PDF (*.pdf)"))
        if not path:
            return
        try:
            Path(path).write_bytes(advice_memos.memo_pdf(self.ctx, memo.id))
        except (DomainError, OSError) as err:
            show_error(self, err)


class DevelopmentsTab(QWidget):
    """The developments log: newest first; new, change, delete (with confirmation)."""

    sig_changed = Signal(object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[DevelopmentInfo] = []
        self.table = _table(self, [_("Datum"), _("Onderwerp"), _("Bron"), _("Vastgelegd door")], "developments", 1)
        self.table.setAccessibleName(_("Ontwikkelingen"))
        self.table.itemSelectionChanged.connect(self._show_current)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.note = plain_label(parent=self)
        self.note.setObjectName("developmentNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_button = QPushButton(_("&Nieuwe ontwikkeling…"), self)
        self.new_button.clicked.connect(self.new)
        self.edit_button = QPushButton(_("&Wijzigen…"), self)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button = QPushButton(_("Verwijderen"), self)
        self.delete_button.setToolTip(_("De ontwikkeling verwijderen (Delete)"))
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete,
                  context=Qt.ShortcutContext.WidgetShortcut).setWhatsThis(_("Ontwikkeling verwijderen"))
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.reload()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        keep = keep or _current_id(self.table)
        self.rows = developments.list_developments(self.ctx)
        _fill(self.table, [(d.id, (format_date_nl(d.happened_on), d.topic, widgets.shortened(d.source_link, 40),
                                   d.recorded_by)) for d in self.rows], keep)
        self._show_current()

    def current(self) -> DevelopmentInfo | None:
        row_id = _current_id(self.table)
        return next((d for d in self.rows if d.id == row_id), None)

    def _show_current(self) -> None:
        d = self.current()
        writes = may(self.ctx, Action.RECORD_ADVICE)
        self.new_button.setEnabled(writes)
        self.edit_button.setEnabled(writes and d is not None)
        self.delete_button.setEnabled(writes and d is not None)
        if d is None:
            self.note.setText(_("Nog geen ontwikkelingen vastgelegd.") if not self.rows else "")
            return
        source = [_("Bron: {link}").format(link=d.source_link)] if d.source_link else []
        self.note.setText("\n".join([d.note, *source]).strip())

    def _run(self, dialog: QDialog) -> None:
        with recording() as seen:
            accepted = dialog.exec()
        if accepted:
            self.reload()
        if seen.changes:
            self.sig_changed.emit(seen.changes)

    def new(self) -> None:
        self._run(DevelopmentDialog(self.ctx, None, self))

    def edit(self) -> None:
        d = self.current()
        if d is not None and self.edit_button.isEnabled():
            self._run(DevelopmentDialog(self.ctx, d, self))

    def delete(self) -> None:
        d = self.current()
        if d is None or not self.delete_button.isEnabled():
            return
        choice = widgets.ask(self, _("Ontwikkeling verwijderen"), _(
            "De ontwikkeling ‘{topic}’ van {day} verwijderen? Het logboek bewaart wat er stond.").format(
            topic=d.topic, day=format_date_nl(d.happened_on)),
            [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
             (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
        if choice != 0:
            return
        with recording() as seen:
            try:
                developments.delete_development(self.ctx, d.id, expected_version=d.version)
            except DomainError as err:
                show_error(self, err)
        self.reload()
        if seen.changes:
            self.sig_changed.emit(seen.changes)


class AdvicePage(QWidget):
    """The two tabs: "Adviezen" and "Ontwikkelingen"."""

    sig_changed = Signal(object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.advice = AdviceTab(ctx, self.tabs)
        self.developments = DevelopmentsTab(ctx, self.tabs)
        self.tabs.addTab(self.advice, _("Adviezen aan het Coördinatieteam"))
        self.tabs.addTab(self.developments, _("Ontwikkelingen Impact Ondernemen"))
        for tab in (self.advice, self.developments):
            tab.sig_changed.connect(self.sig_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)


class AdviceWindow(QDialog):
    """The page in a window of its own, opened from the meetings page and from the two agenda items."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None, *, developments_tab: bool = False):
        super().__init__(parent)
        self.setWindowTitle(_("Advies en ontwikkelingen"))
        self.page = AdvicePage(ctx, self)
        if developments_tab:
            self.page.tabs.setCurrentWidget(self.page.developments)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(close_buttons(self))
        resize_within_screen(self, 900, 600)
