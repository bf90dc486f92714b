"""Bestand › Gebruikers en rollen: who may use the app on this database and with which role.

Everybody sees the list; only the secretary changes it (the service refuses anyone else, so the
buttons are only disabled here). A user is switched off, never deleted: their name stays in the log.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import PERMISSIONS, Action
from commissie_app.i18n import _
from commissie_app.services import commission, review_export, users
from commissie_app.services.access import may
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import accept_cancel_buttons

ROLES = (Role.SECRETARY, Role.CHAIR, Role.MEMBER, Role.OBSERVER)


def role_summary(role: Role) -> str:
    """What a role may do, in one Dutch sentence (shown beside the role choice)."""
    actions = [a.label for a in Action if a in PERMISSIONS[role]]
    if not actions:
        return _("Alleen lezen: ziet alles, wijzigt niets.")
    if len(actions) == len(Action):
        return _("Mag alles, ook gebruikers en rollen beheren.")
    return _("Mag: {list}.").format(list="; ".join(actions))


class UserEditDialog(QDialog):
    """Add a user (``user`` None) or change one's role, linked member and active flag."""

    def __init__(self, ctx: ServiceContext, user: users.UserInfo | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.setWindowTitle(_("Gebruiker toevoegen") if user is None else _("Gebruiker wijzigen"))
        self.name = QLineEdit(user.name if user else "", self)
        self.name.setMaxLength(200)
        self.name.setReadOnly(user is not None)  # the name is what the log shows: it stays
        self.role = QComboBox(self)
        for role in ROLES:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(ROLES.index(user.role if user else Role.MEMBER))
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setProperty("role", "hint")
        self.role.currentIndexChanged.connect(self._show_summary)
        self.member = QComboBox(self)
        self.member.addItem(_("(geen: secretaris of waarnemer)"), "")
        for m in commission.list_members(ctx):
            self.member.addItem(m.name, str(m.id))  # Qt finds a str back with findData, not a UUID
        if user is not None and user.member_id is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(str(user.member_id))))
        self.active = QCheckBox(_("Actief (mag de app gebruiken)"), self)
        self.active.setChecked(user.active if user else True)
        self.active.setVisible(user is not None)

        form = QFormLayout()
        form.addRow(_("&Naam:"), self.name)
        form.addRow(_("&Rol:"), self.role)
        form.addRow("", self.summary)
        form.addRow(_("&Lid van de commissie:"), self.member)
        form.addRow("", self.active)
        buttons = accept_cancel_buttons(self, _("Opslaan"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._show_summary()

    def _show_summary(self) -> None:
        self.summary.setText(role_summary(Role(self.role.currentData())))

    def accept(self) -> None:
        role = Role(self.role.currentData())
        member_id = uuid.UUID(self.member.currentData()) if self.member.currentData() else None
        try:
            if self.user is None:
                users.add_user(self.ctx, self.name.text(), role, member_id)
            else:
                users.update_user(self.ctx, self.user.id, role=role, member_id=member_id,
                                  active=self.active.isChecked(), expected_version=self.user.version)
        except DomainError as err:
            show_error(self, err)
            return
        super().accept()


class UsersDialog(QDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Gebruikers en rollen"))
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([_("Naam"), _("Rol"), _("Lid van de commissie"), _("Actief"),
                                              _("Sleutel (laptop)")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.edit_user)
        manage = may(ctx, Action.MANAGE_USERS)
        self.add_button = QPushButton(_("&Toevoegen…"), self)
        self.add_button.clicked.connect(self.add_user)
        self.edit_button = QPushButton(_("&Wijzigen…"), self)
        self.edit_button.clicked.connect(self.edit_user)
        for button in (self.add_button, self.edit_button):
            button.setEnabled(manage)
        self.may_register_keys = may(ctx, Action.REVIEW_PACKAGES)
        self.key_button = QPushButton(_("&Sleutel registreren…"), self)
        self.key_button.setToolTip(_("De sleutel van de laptop van een lid, voor versleutelde beoordelingspakketten"))
        self.key_button.clicked.connect(self.register_key)
        self.key_button.setEnabled(False)
        self.table.itemSelectionChanged.connect(
            lambda: self.key_button.setEnabled(self.may_register_keys and self.table.currentRow() >= 0))
        note = QLabel(_("Alleen de secretaris voegt gebruikers toe en wijzigt rollen.") if not manage else
                      _("Een gebruiker wordt uitgeschakeld, niet verwijderd: de naam blijft in het logboek staan."),
                      self)
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addWidget(self.key_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(640, 380)
        self.reload()

    def reload(self) -> None:
        self.users = users.list_users(self.ctx)
        self.fingerprints = review_export.key_fingerprints(self.ctx)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            cells = (u.name, u.role.label, u.member_name, _("ja") if u.active else _("nee"),
                     self.fingerprints.get(u.id) or _("geen sleutel"))
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def add_user(self) -> None:
        if UserEditDialog(self.ctx, None, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def edit_user(self, *_args) -> None:
        row = self.table.currentRow()
        if not self.edit_button.isEnabled() or row < 0:
            return
        if UserEditDialog(self.ctx, self.users[row], self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def register_key(self) -> None:
        from commissie_app.ui.review_key_dialog import KeyRegisterDialog

        row = self.table.currentRow()
        if not self.key_button.isEnabled() or row < 0:
            return
        user = self.users[row]
        dialog = KeyRegisterDialog(self.ctx, user, self.fingerprints.get(user.id, ""), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.table.selectRow(row)
