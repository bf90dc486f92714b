"""Beoordelingspakketten of a meeting (the secretary): make an encrypted package for one or more members,
see the packages made, and revoke one (a lost laptop). Opened from the meeting's Documenten menu and from
Bestand › Beoordelingspakketten…; the work is ``services/review_export``."""

from __future__ import annotations

import re
import unicodedata
import uuid
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.review_format import PACKAGE_SUFFIX
from commissie_app.i18n import _, ngettext
from commissie_app.services import meeting_planning, review_export
from commissie_app.services.context import ServiceContext
from commissie_app.services.review_export import ExportResult, PackageInfo, Recipient
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import heading_label, plain_label
from commissie_app.ui.tasks import run_task
from commissie_app.ui.widgets import format_local_datetime, format_size


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def default_file_name(day, names: list[str]) -> str:
    """beoordeling-2027-03-12-lars-lid.kippakket (several members: their names, or 'leden' for more than two)."""
    who = "-".join(_slug(n) for n in names) if len(names) <= 2 else "leden"
    return f"beoordeling-{day:%Y-%m-%d}-{who}{PACKAGE_SUFFIX}"


def _recipient_text(r: Recipient) -> str:
    if r.has_key:
        return _("{name} (sleutel {fingerprint})").format(name=r.name, fingerprint=r.fingerprint)
    return _("{name} (geen sleutel)").format(name=r.name)


class ReviewExportDialog(QDialog):
    """The packages of one meeting (chosen at the top) and the form to make a new one."""

    def __init__(self, ctx: ServiceContext, meeting_id: uuid.UUID | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result: ExportResult | None = None
        self.setWindowTitle(_("Beoordelingspakketten"))
        self.meeting = QComboBox(self)
        self.meeting.setAccessibleName(_("Vergadering"))
        self.meetings = [m for m in meeting_planning.list_meetings(ctx) if m.status is not MeetingStatus.CLOSED]
        for m in self.meetings:
            self.meeting.addItem(ngettext("{day} · {status} · {n} aanvraag", "{day} · {status} · {n} aanvragen",
                                          m.application_count).format(
                day=format_date_nl(m.local_start.date()), status=m.status.label, n=m.application_count), str(m.id))
        if meeting_id is not None:
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(str(meeting_id))))
        self.meeting.currentIndexChanged.connect(lambda _i: self.reload_packages())

        members_box = QGroupBox(_("Voor wie"), self)
        members_layout = QVBoxLayout(members_box)
        self.recipients = review_export.recipients(ctx)
        self.boxes: list[QCheckBox] = []
        for r in self.recipients:
            box = QCheckBox(_recipient_text(r), members_box)
            box.toggled.connect(self._update)
            self.boxes.append(box)
            members_layout.addWidget(box)
        if not self.recipients:
            members_layout.addWidget(plain_label(_("Er zijn geen gebruikers gekoppeld aan een lid van de commissie "
                                                   "(Bestand › Gebruikers en rollen)."), members_box))
        self.use_passphrase = QCheckBox(_("Met een &wachtwoord versleutelen (eerste contact, lid zonder sleutel)"), self)
        self.use_passphrase.toggled.connect(self._update)
        self.passphrase = QLineEdit(self)
        self.passphrase_again = QLineEdit(self)
        for edit in (self.passphrase, self.passphrase_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_box = QWidget(self)
        pf = QFormLayout(self.passphrase_box)
        pf.setContentsMargins(0, 0, 0, 0)
        pf.addRow(_("Wachtwoord (ten minste 10 tekens):"), self.passphrase)
        pf.addRow(_("Nogmaals:"), self.passphrase_again)
        self.make_button = QPushButton(_("Pakket &maken…"), self)
        self.make_button.clicked.connect(self.make_package)
        self.result_label = plain_label("", self)
        self.result_label.setWordWrap(True)
        self.result_label.setObjectName("result")

        headers = [_("Gemaakt"), _("Voor"), _("Versleuteld met"), _("Geldig t/m"), _("Retouren"), _("Status")]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._update)
        self.revoke_button = QPushButton(_("&Intrekken…"), self)
        self.revoke_button.setToolTip(_("Bij een verloren laptop: een retour van dit pakket wordt daarna geweigerd"))
        self.revoke_button.clicked.connect(self.revoke_current)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        close.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow(_("&Vergadering:"), self.meeting)
        make_row = QHBoxLayout()
        make_row.addStretch(1)
        make_row.addWidget(self.make_button)
        revoke_row = QHBoxLayout()
        revoke_row.addStretch(1)
        revoke_row.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(members_box)
        layout.addWidget(self.use_passphrase)
        layout.addWidget(self.passphrase_box)
        layout.addLayout(make_row)
        layout.addWidget(self.result_label)
        layout.addWidget(heading_label(_("Gemaakte pakketten"), self, 1.1))
        layout.addWidget(self.table, 1)
        layout.addLayout(revoke_row)
        layout.addWidget(close)
        widgets.resize_within_screen(self, 720, 620)
        self.packages: list[PackageInfo] = []
        self.reload_packages()

    # -- state ----------------------------------------------------------------------------------------
    def meeting_id(self) -> uuid.UUID | None:
        data = self.meeting.currentData()
        return uuid.UUID(data) if data else None

    def chosen(self) -> list[Recipient]:
        return [r for r, box in zip(self.recipients, self.boxes) if box.isChecked() and box.isEnabled()]

    def _update(self, *_args) -> None:
        with_passphrase = self.use_passphrase.isChecked()
        self.passphrase_box.setVisible(with_passphrase)
        for r, box in zip(self.recipients, self.boxes):
            box.setEnabled(r.has_key or with_passphrase)
            if not box.isEnabled():
                box.setChecked(False)
        self.make_button.setEnabled(self.meeting_id() is not None and bool(self.chosen()))
        package = self.current_package()
        self.revoke_button.setEnabled(package is not None and not package.revoked)

    def reload_packages(self) -> None:
        meeting_id = self.meeting_id()
        self.packages = review_export.list_packages(self.ctx, meeting_id) if meeting_id else []
        self.table.setRowCount(len(self.packages))
        for row, p in enumerate(self.packages):
            status = (_("ingetrokken: {reason}").format(reason=p.revoke_reason) if p.revoked else
                      _("verlopen") if p.expires_on < self.ctx.today() else _("geldig"))
            cells = (format_local_datetime(p.created_at), ", ".join(p.member_names),
                     _("wachtwoord") if p.passphrase else _("sleutel"), format_date_nl(p.expires_on),
                     str(p.returns), status)
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._update()

    def current_package(self) -> PackageInfo | None:
        row = self.table.currentRow()
        return self.packages[row] if 0 <= row < len(self.packages) and self.table.selectedItems() else None

    # -- making a package -----------------------------------------------------------------------------
    def _passphrase(self) -> str | None:
        if not self.use_passphrase.isChecked():
            return None
        if self.passphrase.text() != self.passphrase_again.text():
            raise DomainError(_("De twee wachtwoorden zijn niet gelijk."))
        return self.passphrase.text()

    def make_package(self) -> None:
        meeting_id, chosen = self.meeting_id(), self.chosen()
        if meeting_id is None or not chosen:
            return
        try:
            passphrase = self._passphrase()
        except DomainError as err:
            show_error(self, err)
            return
        day = next(m.local_start.date() for m in self.meetings if m.id == meeting_id)
        suggested = Path.home() / default_file_name(day, [r.name for r in chosen])
        name, _filter = QFileDialog.getSaveFileName(self, _("Beoordelingspakket opslaan"), str(suggested),
                                                    _("Beoordelingspakket (*{suffix})").format(suffix=PACKAGE_SUFFIX))
        if not name:
            return
        user_ids = [r.user_id for r in chosen]
        run_task(self, lambda report: review_export.export_package(
            self.ctx, meeting_id, user_ids, Path(name), passphrase=passphrase, progress=report),
            on_success=self._made, label=_("Beoordelingspakket maken…"), progress=True)

    def _made(self, result: ExportResult) -> None:
        self.result = result
        lines = [_("Pakket opgeslagen: {path}").format(path=result.path),
                 _("Grootte {size}; geldig tot en met {day}.").format(size=format_size(result.size),
                                                                     day=format_date_nl(result.expires_on))]
        if result.fingerprints:
            lines += [_("Voor {name} (sleutel {fingerprint})").format(name=n, fingerprint=f)
                      for n, f in zip(result.member_names, result.fingerprints)]
        else:
            lines.append(_("Voor {names}. Geef het wachtwoord apart door (telefonisch), niet in dezelfde e-mail als "
                           "het pakket.").format(names=", ".join(result.member_names)))
        self.result_label.setText("\n".join(lines))
        self.passphrase.clear()
        self.passphrase_again.clear()
        self.reload_packages()

    # -- revoking -------------------------------------------------------------------------------------
    def revoke_current(self) -> None:
        package = self.current_package()
        if package is None:
            return
        reason, ok = QInputDialog.getText(self, _("Pakket intrekken"),
                                          _("Waarom wordt het pakket ingetrokken (bijvoorbeeld: laptop verloren)?"))
        if not ok:
            return
        choice = widgets.ask(
            self, _("Pakket intrekken"),
            _("Het pakket voor {names} ({meeting}) intrekken? Een retour ervan wordt daarna geweigerd; dat kan niet "
              "ongedaan worden gemaakt.").format(names=", ".join(package.member_names), meeting=package.meeting_label),
            [(_("Intrekken"), QMessageBox.ButtonRole.DestructiveRole),
             (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
        if choice != 0:
            return
        try:
            review_export.revoke_package(self.ctx, package.id, reason)
        except DomainError as err:
            show_error(self, err)
        self.reload_packages()
