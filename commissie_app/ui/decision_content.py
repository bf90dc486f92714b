"""The decision dialog's rows for what the letter states besides the motivation (issue 14): the conditions of a
conditional recognition (prefilled from the consolidated assessment's 'Onder welke voorwaarden?'), and for a
decision 'aangehouden' what the commission asks for and by which date (six weeks by default)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QWidget

from commissie_app.domain.decision_content import DecisionContent, default_answer_by
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.ui.widgets import DateEdit, FieldBox


def _text_edit(parent: QWidget, accessible: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class DecisionContentRows:
    """Adds the rows to ``form``; shows those that belong to the chosen decision type."""

    def __init__(self, form: QFormLayout, parent: QWidget, decision_date: dt.date, conditions: str = ""):
        self.form = form
        self.conditions = _text_edit(parent, _("Voorwaarden"), _(
            "Wat de organisatie daarnaast moet doen of laten zien (leeg: alleen de standaardvoorwaarde). Dit komt "
            "in de besluitbrief."))
        self.conditions.setPlainText(conditions)
        self.conditions_box = FieldBox(self.conditions, parent)
        self.request = _text_edit(parent, _("Gevraagde informatie"), _(
            "Wat heeft de commissie van de aanvrager nodig? Dit komt in de besluitbrief."))
        self.request_box = FieldBox(self.request, parent)
        self.answer_by = DateEdit(parent)
        self.answer_by.setAccessibleName(_("Informatie uiterlijk op"))
        self.answer_by.setDate(default_answer_by(decision_date))
        self.answer_by_box = FieldBox(self.answer_by, parent)
        self.rows = ((_("&Voorwaarden"), self.conditions, self.conditions_box, DecisionType.CONDITIONAL),
                     (_("&Gevraagd"), self.request, self.request_box, DecisionType.DEFERRED),
                     (_("&Uiterlijk op"), self.answer_by, self.answer_by_box, DecisionType.DEFERRED))
        for label, field, box, _kind in self.rows:
            form.addRow(label, box)
            lbl = form.labelForField(box)
            if isinstance(lbl, QLabel):
                lbl.setBuddy(field)

    def show_for(self, kind: DecisionType | None) -> None:
        for _label, _field, box, shown_for in self.rows:
            box.setVisible(kind is shown_for)
            lbl = self.form.labelForField(box)
            if lbl:
                lbl.setVisible(kind is shown_for)

    def clear_errors(self) -> None:
        for _label, _field, box, _kind in self.rows:
            box.set_error(None)

    def content(self, kind: DecisionType) -> DecisionContent | None:
        """What the rows of ``kind`` hold (the others are left out); None (the date marked) for a date that
        cannot be read."""
        if kind is DecisionType.CONDITIONAL:
            return DecisionContent(conditions=self.conditions.toPlainText())
        if kind is not DecisionType.DEFERRED:
            return DecisionContent()
        try:
            answer_by = self.answer_by.date()
        except ValueError:
            self.answer_by_box.set_error(_("Vul een geldige datum in (dd-mm-jjjj)."))
            self.answer_by.setFocus()
            return None
        return DecisionContent(deferral_request=self.request.toPlainText(), answer_by=answer_by)

    def show_errors(self, err: ValidationError) -> bool:
        """Mark the rows the service refused; whether any was marked."""
        marked = False
        for key, field, box in (("conditions", self.conditions, self.conditions_box),
                                ("deferral_request", self.request, self.request_box),
                                ("answer_by", self.answer_by, self.answer_by_box)):
            if key in err.errors:
                box.set_error(err.errors[key])
                if not marked:
                    field.setFocus()
                marked = True
        return marked

    def set_enabled(self, enabled: bool) -> None:
        for _label, field, _box, _kind in self.rows:
            field.setEnabled(enabled)
