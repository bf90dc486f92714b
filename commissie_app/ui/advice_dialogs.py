"""The dialogs of the advice register and the developments log (issue 15): an advice, its sending date, the
Coördinatieteam's response, and one development. Each calls its service on save and shows field errors
under the fields; a refused save keeps the dialog open."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.advice import MAX_LENGTH, AdviceData, DevelopmentData
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.i18n import _
from commissie_app.services import advice, developments
from commissie_app.services.advice import AdviceInfo
from commissie_app.services.context import ServiceContext
from commissie_app.services.developments import DevelopmentInfo
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import FIELD_ERROR_STYLE, DateEdit, FieldBox, accept_cancel_buttons, plain_label


class _Form:
    """What the dialogs below share (a mixin of QDialog): a form of labelled fields with their error lines,
    and the save/cancel buttons."""

    def _init_form(self, ctx: ServiceContext, title: str, ok_text: str) -> None:
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.form = QFormLayout()
        self.boxes: dict[str, FieldBox] = {}
        self.buttons = accept_cancel_buttons(self, ok_text)
        self.buttons.accepted.connect(self.save)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def finish(self, width: int = 560) -> None:
        self.layout_.addWidget(self.buttons)
        self.resize(width, self.sizeHint().height())

    def field(self, name: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        box = FieldBox(widget, self, hint)
        self.boxes[name] = box
        self.form.addRow(label, box)
        lbl = self.form.labelForField(box)
        if isinstance(lbl, QLabel):
            lbl.setBuddy(widget)
        if isinstance(widget, QLineEdit) and name in MAX_LENGTH:
            widget.setMaxLength(MAX_LENGTH[name])
        return widget

    def date_of(self, name: str, edit: DateEdit) -> dt.date | None:
        try:
            return edit.date()
        except ValueError:
            raise ValidationError({name: _("Dit is geen datum; typ bijvoorbeeld 23-11-2026.")}) from None

    def run(self, call) -> None:
        """Call the service; close on success, else show the errors under their fields (or in a message)."""
        for box in self.boxes.values():
            box.set_error(None)
        try:
            call()
        except ValidationError as err:
            shown = [name for name in err.errors if name in self.boxes]
            for name in shown:
                self.boxes[name].set_error(err.errors[name])
            if len(shown) < len(err.errors):
                show_error(self, err)
            return
        except DomainError as err:
            show_error(self, err)
            return
        self.accept()


class AdviceDialog(_Form, QDialog):
    """A new advice, or the subject, question and text of one not yet sent."""

    def __init__(self, ctx: ServiceContext, info: AdviceInfo | None = None, parent: QWidget | None = None):
        QDialog.__init__(self, parent)
        self._init_form(ctx, _("Advies wijzigen") if info else _("Nieuw advies"),
                         _("Opslaan") if info else _("Toevoegen"))
        self.info = info
        self.advice_id: uuid.UUID | None = info.id if info else None
        self.subject = self.field("subject", _("&Onderwerp"), QLineEdit(self))
        self.asked_button = QRadioButton(_("&Gevraagd door het Coördinatieteam"), self)
        self.unasked_button = QRadioButton(_("O&ngevraagd"), self)
        group = QButtonGroup(self)
        for b in (self.asked_button, self.unasked_button):
            group.addButton(b)
        kind = QWidget(self)
        row = QHBoxLayout(kind)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.asked_button)
        row.addWidget(self.unasked_button)
        row.addStretch(1)
        self.form.addRow(_("Aanleiding"), kind)
        self.asked_by = self.field("asked_by", _("Gevraagd &door"), QLineEdit(self))
        self.asked_on = self.field("asked_on", _("Gevraagd o&p"), DateEdit(self))
        self.text = self.field("text", _("&Advies"), QPlainTextEdit(self),
                               _("Alinea's scheiden met een lege regel; een opsomming met ‘- ’ per regel."))
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(120)
        self.asked_button.toggled.connect(self._asked_changed)
        if info:
            self.subject.setText(info.subject)
            self.asked_by.setText(info.asked_by)
            self.asked_on.setDate(info.asked_on)
            self.text.setPlainText(info.text)
        (self.asked_button if info is None or info.asked else self.unasked_button).setChecked(True)
        self._asked_changed(self.asked_button.isChecked())
        self.finish(620)

    def _asked_changed(self, asked: bool) -> None:
        for w in (self.asked_by, self.asked_on):
            w.setEnabled(asked)

    def data(self) -> AdviceData:
        return AdviceData(subject=self.subject.text(), asked=self.asked_button.isChecked(),
                          text=self.text.toPlainText(), asked_by=self.asked_by.text(),
                          asked_on=self.date_of("asked_on", self.asked_on))

    def save(self) -> None:
        def call():
            if self.info is None:
                self.advice_id = advice.add_advice(self.ctx, self.data())
            else:
                advice.update_advice(self.ctx, self.info.id, self.data(), expected_version=self.info.version)

        self.run(call)


class SentDialog(_Form, QDialog):
    """The date the adopted advice went to the Coördinatieteam."""

    def __init__(self, ctx: ServiceContext, info: AdviceInfo, parent: QWidget | None = None):
        QDialog.__init__(self, parent)
        self._init_form(ctx, _("Advies verzonden"), _("Vastleggen"))
        self.info = info
        self.layout_.insertWidget(0, plain_label(_("Advies: {subject}").format(subject=info.subject), self))
        self.sent_on = self.field("sent_on", _("&Verzonden op"), DateEdit(self),
                                  _("Daarna ligt de tekst van het advies vast."))
        self.sent_on.setDate(ctx.today())
        self.finish(460)

    def save(self) -> None:
        self.run(lambda: advice.mark_sent(self.ctx, self.info.id, self.date_of("sent_on", self.sent_on),
                                          expected_version=self.info.version))


class ResponseDialog(_Form, QDialog):
    """The Coördinatieteam's response to a sent advice."""

    def __init__(self, ctx: ServiceContext, info: AdviceInfo, parent: QWidget | None = None):
        QDialog.__init__(self, parent)
        self._init_form(ctx, _("Reactie van het Coördinatieteam"), _("Vastleggen"))
        self.info = info
        self.layout_.insertWidget(0, plain_label(_("Advies: {subject}").format(subject=info.subject), self))
        self.response_on = self.field("response_on", _("&Datum van de reactie"), DateEdit(self))
        self.response_on.setDate(ctx.today())
        self.response = self.field("response", _("&Reactie"), QPlainTextEdit(self))
        self.response.setTabChangesFocus(True)
        self.response.setPlainText(info.response)
        self.response.setMinimumHeight(100)
        self.finish(560)

    def save(self) -> None:
        self.run(lambda: advice.record_response(
            self.ctx, self.info.id, self.response.toPlainText(), self.date_of("response_on", self.response_on),
            expected_version=self.info.version))


class DevelopmentDialog(_Form, QDialog):
    """A new entry of "Ontwikkelingen Impact Ondernemen", or a change of one."""

    def __init__(self, ctx: ServiceContext, info: DevelopmentInfo | None = None, parent: QWidget | None = None):
        QDialog.__init__(self, parent)
        self._init_form(ctx, _("Ontwikkeling wijzigen") if info else _("Nieuwe ontwikkeling"),
                         _("Opslaan") if info else _("Toevoegen"))
        self.info = info
        self.happened_on = self.field("happened_on", _("&Datum"), DateEdit(self))
        self.topic = self.field("topic", _("&Onderwerp"), QLineEdit(self))
        self.source_link = self.field("source_link", _("&Bron (link)"), QLineEdit(self))
        self.source_link.setPlaceholderText("https://")
        self.note = self.field("note", _("&Toelichting"), QPlainTextEdit(self))
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(90)
        if info:
            self.happened_on.setDate(info.happened_on)
            self.topic.setText(info.topic)
            self.source_link.setText(info.source_link)
            self.note.setPlainText(info.note)
        else:
            self.happened_on.setDate(ctx.today())
        self.finish(560)

    def save(self) -> None:
        def call():
            day = self.date_of("happened_on", self.happened_on)
            if day is None:
                raise ValidationError({"happened_on": _("Vul de datum van de ontwikkeling in.")})
            data = DevelopmentData(day, self.topic.text(), self.source_link.text(), self.note.toPlainText())
            if self.info is None:
                developments.add_development(self.ctx, data)
            else:
                developments.update_development(self.ctx, self.info.id, data, expected_version=self.info.version)

        self.run(call)
