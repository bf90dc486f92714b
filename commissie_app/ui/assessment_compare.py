"""All assessments of one application side by side: question rows × assessor columns.

Rows where the assessors answered differently are highlighted; the last rows give each set's advice
and its reason. Each answer is shown with the form version its assessment was made with.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from commissie_app.domain.form_advice import display_answer, is_answered, visible_questions
from commissie_app.domain.form_model import QuestionType
from commissie_app.i18n import _, ngettext
from commissie_app.services import assessments as svc
from commissie_app.services.context import ServiceContext
from commissie_app.ui.widgets import plain

DISAGREE = QColor("#fff0c2")


class AssessmentCompare(QWidget):
    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.application_id = application_id
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.disagreements: list[str] = []
        self.reload()

    def reload(self) -> None:
        views = svc.assessments_for(self.ctx, self.application_id)
        names = dict(svc.attachment_choices(self.ctx, self.application_id))
        # question rows in form order, over all versions in use (first seen wins the label)
        keys: list[str] = []
        labels: dict[str, str] = {}
        for v in views:
            for q in v.form.questions:
                if q.key not in labels:
                    keys.append(q.key)
                    labels[q.key] = q.label
        columns = [
            f"{v.assessor}\n" + _("versie {version}, {state}").format(
                version=v.form.version, state=_("definitief") if v.is_final else _("concept"))
            for v in views
        ]
        self.table.clear()
        self.table.setColumnCount(len(views))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(keys) + 2)
        self.table.setVerticalHeaderLabels([labels[k] for k in keys] + [_("Voorgesteld advies"), _("Reden")])
        self.disagreements = []
        for row, key in enumerate(keys):
            shown = []
            for col, v in enumerate(views):
                q = v.form.question_map.get(key)
                if q is None:
                    text = _("(niet in deze versie)")
                elif q.key not in {x.key for x in visible_questions(v.form, v.answers)}:
                    text = "—"
                else:
                    value = v.answers.get(key)
                    text = display_answer(q, value)
                    if q.type is QuestionType.EVIDENCE and is_answered(value):
                        text = names.get(value, _("(bijlage verwijderd)"))
                    if is_answered(value):
                        shown.append(text)
                item = QTableWidgetItem(text)
                item.setToolTip(plain(text))
                self.table.setItem(row, col, item)
            if len(set(shown)) > 1:
                self.disagreements.append(key)
                for col in range(len(views)):
                    self.table.item(row, col).setBackground(QBrush(DISAGREE))
        n = len(keys)
        advices = []
        for col, v in enumerate(views):
            label = v.advice.label if v.advice else _("(nog geen)")
            advices.append(label)
            item = QTableWidgetItem(label)
            f = item.font()
            f.setBold(True)
            item.setFont(f)
            self.table.setItem(n, col, item)
            reason = QTableWidgetItem(v.advice_reason)
            reason.setToolTip(plain(v.advice_reason))
            reason.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.table.setItem(n + 1, col, reason)
        if len(set(advices)) > 1:
            for col in range(len(views)):
                self.table.item(n, col).setBackground(QBrush(DISAGREE))
        if not views:
            self.summary.setText(_("Er zijn nog geen beoordelingen van deze aanvraag."))
        else:
            d = len(self.disagreements)
            self.summary.setText(
                ngettext("{n} beoordeling", "{n} beoordelingen", len(views)).format(n=len(views)) + "; "
                + ngettext("{d} vraag met verschillende antwoorden (gemarkeerd).",
                           "{d} vragen met verschillende antwoorden (gemarkeerd).", d).format(d=d))
