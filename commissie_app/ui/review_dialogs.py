"""Small dialogs of the offline review: the passphrase of a first-contact package, which member is working
(a package for several members), and "Mijn sleutel" (the laptop's public key to give to the secretary).

Tests replace ``ask_passphrase`` and ``choose_member`` (module functions) instead of driving modal dialogs."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.review_crypto import PublicKey
from commissie_app.domain.review_format import PackageMember
from commissie_app.i18n import _
from commissie_app.ui.labels import plain_label


def ask_passphrase(parent: QWidget | None, message: str) -> str | None:
    """The passphrase the secretary gave for this package; None when the member cancels."""
    text, ok = QInputDialog.getText(parent, _("Wachtwoord van het pakket"), message,
                                    QLineEdit.EchoMode.Password)
    return text if ok else None


def choose_member(parent: QWidget | None, members: tuple[PackageMember, ...]) -> PackageMember | None:
    names = [m.name for m in members]
    name, ok = QInputDialog.getItem(parent, _("Voor wie?"), _("Dit pakket is voor meerdere leden. Voor wie werkt u?"),
                                    names, 0, False)
    return members[names.index(name)] if ok and name in names else None


class KeyDialog(QDialog):
    """The laptop's public key as one line to copy, with its fingerprint to compare by phone."""

    def __init__(self, key: PublicKey, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Mijn sleutel"))
        self.resize(720, 220)
        layout = QVBoxLayout(self)
        intro = plain_label(_("Geef deze sleutelregel aan de secretaris van de commissie (per e-mail of op papier). "
                              "De secretaris registreert hem bij uw gebruiker; daarna worden pakketten voor deze "
                              "laptop versleuteld. Vergelijk samen de vingerafdruk, bijvoorbeeld telefonisch."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.key_line = QLineEdit(key.text(), self)
        self.key_line.setReadOnly(True)
        self.key_line.setAccessibleName(_("Sleutelregel"))
        row.addWidget(self.key_line, 1)
        self.copy_button = QPushButton(_("Kopiëren"), self)
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        self.fingerprint = plain_label(_("Vingerafdruk: {fingerprint}").format(fingerprint=key.fingerprint()), self)
        layout.addWidget(self.fingerprint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key_line.text())
        self.key_line.selectAll()
