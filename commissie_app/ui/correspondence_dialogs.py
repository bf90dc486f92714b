"""Letters that are not decisions (issue 12), in the app.

* :class:`ApplicationLetters`: the row of buttons in the application editor: make the acknowledgement or the
  information request (archived, then shown in the preview), and the application's letters;
* :class:`CorrespondenceDialog`: archived letters (of one application, or those just made): preview, print,
  mark as sent (the decision letters' ``MarkSentDialog``);
* :class:`RemindersDialog` ("Herinneringen…" in the Bestand menu, for the secretary): what is due
  (``services.correspondence.due_reminders``, the same list as ``commissie-app reminders --dry-run``) with
  "Maken" for the selected ones.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Status
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import Action
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext
from commissie_app.services import correspondence
from commissie_app.services.access import may
from commissie_app.services.context import ServiceContext
from commissie_app.services.correspondence import CorrespondenceInfo
from commissie_app.ui.errors import show_error
from commissie_app.ui.letter_contact import show_letter_error
from commissie_app.ui.letters_dialog import ask_and_mark_sent
from commissie_app.ui.pdf_preview import PdfPreviewDialog
from commissie_app.ui.widgets import MessageBanner, format_local_datetime, heading_label, plain_label


def _table(parent: QWidget, headers: list[str], multi: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    hh = table.horizontalHeader()
    for col in range(len(headers)):
        hh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def preview(parent: QWidget, ctx: ServiceContext, info: CorrespondenceInfo) -> PdfPreviewDialog | None:
    """Show the archived PDF (its hash checked) in the app's preview."""
    try:
        pdf = correspondence.correspondence_pdf(ctx, info.id)
    except DomainError as err:
        show_error(parent, err)
        return None
    dialog = PdfPreviewDialog(pdf, f"{info.kind.label.capitalize()} – {info.organisation}", parent)
    dialog.show()
    return dialog


class CorrespondenceDialog(QDialog):
    """Archived letters: of one application (``application_id``), else all; every version."""

    COLUMNS = (_("Soort"), _("Organisatie"), _("Betreft"), _("Versie"), _("Gemaakt"), _("Verzonden"))

    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.application_id = ctx, application_id
        self.setWindowTitle(_("Brieven"))
        self.resize(860, 420)
        self.infos: list[CorrespondenceInfo] = []
        self.preview_dialog = None
        self.table = _table(self, list(self.COLUMNS))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.preview())
        self.preview_button = QPushButton(_("Bekijken…"), self)
        self.preview_button.clicked.connect(self.preview)
        self.sent_button = QPushButton(_("Markeren als verzonden…"), self)
        self.sent_button.clicked.connect(self.mark_sent)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sent_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self, select_id: uuid.UUID | None = None) -> None:
        self.infos = correspondence.list_correspondence(self.ctx, application_id=self.application_id)
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            cells = (info.kind.label, info.organisation, format_date_nl(info.about_date), str(info.letter_version),
                     format_local_datetime(info.generated_at), info.sent_text or _("nog niet"))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if info.id == select_id:
                self.table.selectRow(r)
        if select_id is None and self.infos:
            self.table.selectRow(len(self.infos) - 1)
        self._update_buttons()

    def selected(self) -> CorrespondenceInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.preview_button.setEnabled(info is not None)
        self.sent_button.setEnabled(info is not None and not info.is_sent and may(self.ctx, Action.MAKE_LETTERS))

    def preview(self) -> None:
        info = self.selected()
        if info is not None:
            self.preview_dialog = preview(self, self.ctx, info)

    def mark_sent(self) -> None:
        ask_and_mark_sent(self, self.ctx, self.selected(), correspondence.mark_sent, correspondence.mark_sent_dated)


class ApplicationLetters(QWidget):
    """The editor's letter buttons: acknowledgement, information request, and the application's letters."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.app_id: uuid.UUID | None = None
        self.dialog = None
        self.preview_dialog = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.ack_button = QPushButton(_("Ontvangstbevestiging maken"), self)
        self.ack_button.clicked.connect(lambda: self.make(LetterKind.ACKNOWLEDGEMENT))
        self.info_button = QPushButton(_("Informatieverzoek maken"), self)
        self.info_button.clicked.connect(lambda: self.make(LetterKind.INFO_REQUEST))
        self.letters_button = QPushButton(_("Brieven…"), self)
        self.letters_button.clicked.connect(self.show_letters)
        for b in (self.ack_button, self.info_button, self.letters_button):
            row.addWidget(b)
            b.setEnabled(False)
        row.addStretch(1)

    def set_application(self, app_id: uuid.UUID | None, status: Status | None = None,
                        info_requested: str = "") -> None:
        self.app_id = app_id
        allowed = app_id is not None and may(self.ctx, Action.MAKE_LETTERS)
        self.ack_button.setEnabled(allowed)
        self.info_button.setEnabled(allowed and status is Status.INFO_REQUESTED and bool(info_requested.strip()))
        self.info_button.setToolTip("" if self.info_button.isEnabled() else _(
            "Zet de aanvraag eerst op ‘informatie opgevraagd’, met wat u vraagt en vóór welke datum."))
        self.letters_button.setEnabled(app_id is not None)

    def make(self, kind: LetterKind) -> CorrespondenceInfo | None:
        """Make (archive) the letter and show it; an unchanged unsent one already archived is shown again."""
        try:
            info = correspondence.make_letter(self.ctx, kind, self.app_id)
        except DomainError as err:
            show_letter_error(self, err)
            return None
        self.preview_dialog = preview(self, self.ctx, info)
        return info

    def show_letters(self) -> None:
        self.dialog = CorrespondenceDialog(self.ctx, self.app_id, self)
        self.dialog.show()


class RemindersDialog(QDialog):
    """The letters that are due; "Maken" makes and archives the selected ones."""

    COLUMNS = (_("Soort"), _("Organisatie"), _("Betreft"))

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Herinneringen en brieven die klaarliggen"))
        self.resize(820, 460)
        self.letters_dialog = None
        self.due: list[correspondence.DueLetter] = []
        intro = plain_label(ngettext(
            "Herinneringen voor erkenningen die binnen {n} maand aflopen, ontvangstbevestigingen voor ontvangen "
            "aanvragen en informatieverzoeken zonder brief. Kies de brieven en maak ze; ze worden gearchiveerd "
            "en kunnen daarna worden bekeken, afgedrukt en als verzonden gemarkeerd.",
            "Herinneringen voor erkenningen die binnen {n} maanden aflopen, ontvangstbevestigingen voor ontvangen "
            "aanvragen en informatieverzoeken zonder brief. Kies de brieven en maak ze; ze worden gearchiveerd "
            "en kunnen daarna worden bekeken, afgedrukt en als verzonden gemarkeerd.",
            ctx.rules.reminder_months).format(n=ctx.rules.reminder_months))
        intro.setWordWrap(True)
        self.banner = MessageBanner(self)
        self.table = _table(self, list(self.COLUMNS), multi=True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.make_button = QPushButton(_("Maken"), self)
        self.make_button.clicked.connect(self.make_selected)
        self.letters_button = QPushButton(_("Gemaakte brieven…"), self)
        self.letters_button.clicked.connect(self.show_letters)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.addButton(self.make_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.letters_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(_("Herinneringen"), self))
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.due = correspondence.due_reminders(self.ctx)
        self.table.setRowCount(len(self.due))
        for r, d in enumerate(self.due):
            about = {LetterKind.REMINDER: _("SROI-badge loopt af op {day} ({kenmerk})"),
                     LetterKind.INFO_REQUEST: _("informatie uiterlijk {day}"),
                     LetterKind.ACKNOWLEDGEMENT: _("ontvangen op {day}")}[d.kind]
            cells = (d.kind.label, d.organisation, about.format(day=format_date_nl(d.about_date), kenmerk=d.kenmerk))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(d.line)
                self.table.setItem(r, c, item)
        if not self.due:
            self.banner.show_message(_("Er zijn geen brieven te maken."), "info")
        self._update_buttons()

    def selected(self) -> list[correspondence.DueLetter]:
        return [self.due[i.row()] for i in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())]

    def _update_buttons(self) -> None:
        self.make_button.setEnabled(bool(self.selected()) and may(self.ctx, Action.MAKE_LETTERS))

    def make_selected(self) -> list[CorrespondenceInfo]:
        chosen = self.selected()
        if not chosen:
            return []
        try:
            infos = correspondence.make_due(self.ctx, chosen)
        except DomainError as err:
            show_letter_error(self, err)
            return []
        self.reload()
        self.banner.show_message(ngettext(
            "{n} brief gemaakt en gearchiveerd. Bekijk hem, druk hem af en markeer hem als verzonden via "
            "‘Gemaakte brieven…’.",
            "{n} brieven gemaakt en gearchiveerd. Bekijk, druk af en markeer ze als verzonden via "
            "‘Gemaakte brieven…’.", len(infos)).format(n=len(infos)), "info")
        return infos

    def show_letters(self) -> None:
        self.letters_dialog = CorrespondenceDialog(self.ctx, None, self)
        self.letters_dialog.show()
