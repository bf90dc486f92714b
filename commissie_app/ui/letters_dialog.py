"""Besluitbrieven of one meeting: generate, preview, print, save, mark as sent, e-mail draft.

``LettersDialog(ctx, meeting_id)`` is standalone; the meeting view opens it ("Besluitbrieven…"), and so does
closing a meeting. It says the next step (first "Brieven maken", then the batch) and how many letters went
out. Every action works on the selected letters: one letter as before, or many at once (the batch that was
just made is selected; "Alles selecteren", Ctrl+A): one preview and one print job of them all
(``ui/letter_batch.py``), saved or e-mail drafts into one folder, marked as sent in one transaction.
Generating runs off the UI thread through :func:`commissie_app.ui.tasks.run_task` with its
progress dialog. The preview shows the archived PDF's pages inside the app and prints them through
the system print dialog (``ui/pdf_preview.py``: PDFium renders, Qt shows and prints).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
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
    QMessageBox,
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
from commissie_app.i18n import _, ngettext
from commissie_app.services.access import may
from commissie_app.services import letter_archive, letter_files, letter_generation, letter_sending, meeting_detail
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_archive import LetterInfo
from commissie_app.ui import letter_batch, tasks, widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.letter_contact import show_letter_error
from commissie_app.ui.widgets import (
    DateEdit, MessageBanner, format_local_datetime, heading_label, plain, plain_label, resize_within_screen,
)

from commissie_app.ui.pdf_preview import PdfPreviewDialog, print_pdf

BATCH = object()  # LettersDialog.reload: select the letters still to send
COLUMNS = (_("Kenmerk"), _("Organisatie"), _("Besluit"), _("Versie"), _("Gemaakt"), _("Verzonden"))


def _mark_sent_intro(infos: list) -> str:
    if len(infos) == 1:
        info = infos[0]
        return _("Brief {kenmerk} aan {org} (versie {v}). Na het markeren kan deze brief niet meer "
                 "worden gewijzigd.").format(kenmerk=getattr(info, "title", info.kenmerk), org=info.organisation,
                                             v=info.letter_version)
    names = letter_batch.named([i.kenmerk for i in infos])
    return _("{n} brieven: {names}. Alle krijgen dezelfde datum en dezelfde manier van verzenden; na het "
             "markeren kunnen ze niet meer worden gewijzigd.").format(n=len(infos), names=names)


class MarkSentDialog(QDialog):
    """Asks when and how the letter (or each of several letters) went out (post or e-mail)."""

    def __init__(self, info: LetterInfo | list[LetterInfo], today: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        infos = info if isinstance(info, list) else [info]
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
        self.intro = intro = plain_label(_mark_sent_intro(infos))
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


def ask_letter_date(parent: QWidget, infos: list, day: dt.date) -> bool | None:
    """When letters bear another date than the day they are sent (issue 14), say so and offer a new version
    dated that day: True (new version), False (send as they are, also when all dates agree), None (cancel)."""
    other = [i for i in infos if i.date_mismatch(day)]
    if not other:
        return False
    if len(infos) == 1:
        text = other[0].date_mismatch(day)
    else:
        which = (_("Deze {n} brieven") if len(other) == len(infos) else _("{n} van de {total} brieven")).format(
            n=len(other), total=len(infos))
        text = _("{which} dragen een andere datum dan {day}, de dag waarop ze worden verzonden: {names}.").format(
            which=which, day=format_date_nl(day), names=letter_batch.named([i.kenmerk for i in other]))
    text += "\n\n" + _("De datum op een verzonden brief is de dag waarop hij is verzonden. Maak een nieuwe versie "
                        "met datum {day} en markeer die als verzonden; de huidige versie blijft in het archief.").format(
        day=format_date_nl(day))
    choice = widgets.ask(parent, _("Datum van de brief"), text,
                         [(_("Nieuwe versie met datum {day}").format(day=format_date_nl(day)),
                           QMessageBox.ButtonRole.AcceptRole),
                          (_("Verzenden met de huidige datum"), QMessageBox.ButtonRole.DestructiveRole),
                          (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
                         default=0, icon=QMessageBox.Icon.Question)
    return {0: True, 1: False}.get(choice)


def ask_and_mark_sent(dialog, ctx: ServiceContext, info, mark, mark_dated) -> None:
    """Ask when and how ``info``'s letter went out, record it with ``mark(ctx, id, day, via)`` (or, for a new
    version dated the sending day, ``mark_dated``) and reload ``dialog`` on the letter marked sent (the decision
    letters' dialog and the other letters' one)."""
    if info is None or info.is_sent:
        return
    ask = MarkSentDialog(info, ctx.today(), dialog)
    if ask.exec() != QDialog.DialogCode.Accepted:
        return
    day, via = ask.values()
    new_version = ask_letter_date(dialog, [info], day)
    if new_version is None:
        return
    selected = info.id
    try:
        if new_version:
            selected = mark_dated(ctx, info.id, day, via).id
        else:
            mark(ctx, info.id, day, via)
    except DomainError as err:
        show_letter_error(dialog, err)
    dialog.reload(selected)


class LettersDialog(QDialog):
    """The decision letters of one meeting, every archived version; actions on the selected letters."""

    def __init__(self, ctx: ServiceContext, meeting_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.rows: list[LetterInfo] = []
        self.task: tasks.Task | None = None
        self.setWindowTitle(_("Besluitbrieven"))

        self.title = heading_label("", self, 1.15)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step = plain_label("")  # what to do now: make the letters, then send the batch
        self.next_step.setWordWrap(True)
        self.status_label = plain_label("")  # "3 van 4 brieven verzonden · 2 geselecteerd"
        self.banner = MessageBanner(self)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.preview())

        self.generate_button = QPushButton(_("Brieven maken"), self)
        self.select_all_button = QPushButton(_("Alles selecteren"), self)
        self.select_all_button.setToolTip(_("Alle brieven selecteren (Ctrl+A)"))
        self.preview_button = QPushButton(_("Voorbeeld"), self)
        self.print_button = QPushButton(_("Afdrukken…"), self)
        self.save_button = QPushButton(_("Opslaan als PDF…"), self)
        self.sent_button = QPushButton(_("Markeren als verzonden…"), self)
        self.eml_button = QPushButton(_("E-mailconcept (.eml)…"), self)
        self.close_button = QPushButton(_("Sluiten"), self)
        self.generate_button.clicked.connect(self.generate)
        self.select_all_button.clicked.connect(self.select_all)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_pdf)
        self.sent_button.clicked.connect(self.mark_sent)
        self.eml_button.clicked.connect(self.save_eml)
        self.close_button.clicked.connect(self.reject)
        select_all = QAction(self)
        select_all.setShortcut(QKeySequence.StandardKey.SelectAll)
        select_all.triggered.connect(self.select_all)
        self.addAction(select_all)

        steps = QHBoxLayout()
        steps.addWidget(self.generate_button)
        steps.addWidget(self.select_all_button)
        steps.addWidget(self.status_label, 1)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button, self.eml_button, self.sent_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.next_step)
        lay.addWidget(self.banner)
        lay.addLayout(steps)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        resize_within_screen(self, 960, 520)
        self.reload(select=BATCH)

    # ------------------------------------------------------------ data

    def reload(self, select_id: uuid.UUID | None | object = None, select: object = None) -> None:
        """Read the letters again; select the letter ``select_id`` (one id, a set of ids, or ``BATCH``: the
        latest unsent version of each decision, the letters still to send)."""
        select = select_id if select is None else select
        try:
            detail = meeting_detail.get_meeting(self.ctx, self.meeting_id)
            self.rows = letter_archive.list_letters(self.ctx, self.meeting_id)
        except DomainError as err:
            self.title.setText(_("Besluitbrieven"))
            self.banner.show_message(str(err), "error")
            self.rows = []
            self._fill()
            self.generate_button.setEnabled(False)
            self.next_step.hide()
            return
        self.title.setText(_("Besluitbrieven van de vergadering van {day}").format(
            day=format_date_nl(detail.local_start.date())))
        closed = detail.status is MeetingStatus.CLOSED
        decisions = sum(1 for i in detail.items if i.decision)
        may_make = may(self.ctx, Action.MAKE_LETTERS)
        self.generate_button.setEnabled(closed and decisions > 0 and may_make)
        if not closed:
            self.banner.show_message(_("Besluitbrieven worden gemaakt als de vergadering gesloten is."), "warning")
        elif not decisions:
            self.banner.show_message(_("In deze vergadering is geen besluit genomen."), "info")
        elif not self.rows:
            self.banner.show_message(_("Er zijn nog geen brieven gemaakt. Kies ‘Brieven maken’."), "info")
        else:
            self.banner.clear()
        self._show_next_step(closed and decisions > 0 and may_make, may_make)
        if select is BATCH:
            select = {i.id for i in letter_archive.latest_versions(self.rows) if not i.is_sent}
        self._fill(select)

    def _show_next_step(self, can_make: bool, may_send: bool) -> None:
        latest = letter_archive.latest_versions(self.rows)
        sent = sum(1 for i in latest if i.is_sent)
        self.generate_button.setDefault(can_make and not self.rows)
        if can_make and not self.rows:
            text = _("Stap 1: maak de besluitbrieven met ‘Brieven maken’. Daarna kunt u ze in één keer bekijken, "
                     "afdrukken, opslaan, als e-mailconcept klaarzetten en als verzonden markeren.")
        elif latest and sent < len(latest):
            text = _("Stap 2: de brieven die nog niet zijn verzonden zijn geselecteerd. Bekijk ze (Voorbeeld), druk "
                     "ze af of maak e-mailconcepten, en markeer ze als verzonden. Voor één brief: klik hem aan.")
            text = text if may_send else ""  # a member may look at the letters, not send them
        elif latest:
            text = _("Alle brieven zijn verzonden.")
        else:
            text = ""
        self.next_step.setText(text)
        self.next_step.setVisible(bool(text))
        self._sent_text = (ngettext("{sent} van {total} brief verzonden", "{sent} van {total} brieven verzonden",
                                    len(latest)).format(sent=sent, total=len(latest))
                           if latest else "")

    def _fill(self, select: uuid.UUID | set | None = None) -> None:
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
                if c == 1:
                    item.setToolTip(plain(text))
                self.table.setItem(r, c, item)
        wanted = select if isinstance(select, set) else {select}
        self.table.clearSelection()
        chosen = QItemSelection()
        for row, info in enumerate(self.rows):
            if info.id in wanted:
                chosen.select(self.table.model().index(row, 0), self.table.model().index(row, len(COLUMNS) - 1))
        if not chosen.isEmpty():
            self.table.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            first = min(chosen.indexes(), key=lambda i: (i.row(), i.column()))
            self.table.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)
        self._update_buttons()

    def selected_letters(self) -> list[LetterInfo]:
        """The selected letters, in the table's order."""
        return [self.rows[i.row()] for i in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())]

    def selected(self) -> LetterInfo | None:
        """The selected letter when exactly one is selected."""
        letters = self.selected_letters()
        return letters[0] if len(letters) == 1 else None

    def select_all(self) -> None:
        self.table.selectAll()

    def _update_buttons(self) -> None:
        letters = self.selected_letters()
        may_make = may(self.ctx, Action.MAKE_LETTERS)
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(bool(letters))
        self.select_all_button.setEnabled(bool(self.rows))
        self.sent_button.setEnabled(may_make and any(not i.is_sent for i in letters))
        self.eml_button.setEnabled(may_make and any(i.organisation_email.strip() for i in letters))
        many = len(letters) > 1
        self.save_button.setText(_("Alle opslaan als PDF…") if many else _("Opslaan als PDF…"))
        self.eml_button.setText(_("E-mailconcepten (.eml)…") if many else _("E-mailconcept (.eml)…"))
        status = [t for t in (self._sent_text if self.rows else "",
                              _("{n} geselecteerd").format(n=len(letters)) if many else "") if t]
        self.status_label.setText(" · ".join(status))

    # ------------------------------------------------------------ actions

    def generate(self) -> tasks.Task | None:
        if self.task is not None and not self.task.done:
            return self.task
        ctx, mid = self.ctx, self.meeting_id

        def done(infos: list[LetterInfo]) -> None:
            self.task = None
            self.reload(select=BATCH)
            reused = sum(1 for i in infos if i.reused)
            made = len(infos) - reused
            message = ngettext("{n} besluitbrief gemaakt en gearchiveerd.", "{n} besluitbrieven gemaakt en gearchiveerd.",
                               made).format(n=made)
            if reused:  # unchanged unsent letters are not archived again
                message += " " + ngettext("{n} brief ongewijzigd, al gearchiveerd.",
                                          "{n} brieven ongewijzigd, al gearchiveerd.", reused).format(n=reused)
            self.banner.show_message(message, "info")

        def failed(err: BaseException) -> None:
            self.task = None
            show_letter_error(self, err, _("Brieven maken niet gelukt"))

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

    def _selected_pdf(self) -> tuple[str, bytes | None]:
        """A title and the archived PDF of the selected letter, or all selected letters in one PDF."""
        letters = self.selected_letters()
        if not letters:
            return "", None
        if len(letters) == 1:
            info = letters[0]
            return (_("Voorbeeld: {kenmerk} (versie {v})").format(kenmerk=info.kenmerk, v=info.letter_version),
                    self._pdf(info))
        try:
            pdf = letter_files.combined_pdf(self.ctx, [i.id for i in letters])
        except DomainError as err:
            show_error(self, err)
            return "", None
        return _("Voorbeeld: {n} brieven ({first} t/m {last})").format(
            n=len(letters), first=letters[0].kenmerk, last=letters[-1].kenmerk), pdf

    def preview(self) -> None:
        title, pdf = self._selected_pdf()
        if pdf is None:
            return
        self.preview_dialog = PdfPreviewDialog(pdf, title, self)
        resize_within_screen(self.preview_dialog, 860, 940)
        self.preview_dialog.open()

    def print_letter(self) -> None:
        _title, pdf = self._selected_pdf()
        if pdf is not None:
            print_pdf(self, pdf)  # several letters: one print job

    def save_pdf(self) -> None:
        letters = self.selected_letters()
        if len(letters) > 1:
            letter_batch.save_all(self, letters, letter_files.PDF)
            return
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
        letters = self.selected_letters()
        if len(letters) > 1:
            letter_batch.save_all(self, letters, letter_files.EML)
            return
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
        letters = self.selected_letters()
        if len(letters) > 1:
            ask = MarkSentDialog(letters, self.ctx.today(), self)
            if ask.exec() == QDialog.DialogCode.Accepted:
                day, via = ask.values()
                new_version = ask_letter_date(self, letters, day)
                if new_version is not None:
                    letter_batch.mark_all_sent(self, letters, day, via, new_version)
        else:
            ask_and_mark_sent(self, self.ctx, self.selected(), letter_sending.mark_sent,
                              lambda ctx, letter_id, day, via: letter_generation.mark_sent_dated(
                                  ctx, [letter_id], day, via)[0])
