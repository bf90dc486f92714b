"""Changing the status of an application: only the transitions the workflow allows can be chosen."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain import workflow
from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DomainError, StaleEditError, ValidationError
from commissie_app.i18n import _
from commissie_app.services import applications
from commissie_app.services.context import ServiceContext
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import FIELD_ERROR_STYLE, DateEdit, FieldBox, MessageBanner


class StatusDialog(QDialog):
    """Asks the new status (only allowed targets), a remark, and for 'informatie opgevraagd'
    what was asked and by when; then makes the change through the service."""

    def __init__(
        self,
        ctx: ServiceContext,
        app_id: uuid.UUID,
        current: Status,
        expected_version: int | None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.app_id = app_id
        self.current = current
        self.expected_version = expected_version
        self.setWindowTitle(_("Status wijzigen"))
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.setMinimumWidth(460)

        layout = QVBoxLayout(self)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        form = QFormLayout()
        layout.addLayout(form)
        form.addRow(_("Huidige status:"), QLabel(f"<b>{current.label}</b>", self))

        self.target = QComboBox(self)
        self.target.setObjectName("target")
        for s in workflow.allowed_targets(current):
            self.target.addItem(s.label, s.value)
        self.target.setPlaceholderText(_("Kies de nieuwe status"))
        self.target.setCurrentIndex(-1)
        self.target_box = FieldBox(self.target, self)
        form.addRow(_("Nieuwe status:"), self.target_box)

        self.on_date = DateEdit(self)
        self.on_date.setObjectName("on_date")
        self.on_date.setDate(ctx.today())
        self.on_date_box = FieldBox(self.on_date, self)
        form.addRow(_("Datum:"), self.on_date_box)

        self.info_requested = QPlainTextEdit(self)
        self.info_requested.setObjectName("info_requested")
        self.info_requested.setTabChangesFocus(True)
        self.info_requested.setPlaceholderText(_("Bijvoorbeeld: kopie van het PSO-certificaat"))
        self.info_requested.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.info_box = FieldBox(self.info_requested, self)
        self.info_label = QLabel(_("Opgevraagde informatie *"), self)
        self.info_label.setBuddy(self.info_requested)
        form.addRow(self.info_label, self.info_box)

        self.info_due_on = DateEdit(self)
        self.info_due_on.setObjectName("info_due_on")
        self.due_box = FieldBox(self.info_due_on, self)
        self.due_label = QLabel(_("Uiterste datum voor de informatie *"), self)
        self.due_label.setBuddy(self.info_due_on)
        form.addRow(self.due_label, self.due_box)

        self.remark = QPlainTextEdit(self)
        self.remark.setObjectName("remark")
        self.remark.setTabChangesFocus(True)
        self.remark.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.remark_box = FieldBox(self.remark, self)
        form.addRow(_("Opmerking:"), self.remark_box)

        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "field-error")
        layout.addWidget(self.warning)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Status wijzigen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Annuleren"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.target.currentIndexChanged.connect(self._target_changed)
        self.target.currentIndexChanged.connect(lambda _i: self.target_box.set_error(None))
        self.info_requested.textChanged.connect(lambda: self._recheck(self.info_box))
        self.info_due_on.textChanged.connect(lambda _t: self._recheck(self.due_box))
        self._target_changed()
        if self.target.count() == 0:
            self.banner.show_message(_("Vanuit de status ‘{s}’ kan de status niet met de hand worden gewijzigd.")
                                     .format(s=current.label), "info")
            self.ok_button.setEnabled(False)
        for a, b in zip([self.target, self.on_date, self.info_requested, self.info_due_on, self.remark],
                        [self.on_date, self.info_requested, self.info_due_on, self.remark, self.ok_button]):
            QWidget.setTabOrder(a, b)

    def selected_target(self) -> Status | None:
        code = self.target.currentData()
        return Status(code) if code else None

    def offered_targets(self) -> list[Status]:
        return [Status(self.target.itemData(i)) for i in range(self.target.count())]

    def _target_changed(self) -> None:
        asking = self.selected_target() is Status.INFO_REQUESTED
        for w in (self.info_label, self.info_box, self.due_label, self.due_box):
            w.setVisible(asking)
        if self.selected_target() is Status.WITHDRAWN:
            self.warning.setText(_("Let op: intrekken is definitief. Een ingetrokken aanvraag kan niet meer "
                                   "worden gewijzigd of heropend."))
        else:
            self.warning.setText("")
        self.warning.setVisible(bool(self.warning.text()))
        self.adjustSize()

    def _recheck(self, box: FieldBox) -> None:
        if box.error():
            self._local_errors()  # refresh marks as the user fixes them

    def _local_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        try:
            on_date = self.on_date.date()
            if on_date is None:
                errors["on_date"] = _("Vul de datum van de statuswijziging in.")
            elif on_date > self.ctx.today():
                errors["on_date"] = _("De datum van de statuswijziging kan niet in de toekomst liggen.")
        except ValueError:
            errors["on_date"] = _("Vul de datum in als dd-mm-jjjj, bijvoorbeeld 23-11-2026.")
        if self.selected_target() is Status.INFO_REQUESTED:
            if not self.info_requested.toPlainText().strip():
                errors["info_requested"] = _("Beschrijf welke informatie is opgevraagd.")
            try:
                if self.info_due_on.date() is None:
                    errors["info_due_on"] = _("Vul de uiterste datum voor de informatie in.")
            except ValueError:
                errors["info_due_on"] = _("Vul de uiterste datum in als dd-mm-jjjj, bijvoorbeeld 07-12-2026.")
        self._show_errors(errors)
        return errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        boxes = {"on_date": self.on_date_box, "info_requested": self.info_box, "info_due_on": self.due_box,
                 "remark": self.remark_box}
        for key, box in boxes.items():
            box.set_error(errors.get(key))
        for key, box in boxes.items():
            if key in errors:
                box.field.setFocus()
                break
        other = [m for k, m in errors.items() if k not in boxes]
        if other:
            self.banner.show_message("\n".join(other), "error")
        self.layout().activate()
        self.adjustSize()

    def submit(self) -> None:
        target = self.selected_target()
        self.banner.clear()
        local = self._local_errors()
        self.target_box.set_error(None if target else _("Kies de nieuwe status uit de lijst."))
        if target is None:
            self.target.setFocus()
            return
        if local:
            return
        if target is Status.WITHDRAWN:
            answer = widgets.ask(
                self,
                _("Aanvraag intrekken"),
                _("Weet u zeker dat u deze aanvraag wilt intrekken? Dit is definitief: de aanvraag kan daarna "
                  "niet meer worden gewijzigd."),
                [(_("Intrekken"), QMessageBox.ButtonRole.DestructiveRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
                default=1,
                icon=QMessageBox.Icon.Warning,
            )
            if answer != 0:
                return
        asking = target is Status.INFO_REQUESTED
        try:
            applications.change_status(
                self.ctx,
                self.app_id,
                target,
                expected_version=self.expected_version,
                remark=self.remark.toPlainText(),
                on_date=self.on_date.date(),
                info_requested=self.info_requested.toPlainText() if asking else "",
                info_due_on=self.info_due_on.date() if asking else None,
            )
        except ValidationError as err:
            self._show_errors(err.errors)
            return
        except StaleEditError as err:
            self.banner.show_message(str(err), "error")
            self.ok_button.setEnabled(False)
            return
        except DomainError as err:
            self.banner.show_message(str(err), "error")
            return
        except Exception as err:  # noqa: BLE001
            show_error(self, err)
            return
        self.accept()
