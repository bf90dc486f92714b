"""One recognition of the register (issue 12): its dates, its whole history, its follow-up applications,
its documents (the decision letters of its decisions, its reminders) and, for the secretary, the follow-ups to start."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
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
from commissie_app.domain.recognition import Purpose, RecognitionKind
from commissie_app.i18n import _
from commissie_app.services import correspondence, letter_archive, recognitions
from commissie_app.services.access import may
from commissie_app.services.changes import Changes, recording
from commissie_app.services.context import ServiceContext
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import heading_label, plain_label
from commissie_app.ui.widgets import format_local_datetime, long_date

def follow_up_buttons() -> tuple[tuple[Purpose, str], ...]:
    """The buttons of the follow-ups, in their order: (purpose, button text)."""
    return ((Purpose.REASSESSMENT, _("Herbeoordeling starten…")),
            (Purpose.CONVERSION, _("Omzetten naar volledige erkenning…")),
            (Purpose.RENEWAL, _("Verlengen…")))


def start_follow_up_interactive(parent: QWidget, ctx: ServiceContext, recognition_id: uuid.UUID, name: str,
                                purpose: Purpose) -> tuple[uuid.UUID | None, Changes]:
    """Ask, then start the follow-up application; its id (None: cancelled or refused) and what changed."""
    choice = widgets.ask(
        parent, _("Vervolgaanvraag starten"),
        _("Een vervolgaanvraag ({purpose}) voor ‘{name}’ aanmaken? De aanvraag krijgt de status ‘ontvangen’ en "
          "de bewijsstukken van de vorige aanvraag; werk die bij en behandel de aanvraag zoals elke andere.")
        .format(purpose=purpose.label, name=name),
        [(_("Aanmaken"), QMessageBox.ButtonRole.AcceptRole), (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)])
    if choice != 0:
        return None, Changes()
    with recording() as seen:
        try:
            app_id = recognitions.start_follow_up(ctx, recognition_id, purpose)
        except DomainError as err:
            show_error(parent, err)
            return None, Changes()
    return app_id, seen.changes


def _table(parent: QWidget, headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.setTabKeyNavigation(False)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class RecognitionDialog(QDialog):
    """``sig_open_application(id)``: the user wants an application in the editor (a follow-up, the origin);
    ``sig_changed(changes)``: a follow-up was started."""

    sig_open_application = Signal(object)
    sig_changed = Signal(object)

    def __init__(self, ctx: ServiceContext, recognition_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.recognition_id = recognition_id
        self.detail = recognitions.get_recognition(ctx, recognition_id)
        row = self.detail.row
        self.setWindowTitle(_("Erkenning: {name}").format(name=row.name))
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(row.name, self))
        layout.addLayout(self._facts())
        self.tabs = QTabWidget(self)
        self.history = self._history_table()
        self.follow_ups = self._follow_up_table()
        self.documents = self._documents_table()
        self.tabs.addTab(self.history, _("Geschiedenis"))
        self.tabs.addTab(self.follow_ups, _("Vervolgaanvragen ({n})").format(n=len(self.detail.follow_ups)))
        self.tabs.addTab(self.documents, _("Documenten ({n})").format(n=len(self.letters)))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._buttons())
        widgets.resize_within_screen(self, 900, 600)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        for table in (self.history, self.follow_ups, self.letter_table):
            table.resizeRowsToContents()  # wrapped notes, now that the columns have their widths

    # -- parts
    def _facts(self) -> QGridLayout:
        """Two facts a line (the dialog fits a 1366x768 screen at 150 %); long texts take the whole line."""
        d, row = self.detail, self.detail.row
        short = [
            (_("Status"), row.status.label), (_("Soort"), row.kind.label),
            (_("Geldig vanaf"), long_date(row.valid_from)), (_("Geldig tot en met"), long_date(row.valid_until)),
            (_("Certificaat geldig tot en met"), long_date(row.certificate_until) if row.certificate_until else _("(geen)")),
            (_("Voorwaardelijk tot en met"), long_date(row.conditional_deadline) if row.conditional_deadline else "–"),
            (_("Kenmerk"), row.kenmerk), (_("KvK-nummer"), row.kvk), (_("Gemeente"), row.municipality.label),
        ]
        long = [(_("Criteria"), ", ".join(c.label for c in row.criteria))]
        if d.override_reason:
            long.append((_("SROI-badge langer dan certificaat"), d.override_reason))
        if d.evidence_owed:
            long.append((_("Nog te leveren"), d.evidence_owed))
        if row.withdrawn_on:
            long.append((_("Ingetrokken op"), f"{long_date(row.withdrawn_on)}: {d.withdrawal_reason}"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.fact_labels = {}
        for i, (label, value) in enumerate(short):
            self._fact(grid, label, value, i // 2, (i % 2) * 2, 1)
        for j, (label, value) in enumerate(long):
            self._fact(grid, label, value, (len(short) + 1) // 2 + j, 0, 3)
        return grid

    def _fact(self, grid: QGridLayout, label: str, value: str, r: int, c: int, span: int) -> None:
        name = plain_label(label + ":", self)
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        widget = plain_label(value, self)
        widget.setWordWrap(True)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fact_labels[label] = widget
        grid.addWidget(name, r, c)
        grid.addWidget(widget, r, c + 1, 1, span)

    def _history_table(self) -> QTableWidget:
        rows = [[long_date(e.on_date), e.event.label, e.kenmerk, long_date(e.valid_until) if e.valid_until else "",
                 e.by, e.note] for e in self.detail.history]
        return _table(self, [_("Datum"), _("Gebeurtenis"), _("Kenmerk"), _("Geldig t/m"), _("Door"), _("Toelichting")],
                      rows, _("Geschiedenis"))

    def _follow_up_table(self) -> QTableWidget:
        rows = [[long_date(f.received_on), f.purpose.label, f.status.label] for f in self.detail.follow_ups]
        table = _table(self, [_("Ontvangen"), _("Soort"), _("Status")], rows, _("Vervolgaanvragen"))
        table.setToolTip(_("Dubbelklik of Enter: de aanvraag openen"))
        table.activated.connect(
            lambda ix: self.sig_open_application.emit(self.detail.follow_ups[ix.row()].application_id))
        return table

    def _documents_table(self) -> QWidget:
        """The decision letters of its decisions and its own letters (reminders): every archived version."""
        decisions = set(self.detail.decision_ids)
        self.letters = ([(i, True) for i in letter_archive.list_letters(self.ctx) if i.decision_id in decisions]
                        + [(i, False) for i in correspondence.list_correspondence(
                            self.ctx, recognition_id=self.recognition_id)])
        rows = [[_("besluitbrief ({decision})").format(decision=i.decision_type.label) if decision else i.kind.label,
                 i.kenmerk, str(i.letter_version), format_local_datetime(i.generated_at),
                 i.sent_text or _("niet verzonden")] for i, decision in self.letters]
        box = QWidget(self)
        table = _table(box, [_("Brief"), _("Kenmerk"), _("Versie"), _("Gemaakt"), _("Verzonden")], rows,
                       _("Documenten"))
        table.setToolTip(_("Dubbelklik of Enter: de brief bekijken"))
        table.activated.connect(lambda ix: self.show_letter(ix.row()))
        self.letter_table = table
        lay = QVBoxLayout(box)
        lay.addWidget(table)
        if not self.letters:
            lay.addWidget(plain_label(_("Er zijn nog geen brieven gemaakt bij deze erkenning en haar besluiten."), box))
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.action_buttons: dict[Purpose, QPushButton] = {}
        if may(self.ctx, Action.REGISTER_APPLICATION) and self.detail.row.withdrawn_on is None:
            for purpose, text in follow_up_buttons():
                if purpose is Purpose.CONVERSION and self.detail.row.kind is not RecognitionKind.CONDITIONAL:
                    continue
                button = QPushButton(text, self)
                button.clicked.connect(lambda _c=False, p=purpose: self.start_follow_up(p))
                row.addWidget(button)
                self.action_buttons[purpose] = button
        origin = QPushButton(_("Oorspronkelijke aanvraag"), self)
        origin.clicked.connect(lambda: self.sig_open_application.emit(self.detail.row.origin_application_id))
        row.addWidget(origin)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        close.rejected.connect(self.reject)
        row.addWidget(close)
        for button in self.findChildren(QPushButton):  # Enter in a table opens its row, and nothing else
            button.setAutoDefault(False)
            button.setDefault(False)
        return row

    # -- actions
    def show_letter(self, index: int) -> None:
        from commissie_app.ui.pdf_preview import PdfPreviewDialog

        info, decision = self.letters[index]
        try:
            pdf = (letter_archive.letter_pdf if decision else correspondence.correspondence_pdf)(self.ctx, info.id)
        except DomainError as err:
            show_error(self, err)
            return
        self.preview_dialog = PdfPreviewDialog(
            pdf, _("Voorbeeld: {kenmerk} (versie {v})").format(kenmerk=info.kenmerk, v=info.letter_version), self)
        self.preview_dialog.open()

    def start_follow_up(self, purpose: Purpose) -> uuid.UUID | None:
        app_id, changes = start_follow_up_interactive(self, self.ctx, self.recognition_id, self.detail.row.name,
                                                      purpose)
        if app_id is None:
            return None
        self.sig_changed.emit(changes)
        self.accept()
        self.sig_open_application.emit(app_id)
        return app_id
