"""First start: who is using the app, and (for an empty database) whether to add demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from commissie_app import APP_NAME
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.i18n import _
from commissie_app.services.context import Actor, ServiceContext
from commissie_app.settings import LocalSettings
from commissie_app.ui.errors import show_error


class FirstStartDialog(QDialog):
    """On accept: the user is registered and saved in the local settings; ``actor`` says who it is."""

    def __init__(self, ctx: ServiceContext, settings: LocalSettings, parent=None):
        super().__init__(parent)
        from commissie_app.services.demo import is_empty

        self.ctx = ctx
        self.settings = settings
        self.actor: Actor | None = None
        self.demo_count = 0
        self.setWindowTitle(_("Welkom bij {app}").format(app=APP_NAME))

        intro = QLabel(_("Wie gebruikt de app op deze computer? Uw naam komt in het logboek bij alles wat u "
                         "wijzigt."), self)
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(settings.get("user_name"), self)
        self.name_edit.setPlaceholderText(_("Voor- en achternaam"))
        self.role_combo = QComboBox(self)
        for role in (Role.SECRETARY, Role.CHAIR, Role.MEMBER, Role.GUEST):
            self.role_combo.addItem(role.label, role.value)  # Qt keeps a str enum as a plain string
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote the name typed
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(_("&Naam:"), self.name_edit)
        form.addRow(_("&Rol:"), self.role_combo)
        form.addRow("", self.error_label)

        self.demo_check = QCheckBox(_("Demodata aanmaken"), self)
        self.demo_check.setToolTip(_("Vult de lege database met duidelijk fictieve aanvragen om de app te leren "
                                     "kennen."))
        self.demo_check.setChecked(True)
        self.demo_check.setVisible(is_empty(ctx))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Beginnen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Afsluiten"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.demo_check)
        layout.addWidget(buttons)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(420)

    @property
    def offers_demo(self) -> bool:
        return not self.demo_check.isHidden()

    def accept(self) -> None:
        from commissie_app.services.demo import create_demo_data
        from commissie_app.services.users import register_user

        role = Role(self.role_combo.currentData())
        try:
            name = " ".join(self.name_edit.text().split())
            own = ServiceContext(self.ctx.db, Actor(name, role), self.ctx.today)  # the log says who registered
            actor = register_user(own, name, role)
        except ValidationError as err:
            self.error_label.setText(err.errors.get("name") or str(err))
            self.error_label.show()
            self.name_edit.setFocus()
            return
        self.settings.set("user_name", actor.name)
        self.settings.set("user_role", actor.role.value)
        self.actor = actor
        if self.offers_demo and self.demo_check.isChecked():
            try:
                self.demo_count = create_demo_data(ServiceContext(self.ctx.db, actor, self.ctx.today))
            except DomainError as err:
                show_error(self, err)
        super().accept()
