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
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.i18n import _
from commissie_app.services.context import Actor, ServiceContext
from commissie_app.settings import LocalSettings
from commissie_app.ui.errors import show_error


class FirstStartDialog(QDialog):
    """Who is working on this machine. On a database without users the person typing their name becomes
    its first user, and secretary; otherwise they choose their name from the database's users (the
    secretary adds users and gives roles: a role is never chosen here). On accept the name is kept in
    the local settings; ``actor`` says who it is."""

    def __init__(self, ctx: ServiceContext, settings: LocalSettings, parent=None):
        super().__init__(parent)
        from commissie_app.services.demo import is_empty
        from commissie_app.services.users import list_users

        self.ctx = ctx
        self.settings = settings
        self.actor: Actor | None = None
        self.demo_count = 0
        self.setWindowTitle(_("Welkom bij {app}").format(app=APP_NAME))
        self.users = [u for u in list_users(ctx) if u.active]

        self.name_edit = QLineEdit(settings.get("user_name"), self)
        self.name_edit.setPlaceholderText(_("Voor- en achternaam"))
        self.user_combo = QComboBox(self)
        for user in self.users:
            self.user_combo.addItem(f"{user.name} ({user.role.label})", user.name)
        remembered = self.user_combo.findData(settings.get("user_name"))
        if remembered >= 0:
            self.user_combo.setCurrentIndex(remembered)
        form = QFormLayout()
        if self.users:
            text = _("Wie bent u? Kies uw naam. Uw naam komt in het logboek bij alles wat u wijzigt; uw rol "
                     "(secretaris, voorzitter, lid of waarnemer) bepaalt wat u mag. Staat uw naam er niet bij, "
                     "vraag dan de secretaris u toe te voegen.")
            if settings.get("user_name") and remembered < 0:
                text = _("‘{name}’ is geen (actieve) gebruiker van deze database.").format(
                    name=settings.get("user_name")) + " " + text
            form.addRow(_("&Naam:"), self.user_combo)
            self.name_edit.hide()
        else:
            text = _("U bent de eerste gebruiker van deze database en wordt daarmee secretaris: u voegt later de "
                     "andere gebruikers toe en geeft hun een rol. Uw naam komt in het logboek bij alles wat u "
                     "wijzigt.")
            form.addRow(_("&Naam:"), self.name_edit)
            self.user_combo.hide()
        intro = QLabel(text, self)
        intro.setTextFormat(Qt.TextFormat.PlainText)  # quotes a name
        intro.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote the name typed
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        form.addRow("", self.error_label)

        self.demo_check = QCheckBox(_("Demodata aanmaken"), self)
        self.demo_check.setToolTip(_("Vult de lege database met duidelijk fictieve aanvragen om de app te leren "
                                     "kennen."))
        self.demo_check.setChecked(True)
        self.demo_check.setVisible(not self.users and is_empty(ctx))

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
        (self.user_combo if self.users else self.name_edit).setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(420)

    @property
    def offers_demo(self) -> bool:
        return not self.demo_check.isHidden()

    def accept(self) -> None:
        from commissie_app.services.demo import create_demo_data
        from commissie_app.services.users import sign_in

        name = self.user_combo.currentData() if self.users else self.name_edit.text()
        own = ServiceContext(self.ctx.db, today=self.ctx.today, now=self.ctx.now)
        try:
            actor = sign_in(own, name or "")
        except ValidationError as err:
            self._show_problem(err.errors.get("name") or str(err))
            return
        except DomainError as err:  # switched off or removed meanwhile
            self._show_problem(str(err))
            return
        self.settings.set("user_name", actor.name)
        self.actor = actor
        if self.offers_demo and self.demo_check.isChecked():
            try:
                self.demo_count = create_demo_data(own)
            except DomainError as err:
                show_error(self, err)
        super().accept()

    def _show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        (self.user_combo if self.users else self.name_edit).setFocus()
