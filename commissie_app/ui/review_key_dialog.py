"""Sleutel registreren (Bestand › Gebruikers en rollen): the secretary pastes the line a member's laptop shows
(or opens it from a small file), compares the fingerprint with the member, and saves it
(``services/review_keys.register_member_key``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from commissie_app.domain.errors import DomainError
from commissie_app.domain.review_crypto import PublicKey
from commissie_app.i18n import _
from commissie_app.services import review_keys
from commissie_app.services.context import ServiceContext
from commissie_app.services.users import UserInfo
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import plain_label
from commissie_app.ui.widgets import accept_cancel_buttons

MAX_KEY_FILE = 4096  # a key file holds one line of about 130 characters


class KeyRegisterDialog(QDialog):
    def __init__(self, ctx: ServiceContext, user: UserInfo, fingerprint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("Sleutel registreren voor {name}").format(name=user.name))
        intro = plain_label(_(
            "Plak de regel die begint met ‘kip-sleutel-1:’. Het lid vindt die op de eigen laptop (Beoordelen › Mijn "
            "sleutel, of: commissie-app review key show) en kan hem per e-mail sturen of op een USB-stick geven."), self)
        intro.setWordWrap(True)
        self.current = plain_label(_("Huidige sleutel: {fingerprint}").format(fingerprint=fingerprint) if fingerprint
                                   else _("Er is nog geen sleutel geregistreerd."), self)
        self.key = QLineEdit(self)
        self.key.setAccessibleName(_("Sleutel"))
        self.key.setPlaceholderText("kip-sleutel-1:age1…")
        self.key.textChanged.connect(self._check)
        self.from_file = QPushButton(_("Uit &bestand…"), self)
        self.from_file.clicked.connect(self.load_file)
        self.fingerprint = plain_label("", self)
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setWordWrap(True)
        self.buttons = accept_cancel_buttons(self, _("Opslaan"))
        self.buttons.accepted.connect(self.accept)
        self.remove_button = self.buttons.addButton(_("Sleutel &verwijderen"), QDialogButtonBox.ButtonRole.ResetRole)
        self.remove_button.setVisible(bool(fingerprint))
        self.remove_button.clicked.connect(self.remove_key)
        row = QHBoxLayout()
        row.addWidget(self.key, 1)
        row.addWidget(self.from_file)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current)
        layout.addLayout(row)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._check()

    def _parsed(self) -> PublicKey | None:
        try:
            return PublicKey.parse(self.key.text())
        except DomainError:
            return None

    def _check(self, *_args) -> None:
        key = self._parsed()
        if key is not None:
            self.fingerprint.setText(_("Vingerafdruk: {fingerprint}\nVergelijk deze vingerafdruk met het lid "
                                       "(telefonisch of persoonlijk).").format(fingerprint=key.fingerprint()))
        else:
            self.fingerprint.setText(_("Dit is (nog) geen geldige sleutel.") if self.key.text().strip() else "")
        self.ok_button.setEnabled(key is not None)

    def load_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Sleutel openen"), "",
                                                    _("Tekstbestand (*.txt *.key);;Alle bestanden (*)"))
        if not name:
            return
        try:
            with open(Path(name), "rb") as fh:
                text = fh.read(MAX_KEY_FILE).decode("utf-8", errors="replace")
        except OSError as err:
            show_error(self, DomainError(_("Het bestand kan niet worden gelezen: {reason}").format(
                reason=err.strerror or err)))
            return
        line = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith("kip-sleutel-1:")), text.strip())
        self.key.setText(line)

    def _save(self, text: str) -> bool:
        try:
            review_keys.register_member_key(self.ctx, self.user.id, text, expected_version=self.user.version)
        except DomainError as err:
            show_error(self, err)
            return False
        return True

    def accept(self) -> None:
        if self._parsed() is not None and self._save(self.key.text()):
            super().accept()

    def remove_key(self) -> None:
        choice = widgets.ask(self, _("Sleutel verwijderen"),
                             _("De sleutel van {name} verwijderen? Daarna kan een pakket alleen nog met een "
                               "wachtwoord worden gemaakt en wordt een retour van dit lid geweigerd.").format(
                                 name=self.user.name),
                             [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
                              (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
        if choice == 0 and self._save(""):
            super().accept()
