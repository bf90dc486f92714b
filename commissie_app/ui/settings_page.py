"""The settings page: the letterhead of the letters (sender, address, logo, the named contact person with
phone and e-mail, and the objection procedure: heroverweging or bezwaar), shared by every machine on the
database, with a sample letter to check it before saving;
and, read-only, the commission's rules in force (adopted with ``commissie-app rules adopt``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commissie_app.documents.letter_closing import missing_contact
from commissie_app.documents.letter_content import DEFAULT_LOGO, LetterSettings
from commissie_app.domain.correspondence import ObjectionProcedure
from commissie_app.domain.errors import AttachmentError, DomainError, ValidationError
from commissie_app.domain.rules import rule_lines
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import attachments, letter_settings
from commissie_app.services import rules as rules_service
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import FIELD_ERROR_STYLE, FieldBox, MessageBanner, heading_label, plain_label

LOGO_PREVIEW = 72  # pixels


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


class SettingsPage(QWidget):
    """Emits ``sig_saved`` after the letterhead was saved."""

    sig_saved = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self._logo: Path | None = None
        self._loading = False

        heading = heading_label(_("Instellingen"), self, 1.5)
        self.banner = MessageBanner(self)

        self.sender = QLineEdit(self)
        self.organisation = QPlainTextEdit(self)
        self.address = QPlainTextEdit(self)
        for edit in (self.organisation, self.address):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.website = QLineEdit(self)
        self.contact_name = QLineEdit(self)
        self.contact_name.setObjectName("contact_name")
        self.contact_phone = QLineEdit(self)
        self.contact_phone.setObjectName("contact_phone")
        self.contact_email = QLineEdit(self)
        self.contact_email.setObjectName("contact_email")
        self.procedure = QComboBox(self)
        self.procedure.setObjectName("objection_procedure")
        self.procedure.addItem(_("Heroverweging (standaard)"), ObjectionProcedure.RECONSIDERATION.value)
        self.procedure.addItem(_("Bezwaar"), ObjectionProcedure.OBJECTION.value)

        self.fields = {
            "sender_name": FieldBox(self.sender, self),
            "organisation_lines": FieldBox(self.organisation, self, _("Elke regel hier wordt een regel op het briefpapier.")),
            "address_lines": FieldBox(self.address, self, _("Het postadres, bijvoorbeeld ‘Postbus 511’ en "
                                                            "‘2003 PB Haarlem’; ook het retouradres boven het venster.")),
            "phone": FieldBox(self.phone, self),
            "email": FieldBox(self.email, self),
            "website": FieldBox(self.website, self),
            "contact_name": FieldBox(self.contact_name, self, _(
                "Elke brief noemt deze persoon onder ‘Vragen?’, met telefoon en e-mail. Zolang naam, telefoon en "
                "e-mail niet zijn ingevuld, maakt de app geen brieven.")),
            "contact_phone": FieldBox(self.contact_phone, self),
            "contact_email": FieldBox(self.contact_email, self),
            "objection_procedure": FieldBox(self.procedure, self, _(
                "De commissie is geen bestuursorgaan: haar besluiten zijn geen besluiten in de zin van de Algemene "
                "wet bestuursrecht, dus staat er geen wettelijk bezwaar tegen open. Daarom noemen de besluitbrieven "
                "standaard heroverweging. Kies ‘Bezwaar’ alleen als de commissie een eigen bezwaarprocedure heeft. "
                "De brief noemt in beide gevallen het postadres hierboven, wat het verzoek moet bevatten en de "
                "termijn: zes weken vanaf de dag na verzending. Een brief over aanhouden krijgt deze alinea niet.")),
        }

        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(LOGO_PREVIEW, LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("QLabel#logoPreview { border: 1px solid palette(mid); background: white; }")
        self.logo_text = QLabel(self)
        self.logo_text.setTextFormat(Qt.TextFormat.PlainText)  # names the chosen file
        self.logo_text.setWordWrap(True)
        choose = QPushButton(_("&Kiezen…"), self)
        choose.clicked.connect(self.choose_logo)
        standard = QPushButton(_("Standaardlogo"), self)
        standard.clicked.connect(lambda: self._set_logo(DEFAULT_LOGO))
        none = QPushButton(_("Geen logo"), self)
        none.setObjectName("noLogo")
        none.clicked.connect(lambda: self._set_logo(None))
        logo_buttons = QHBoxLayout()
        for b in (choose, standard, none):
            logo_buttons.addWidget(b)
        logo_buttons.addStretch(1)
        logo_side = QVBoxLayout()
        logo_side.addWidget(self.logo_text)
        logo_side.addLayout(logo_buttons)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_side, 1)
        logo_widget = QWidget(self)
        logo_widget.setLayout(logo_row)
        self.logo_box = FieldBox(logo_widget, self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, key in ((_("&Afzender"), "sender_name"), (_("O&rganisatie"), "organisation_lines"),
                           (_("&Postadres"), "address_lines"), (_("&Telefoon"), "phone"), (_("&E-mail"), "email"),
                           (_("&Website"), "website")):
            row_label = QLabel(label, self)
            row_label.setBuddy(self.fields[key].field)
            form.addRow(row_label, self.fields[key])
        form.addRow(_("Logo"), self.logo_box)

        group = QGroupBox(_("Briefpapier van de besluitbrieven"), self)
        group.setLayout(form)

        contact_form = QFormLayout()
        contact_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, key in ((_("&Naam"), "contact_name"), (_("Te&lefoon"), "contact_phone"),
                           (_("E-&mail"), "contact_email"), (_("Be&zwaar of heroverweging"), "objection_procedure")):
            row_label = QLabel(label, self)
            row_label.setBuddy(self.fields[key].field)
            contact_form.addRow(row_label, self.fields[key])
        self.contact_group = QGroupBox(_("Contactpersoon voor de brieven"), self)
        self.contact_group.setLayout(contact_form)

        self.sample_button = QPushButton(_("&Voorbeeldbrief bekijken"), self)
        self.sample_button.clicked.connect(self.show_sample)
        self.revert_button = QPushButton(_("Her&stellen"), self)
        self.revert_button.setToolTip(_("De wijzigingen ongedaan maken en het opgeslagen briefpapier weer tonen"))
        self.revert_button.clicked.connect(self.load)
        self.save_button = QPushButton(_("&Opslaan"), self)
        self.save_button.setToolTip(_("Opslaan (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.rules_group = self._rules_group()

        elsewhere = QLabel(_(
            "De leden en zetels van de commissie beheert u onder Vergaderingen › Leden en zetels."), self)
        elsewhere.setWordWrap(True)
        elsewhere.setProperty("role", "hint")

        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 20, 24, 12)
        column.addWidget(heading)
        column.addWidget(self.banner)
        column.addWidget(group)
        column.addWidget(self.contact_group)
        column.addLayout(buttons)
        column.addWidget(self.rules_group)
        column.addWidget(elsewhere)
        column.addStretch(1)
        body.setMaximumWidth(900)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        for edit in (self.sender, self.phone, self.email, self.website, self.contact_name, self.contact_phone,
                     self.contact_email):
            edit.textChanged.connect(self._changed)
        for edit in (self.organisation, self.address):
            edit.textChanged.connect(self._changed)
        self.procedure.currentIndexChanged.connect(self._changed)
        self.load()

    def _rules_group(self) -> QGroupBox:
        """The commission's rules in force, read-only: adopted for every machine, not edited here."""
        group = QGroupBox(_("Regels van de commissie"), self)
        self.rules_adopted = plain_label(parent=group)  # names a person and a file
        self.rules_adopted.setWordWrap(True)
        self.rules_form = QFormLayout()
        hint = QLabel(_("Deze regels gelden op elke computer die deze database gebruikt. Gewijzigde regels "
                        "stelt de secretaris vast met: commissie-app rules adopt BESTAND"), group)
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        column = QVBoxLayout(group)
        column.addWidget(self.rules_adopted)
        column.addLayout(self.rules_form)
        column.addWidget(hint)
        return group

    def show_rules(self) -> None:
        """Show the rules in force, who adopted them and when."""
        while self.rules_form.rowCount():
            self.rules_form.removeRow(0)
        try:
            adopted = rules_service.rules_in_force(self.ctx)
        except DomainError as err:
            self.rules_adopted.setText(str(err))
            return
        self.rules_adopted.setText(rules_service.adopted_text(adopted))
        for label, value in rule_lines(adopted.rules):
            name = plain_label(label + ":", self.rules_group)
            shown = plain_label(value, self.rules_group)
            shown.setWordWrap(True)  # the evidence notes (issue 15) are sentences
            self.rules_form.addRow(name, shown)

    # -- data ----------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the saved letterhead (forgetting unsaved changes) and the rules in force."""
        self.show_rules()
        try:
            s = letter_settings.get_letter_settings(self.ctx)
        except DomainError as err:
            show_error(self, err)
            return
        self._loading = True
        self.sender.setText(s.sender_name)
        self.organisation.setPlainText("\n".join(s.organisation_lines))
        self.address.setPlainText("\n".join(s.address_lines))
        self.phone.setText(s.phone)
        self.email.setText(s.email)
        self.website.setText(s.website)
        self.contact_name.setText(s.contact_name)
        self.contact_phone.setText(s.contact_phone)
        self.contact_email.setText(s.contact_email)
        self.procedure.setCurrentIndex(max(0, self.procedure.findData(s.objection_procedure)))
        self._set_logo(s.logo_path)
        self._loading = False
        for box in (*self.fields.values(), self.logo_box):
            box.set_error(None)
        self.banner.clear()
        self._set_dirty(False)

    def current(self) -> LetterSettings:
        """The letterhead as the form shows it now (not saved)."""
        return LetterSettings(
            sender_name=self.sender.text().strip(),
            organisation_lines=_lines(self.organisation),
            address_lines=_lines(self.address),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            website=self.website.text().strip(),
            logo_path=self._logo,
            contact_name=self.contact_name.text().strip(),
            contact_phone=self.contact_phone.text().strip(),
            contact_email=self.contact_email.text().strip(),
            objection_procedure=self.procedure.currentData() or ObjectionProcedure.RECONSIDERATION.value,
        )

    def _check(self, for_letter: bool = False) -> dict[str, str]:
        """The fields not in order; ``for_letter``: also the contact a letter needs (saving without it is
        allowed: the letters wait until it is filled in)."""
        s = self.current()
        errors = letter_settings.check_settings(s)
        if for_letter:
            needed = {"contact_name": _("Vul de naam van de contactpersoon in; elke brief noemt hem of haar."),
                      "contact_phone": _("Vul het telefoonnummer van de contactpersoon in."),
                      "contact_email": _("Vul het e-mailadres van de contactpersoon in."),
                      "address_lines": _("Vul het postadres in; de brief noemt het voor heroverweging of bezwaar.")}
            for key, message in needed.items():
                if not (getattr(s, key) if key != "address_lines" else s.return_address):
                    errors.setdefault(key, message)
        return errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, box in self.fields.items():
            box.set_error(errors.get(key))
        self.logo_box.set_error(errors.get("logo"))
        first = next((self.fields[k].field for k in self.fields if k in errors), None)
        if first is not None:
            first.setFocus()

    def save(self) -> bool:
        errors = self._check()
        if not errors:
            try:
                letter_settings.set_letter_settings(self.ctx, self.current())
            except ValidationError as err:
                errors = dict(err.errors)
            except DomainError as err:
                show_error(self, err, _("Briefpapier niet opgeslagen"))
                return False
        self._show_errors(errors)
        if errors:
            self.banner.show_message(_("Het briefpapier is niet opgeslagen: verbeter de gemarkeerde velden."), "error")
            return False
        message = _("Het briefpapier is opgeslagen. Nieuwe besluitbrieven gebruiken het; "
                    "brieven die al gemaakt zijn, blijven zoals ze zijn.")
        missing = missing_contact(self.current())
        if missing:
            message += " " + _("Er worden nog geen brieven gemaakt: vul ook in: {missing}.").format(
                missing=", ".join(missing))
        self.banner.show_message(message, "warning" if missing else "info")
        self._set_logo(letter_settings.get_letter_settings(self.ctx).logo_path)  # the stored copy
        self._set_dirty(False)
        self.sig_saved.emit()
        return True

    # -- logo ----------------------------------------------------------------------------------
    def choose_logo(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Logo kiezen"), str(Path.home()), _("Afbeeldingen (*.png *.jpg *.jpeg);;Alle bestanden (*)"))
        if not name:
            return
        try:
            data = letter_settings.read_logo(Path(name))
            # a PNG named logo.html is refused like such an attachment: the name must say what it is
            attachments.check_name(Path(name).name, attachments.detect_type(data))
        except ValidationError as err:
            self.logo_box.set_error(err.errors.get("logo"))
            return
        except AttachmentError as err:
            self.logo_box.set_error(str(err))
            return
        self._set_logo(Path(name))

    def _set_logo(self, path: Path | None) -> None:
        self._logo = path
        self.logo_box.set_error(None)
        pixmap = QPixmap(str(path)) if path is not None else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("geen"))
        else:
            self.logo_preview.setPixmap(pixmap.scaled(
                LOGO_PREVIEW - 4, LOGO_PREVIEW - 4, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        if path is None:
            text = _("Geen logo: de brief begint met de naam van de afzender.")
        elif DEFAULT_LOGO is not None and Path(path).resolve() == Path(DEFAULT_LOGO).resolve():
            text = _("Het standaardlogo van Commissie-app.")
        elif letter_settings.is_stored_logo(path):
            text = _("Een eigen logo, opgeslagen in de database (voor elke computer hetzelfde).")
        else:
            text = _("Gekozen: {file}. Bij opslaan komt een kopie in de database.").format(file=Path(path).name)
        self.logo_text.setText(text)
        self._changed()

    # -- feedback ------------------------------------------------------------------------------
    def _changed(self) -> None:
        if not self._loading:
            self._set_dirty(True)

    def may_close(self) -> bool:
        """Asks what to do with unsaved changes; False: the user wants to stay (or saving failed)."""
        if not self.dirty:
            return True
        from PySide6.QtWidgets import QMessageBox

        from commissie_app.ui import widgets

        answer = widgets.ask(
            self, _("Briefpapier niet opgeslagen"),
            _("Het briefpapier heeft wijzigingen die nog niet zijn opgeslagen."),
            [(_("Opslaan"), QMessageBox.ButtonRole.AcceptRole),
             (_("Niet opslaan"), QMessageBox.ButtonRole.DestructiveRole),
             (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)])
        if answer == 0:
            return self.save()
        return answer == 1

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty and may(self.ctx, Action.EDIT_SETTINGS))
        self.revert_button.setEnabled(dirty)

    def show_sample(self) -> None:
        errors = self._check(for_letter=True)
        self._show_errors(errors)
        if errors:
            return
        from commissie_app.ui.pdf_preview import PdfPreviewDialog

        try:
            pdf = letter_settings.sample_letter(self.ctx, self.current())
        except DomainError as err:
            show_error(self, err)
            return
        self.sample_dialog = PdfPreviewDialog(pdf, _("Voorbeeldbrief op dit briefpapier"), self)
        self.sample_dialog.show()
