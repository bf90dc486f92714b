"""The organisation part of the application editor, validated field by field as the user works."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.addressing import FormOfAddress
from commissie_app.domain.codes import ImpactDomain, LegalForm, Municipality
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.validation import (
    FIELD_MAX_LENGTH,
    OrganisationData,
    normalise_kvk,
    normalise_postcode,
    validate_organisation,
)
from commissie_app.i18n import _
from commissie_app.ui.widgets import DateEdit, FieldBox

TEXT_FIELDS = ("name", "kvk", "street", "postcode", "place", "contact_person", "email", "phone", "website")


class OrganisationForm(QWidget):
    """Name, KvK, legal form, municipality, address, contact, founding date, mission and impact domains."""

    sig_changed = Signal()

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None):
        super().__init__(parent)
        self._today = today
        self._read_only = False
        self.boxes: dict[str, FieldBox] = {}
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def line(key: str, label: str, placeholder: str = "", max_len: int | None = None) -> QLineEdit:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            edit.setPlaceholderText(placeholder)
            edit.setMaxLength(max_len or FIELD_MAX_LENGTH[key])  # the domain's limits, which every way in checks
            self._add_row(form, key, label, edit)
            return edit

        self.name = line("name", _("Naam *"), _("statutaire of handelsnaam"))
        self.kvk = line("kvk", _("KvK-nummer *"), _("8 cijfers, bijvoorbeeld 01234567"),
                        FIELD_MAX_LENGTH["kvk"] + 4)  # room for the spaces and dots that are removed
        self.legal_form = QComboBox(self)
        self.legal_form.setObjectName("legal_form")
        for lf in LegalForm:
            self.legal_form.addItem(lf.label, lf.value)
        self.legal_form.setPlaceholderText(_("Kies een rechtsvorm"))
        self._add_row(form, "legal_form", _("Rechtsvorm *"), self.legal_form)
        self.municipality = QComboBox(self)
        self.municipality.setObjectName("municipality")
        for m in Municipality:
            self.municipality.addItem(m.label, m.value)
        self.municipality.setPlaceholderText(_("Kies een gemeente"))
        self._add_row(form, "municipality", _("Gemeente *"), self.municipality)
        self.street = line("street", _("Straat en huisnummer"))
        self.postcode = line("postcode", _("Postcode"), _("1234 AB"))
        self.place = line("place", _("Plaats"))
        self.contact_person = line("contact_person", _("Contactpersoon"))
        self.contact_salutation = QComboBox(self)  # issue 14: "Geachte mevrouw Van Dijk," in the letters
        self.contact_salutation.setObjectName("contact_salutation")
        for form_of_address in FormOfAddress:
            self.contact_salutation.addItem(form_of_address.label, form_of_address.value)
        self.contact_salutation.setToolTip(_("Hoe de brieven de contactpersoon aanspreken: ‘Geachte mevrouw Van "
                                             "Dijk,’, ‘Geachte heer De Boer,’ of neutraal ‘Geachte Lotte van Dijk,’."))
        self._add_row(form, "contact_salutation", _("Aanhef"), self.contact_salutation)
        self.email = line("email", _("E-mail"), _("naam@voorbeeld.nl"))
        self.phone = line("phone", _("Telefoon"), _("023 511 5115"))
        self.website = line("website", _("Website"), _("www.voorbeeld.nl"))
        self.founded_on = DateEdit(self)
        self.founded_on.setObjectName("founded_on")
        self._add_row(form, "founded_on", _("Opgericht op"), self.founded_on)
        self.mission = QPlainTextEdit(self)
        self.mission.setObjectName("mission")
        self.mission.setTabChangesFocus(True)
        self.mission.setPlaceholderText(_("Welk maatschappelijk doel streeft de organisatie na?"))
        self.mission.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self._add_row(form, "mission", _("Missie"), self.mission)

        domains = QWidget(self)
        domains.setObjectName("impact_domains")
        grid = QGridLayout(domains)
        grid.setContentsMargins(0, 0, 0, 0)
        self.domain_boxes: dict[ImpactDomain, QCheckBox] = {}
        for i, d in enumerate(ImpactDomain):
            box = QCheckBox(d.label, domains)
            box.setObjectName(f"domain_{d.value}")
            box.toggled.connect(self.sig_changed)
            grid.addWidget(box, i // 3, i % 3)
            self.domain_boxes[d] = box
        self._add_row(form, "impact_domains", _("Impactdomeinen"), domains)

        for key in TEXT_FIELDS:
            edit: QLineEdit = getattr(self, key)
            edit.textEdited.connect(self.sig_changed)
            edit.textChanged.connect(lambda _t, k=key: self._recheck_if_marked(k))
            edit.editingFinished.connect(lambda k=key: self._field_left(k))
        for key in ("legal_form", "municipality", "contact_salutation"):
            combo: QComboBox = getattr(self, key)
            combo.activated.connect(self.sig_changed)
            combo.currentIndexChanged.connect(lambda _i, k=key: self._recheck_if_marked(k))
        self.founded_on.textEdited.connect(self.sig_changed)
        self.founded_on.textChanged.connect(lambda _t: self._recheck_if_marked("founded_on"))
        self.founded_on.editingFinished.connect(lambda: self._field_left("founded_on"))
        self.mission.textChanged.connect(self._mission_changed)

        order = [self.name, self.kvk, self.legal_form, self.municipality, self.street, self.postcode, self.place,
                 self.contact_person, self.contact_salutation, self.email, self.phone, self.website, self.founded_on, self.mission,
                 *self.domain_boxes.values()]
        for a, b in zip(order, order[1:]):
            QWidget.setTabOrder(a, b)

    def _add_row(self, form: QFormLayout, key: str, label: str, field: QWidget) -> None:
        box = FieldBox(field, self)
        self.boxes[key] = box
        form.addRow(label, box)
        lbl = form.labelForField(box)
        if lbl is not None and hasattr(lbl, "setBuddy"):
            lbl.setBuddy(field)

    def _mission_changed(self) -> None:
        if not self._loading:
            self.sig_changed.emit()

    _loading = False

    # ---- values -------------------------------------------------------------------------------

    def set_data(self, data: OrganisationData | None) -> None:
        self._loading = True
        try:
            data = data or OrganisationData(name="", kvk="", legal_form=None, municipality=None)  # type: ignore[arg-type]
            for key in TEXT_FIELDS:
                getattr(self, key).setText(getattr(data, key) or "")
            self.legal_form.setCurrentIndex(
                self.legal_form.findData(data.legal_form.value) if data.legal_form else -1)
            self.municipality.setCurrentIndex(
                self.municipality.findData(data.municipality.value) if data.municipality else -1)
            self.contact_salutation.setCurrentIndex(max(0, self.contact_salutation.findData(
                FormOfAddress(getattr(data, "contact_salutation", None) or FormOfAddress.NEUTRAL).value)))
            self.founded_on.setDate(data.founded_on)
            self.mission.setPlainText(data.mission or "")
            for d, box in self.domain_boxes.items():
                box.setChecked(d in data.impact_domains)
            self.clear_errors()
        finally:
            self._loading = False

    def collect(self) -> tuple[OrganisationData, dict[str, str]]:
        """What the user entered (unnormalised), plus errors of input that cannot even be read."""
        local: dict[str, str] = {}
        try:
            founded = self.founded_on.date()
        except ValueError:
            founded = None
            local["founded_on"] = _("Vul de oprichtingsdatum in als dd-mm-jjjj, bijvoorbeeld 01-03-2015.")
        data = OrganisationData(
            name=self.name.text(),
            kvk=self.kvk.text(),
            legal_form=LegalForm(self.legal_form.currentData()) if self.legal_form.currentIndex() >= 0 else None,
            municipality=(Municipality(self.municipality.currentData())
                          if self.municipality.currentIndex() >= 0 else None),
            street=self.street.text(),
            postcode=self.postcode.text(),
            place=self.place.text(),
            contact_person=self.contact_person.text(),
            contact_salutation=FormOfAddress(self.contact_salutation.currentData() or FormOfAddress.NEUTRAL.value),
            email=self.email.text(),
            phone=self.phone.text(),
            website=self.website.text(),
            founded_on=founded,
            mission=self.mission.toPlainText(),
            impact_domains=tuple(d for d, box in self.domain_boxes.items() if box.isChecked()),
        )
        return data, local

    def check(self) -> dict[str, str]:
        """All problems with the current input, by field (the domain's own validation)."""
        data, errors = self.collect()
        try:
            validate_organisation(data, self._today())
        except ValidationError as e:
            for k, v in e.errors.items():
                errors.setdefault(k, v)
        return errors

    # ---- errors -------------------------------------------------------------------------------

    def set_errors(self, errors: dict[str, str]) -> list[str]:
        """Mark the fields named in ``errors``; return the keys that belong to this form."""
        mine = [k for k in self.boxes if k in errors]
        for key, box in self.boxes.items():
            box.set_error(errors.get(key))
        return mine

    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.set_error(None)

    def field_widget(self, key: str) -> QWidget | None:
        box = self.boxes.get(key)
        return box.field if box else None

    def error_of(self, key: str) -> str:
        return self.boxes[key].error()

    def _field_left(self, key: str) -> None:
        """Validate one field when the user leaves it, and show the normalised form of a good value."""
        if self._read_only:
            return
        message = self.check().get(key)
        self.boxes[key].set_error(message)
        if message is None:
            if key == "kvk":
                self._set_quietly(self.kvk, normalise_kvk(self.kvk.text()))
            elif key == "postcode":
                self._set_quietly(self.postcode, normalise_postcode(self.postcode.text()))

    def _set_quietly(self, edit: QLineEdit, text: str) -> None:
        if edit.text() != text:
            edit.setText(text)

    def _recheck_if_marked(self, key: str) -> None:
        """While a field is marked, re-check as the user types so the mark goes once it is right."""
        if self.boxes[key].error():
            self.boxes[key].set_error(self.check().get(key))

    # ---- read-only ----------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for key in (*TEXT_FIELDS, "founded_on"):
            getattr(self, key).setReadOnly(read_only)
        self.mission.setReadOnly(read_only)
        self.legal_form.setEnabled(not read_only)
        self.municipality.setEnabled(not read_only)
        for box in self.domain_boxes.values():
            box.setEnabled(not read_only)
