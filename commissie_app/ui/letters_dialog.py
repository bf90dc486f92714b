"""Besluitbrieven of one meeting: generate, preview, print, save, mark as sent, e-mail draft.

``LettersDialog(ctx, meeting_id)`` is standalone; the meeting view opens it ("Besluitbrieven…").
Generating runs off the UI thread through :func:`commissie_app.ui.tasks.run_task` with its
progress dialog. The preview shows the archived PDF's pages inside the app and prints them through
the system print dialog (``ui/pdf_preview.py``: PDFium renders, Qt shows and prints).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.rules import kenmerk_file_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import letter_archive, letter_generation, letter_sending, meeting_detail
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_archive import LetterInfo
from commissie_app.ui import tasks
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import DateEdit, MessageBanner, format_local_datetime, heading_label, plain_label

from commissie_app.ui.pdf_preview import PdfPreviewDialog, print_pdf

COLUMNS = (_("Kenmerk"), _("Organisatie"), _("Besluit"), _("Versie"), _("Gemaakt"), _("Verzonden"))


class MarkSentDialog(QDialog):
    """Asks when and how the letter went out (post or e-mail)."""

    def __init__(self, info: LetterInfo, today: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Markeren als verzonden"))
        self._today = today
        self.date_edit = DateEdit(self)
        self.date_edit.setDate(today)
        self.post_radio = QRadioButton(_("Per post"), self)
        self.email_radio = QRadioButton(_("Per e-mail"), self)
        self.post_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.post_radio)
        group.addButton(self.email_radio)
        ways = QHBoxLayout()
        ways.addWidget(self.post_radio)
        ways.addWidget(self.email_radio)
        ways.addStretch(1)
        intro = plain_label(_("Brief {kenmerk} aan {org} (versie {v}). Na het markeren kan deze brief niet meer "
                              "worden gewijzigd.").format(kenmerk=getattr(info, "title", info.kenmerk), org=info.organisation,
                                                           v=info.letter_version))
        intro.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #B00020;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(_("Verzonden op"), self.date_edit)
        form.addRow(_("Verzonden"), ways)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Markeren als verzonden"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Annuleren"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)

    def values(self) -> tuple[dt.date, str]:
        return self.date_edit.date(), ("email" if self.email_radio.isChecked() else "post")

    def _check(self) -> None:
        day = self.date_edit.date()
        if day is None:
            message = _("Vul een geldige datum in (dd-mm-jjjj).")
        elif day > self._today:
            message = _("De verzenddatum kan niet in de toekomst liggen.")
        else:
            self.accept()
            return
        self.error_label.setText(message)
        self.error_label.show()


def ask_and_mark_sent(dialog, ctx: ServiceContext, info, mark) -> None:
    """Ask when and how ``info``'s letter went out, record it with ``mark(ctx, id, day, via)`` and reload
    ``dialog`` on that letter (the decision letters' dialog and the other letters' one)."""
    if info is None or info.is_sent:
        return
    ask = MarkSentDialog(info, ctx.today(), dialog)
    if ask.exec() != QDialog.DialogCode.Accepted:
        return
    day, via = ask.values()
    try:
        mark(ctx, info.id, day, via)
    except DomainError as err:
        show_error(dialog, err)
    dialog.reload(info.id)


class LettersDialog(QDialog):
    """The decision letters of one meeting, every archived version."""

    def __init__(self, ctx: ServiceContext, meeting_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.rows: list[LetterInfo] = []
        self.task: tasks.Task | None = None
        self.setWindowTitle(_("Besluitbrieven"))
        self.resize(900, 460)

        self.title = heading_label("", self, 1.15)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.banner = MessageBanner(self)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.preview())

        self.generate_button = QPushButton(_("Brieven maken"), self)
        self.preview_button = QPushButton(_("Voorbeeld"), self)
        self.print_button = QPushButton(_("Afdrukken…"), self)
        self.save_button = QPushButton(_("Opslaan als PDF…"), self)
        self.sent_button = QPushButton(_("Markeren als verzonden…"), self)
        self.eml_button = QPushButton(_("E-mailconcept (.eml)…"), self)
        self.close_button = QPushButton(_("Sluiten"), self)
        self.generate_button.clicked.connect(self.generate)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_pdf)
        self.sent_button.clicked.connect(self.mark_sent)
        self.eml_button.clicked.connect(self.save_eml)
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addSpacing(16)
        for b in (self.preview_button, self.print_button, self.save_button, self.sent_button, self.eml_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.banner)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.reload()

    # ------------------------------------------------------------ data

    def reload(self, select_id: uuid.UUID | None = None) -> None:
        try:
            detail = meeting_detail.get_meeting(self.ctx, self.meeting_id)
            self.rows = letter_archive.list_letters(self.ctx, self.meeting_id)
        except DomainError as err:
            self.title.setText(_("Besluitbrieven"))
            self.banner.show_message(str(err), "error")
            self.rows = []
            self._fill()
            self.generate_button.setEnabled(False)
            return
        self.title.setText(_("Besluitbrieven van de vergadering van {day}").format(
            day=format_date_nl(detail.local_start.date())))
        closed = detail.status is MeetingStatus.CLOSED
        decisions = sum(1 for i in detail.items if i.decision)
        self.generate_button.setEnabled(closed and decisions > 0 and may(self.ctx, Action.MAKE_LETTERS))
        if not closed:
            self.banner.show_message(_("Besluitbrieven worden gemaakt als de vergadering gesloten is."), "warning")
        elif not decisions:
            self.banner.show_message(_("In deze vergadering is geen besluit genomen."), "info")
        elif not self.rows:
            self.banner.show_message(_("Er zijn nog geen brieven gemaakt. Kies ‘Brieven maken’."), "info")
        else:
            self.banner.clear()
        self._fill(select_id)

    def _fill(self, select_id: uuid.UUID | None = None) -> None:
        self.table.setRowCount(len(self.rows))
        for r, info in enumerate(self.rows):
            cells = (info.kenmerk, info.organisation, info.decision_type.label, str(info.letter_version),
                     format_local_datetime(info.generated_at) + " · " + info.generated_by,
                     info.sent_text or _("nog niet"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, str(info.id))
                self.table.setItem(r, c, item)
        row = next((i for i, info in enumerate(self.rows) if info.id == select_id), None)
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> LetterInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        for b in (self.preview_button, self.print_button, self.save_button, self.eml_button):
            b.setEnabled(info is not None)
        self.sent_button.setEnabled(info is not None and not info.is_sent and may(self.ctx, Action.MAKE_LETTERS))
        if info is not None and (not info.organisation_email or not may(self.ctx, Action.MAKE_LETTERS)):
            self.eml_button.setEnabled(False)

    # ------------------------------------------------------------ actions

    def generate(self) -> tasks.Task | None:
        if self.task is not None and not self.task.done:
            return self.task
        ctx, mid = self.ctx, self.meeting_id

        def done(infos: list[LetterInfo]) -> None:
            self.task = None
            self.reload(infos[0].id if infos else None)
            reused = sum(1 for i in infos if i.reused)
            message = _("{n} besluitbrieven gemaakt en gearchiveerd.").format(n=len(infos) - reused)
            if reused:  # unchanged unsent letters are not archived again
                message += " " + _("{n} ongewijzigd, al gearchiveerd.").format(n=reused)
            self.banner.show_message(message, "info")

        def failed(err: BaseException) -> None:
            self.task = None
            show_error(self, err, _("Brieven maken niet gelukt"))

        self.task = tasks.run_task(self, lambda report: letter_generation.generate_letters(ctx, mid, progress=report),
                                   progress=True, on_success=done, on_failure=failed,
                                   label=_("Besluitbrieven maken…"))
        return self.task

    def _pdf(self, info: LetterInfo) -> bytes | None:
        try:
            return letter_archive.letter_pdf(self.ctx, info.id)
        except DomainError as err:
            show_error(self, err)
            return None

    def _selected_pdf(self) -> tuple[LetterInfo | None, bytes | None]:
        """The selected letter and its archived PDF (None, None when nothing is selected)."""
        info = self.selected()
        return (info, self._pdf(info)) if info is not None else (None, None)

    def preview(self) -> None:
        info, pdf = self._selected_pdf()
        if pdf is None:
            return
        title = _("Voorbeeld: {kenmerk} (versie {v})").format(kenmerk=info.kenmerk, v=info.letter_version)
        self.preview_dialog = PdfPreviewDialog(pdf, title, self)
        self.preview_dialog.open()

    def print_letter(self) -> None:
        _info, pdf = self._selected_pdf()
        if pdf is not None:
            print_pdf(self, pdf)

    def save_pdf(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            name = info.filename  # the kenmerk, checked to be a plain file name
        except DomainError as err:
            show_error(self, err)
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Brief opslaan als PDF"), name,
                                                    _("PDF-bestand (*.pdf)"))
        if not path:
            return
        pdf = self._pdf(info)
        if pdf is None:
            return
        self._write(Path(path), pdf, _("Brief {kenmerk} opgeslagen als {path}."), info)

    def save_eml(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            raw = letter_sending.eml_draft(self.ctx, info.id)
            name = kenmerk_file_name(info.kenmerk, ".eml")
        except DomainError as err:
            show_error(self, err)
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("E-mailconcept opslaan"), name,
                                                    _("E-mailbericht (*.eml)"))
        if not path:
            return
        self._write(Path(path), raw, _("E-mailconcept voor {kenmerk} opgeslagen als {path}. Open het in uw "
                                       "e-mailprogramma om het te versturen."), info)

    def _write(self, path: Path, data: bytes, message: str, info: LetterInfo) -> None:
        try:
            path.write_bytes(data)
        except OSError as e:
            show_error(self, DomainError(_("Kan {path} niet schrijven: {reason}").format(
                path=path, reason=e.strerror or e)))
            return
        self.banner.show_message(message.format(kenmerk=info.kenmerk, path=path), "info")

    def mark_sent(self) -> None:
        ask_and_mark_sent(self, self.ctx, self.selected(), letter_sending.mark_sent)
