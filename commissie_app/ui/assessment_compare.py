"""All assessments of one application side by side: question rows × assessor columns (issue 13).

The view names the application at the top. It reads on a 1366x768 laptop (also at 150 %): an assessor's name is
elided in the column head only when the column is narrow, in full in its tool tip and in the list of advice and
reasons below the table; answers wrap in their cell (rows grow, nothing is cut off); an unanswered question is a
grey "—" whose tool tip says "niet beantwoord". Rows where the assessors answered differently are highlighted;
the last row gives each assessor's advice, and below the table each advice comes with its full reason.
"PDF opslaan…" and "Afdrukken…" print the same comparison (``services/assessment_comparison.py``), which also
decides whose assessments this user may see.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.assessment_comparison import Comparison
from commissie_app.i18n import _, ngettext
from commissie_app.services import assessment_comparison as svc
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.widgets import escape, heading_label, plain, plain_label

DISAGREE = QColor("#fff0c2")
MUTED = QColor("#8a8a8a")
QUESTION_SHARE = 0.3  # of the table's width for the question column (at least QUESTION_MIN pixels)
QUESTION_MIN = 170


class AssessmentCompare(QWidget):
    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.application_id = application_id
        self.comparison: Comparison | None = None
        self.heading = heading_label("", self, 1.15)
        self.heading.setObjectName("comparedApplication")
        self.heading.setWordWrap(True)
        self.summary = plain_label(parent=self)
        self.summary.setWordWrap(True)
        self.pdf_button = QPushButton(_("PDF opslaan…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(_("Afdrukken…"), self)
        self.print_button.clicked.connect(self.print_comparison)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.table = QTableWidget(self)
        self.table.setObjectName("comparison")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped, never cut off with "…"
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long name in a narrow column: in full as tool tip
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(60)
        header.sectionResized.connect(lambda *_a: self._rows_fit.start())
        self._rows_fit = QTimer(self)  # rows grow to their wrapped text once the columns have their width
        self._rows_fit.setSingleShot(True)
        self._rows_fit.setInterval(0)
        self._rows_fit.timeout.connect(self.table.resizeRowsToContents)

        self.reasons = QTextBrowser(self)
        self.reasons.setObjectName("reasons")
        self.reasons.setAccessibleName(_("Advies en reden per beoordelaar"))
        self.reasons.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.reasons)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.disagreements: list[str] = []
        self.reload()

    # ------------------------------------------------------------ showing

    def reload(self) -> None:
        c = self.comparison = svc.comparison(self.ctx, self.application_id)
        self.heading.setText(c.application)
        self.disagreements = c.disagreements
        t = self.table
        t.clear()
        t.setColumnCount(len(c.assessors) + 1)
        t.setRowCount(len(c.rows) + 1 if c.assessors else 0)
        t.setHorizontalHeaderItem(0, QTableWidgetItem(_("Vraag")))
        for col, a in enumerate(c.assessors, start=1):
            head = QTableWidgetItem(a.name + "\n" + _("versie {version}, {state}").format(
                version=a.form_version, state=a.state_text))
            head.setToolTip(plain(_("{name}\nformulierversie {version}, {state}\nadvies: {advice}").format(
                name=a.name, version=a.form_version, state=a.state_text, advice=a.advice_text)))
            t.setHorizontalHeaderItem(col, head)
        for row, r in enumerate(c.rows):
            question = QTableWidgetItem(r.label)
            question.setToolTip(plain(r.label))
            t.setItem(row, 0, question)
            for col, cell in enumerate(r.cells, start=1):
                item = QTableWidgetItem(cell.text)
                item.setToolTip(plain(cell.text if cell.answered else cell.state.explanation))
                if not cell.answered:
                    item.setForeground(QBrush(MUTED))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if r.differs:
                    item.setBackground(QBrush(DISAGREE))
                t.setItem(row, col, item)
        if c.assessors:
            advice_row = len(c.rows)
            label = QTableWidgetItem(_("Voorgesteld advies"))
            for col, a in enumerate([None, *c.assessors]):
                item = label if a is None else QTableWidgetItem(a.advice_text)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                if a is not None:
                    item.setToolTip(plain(a.reason))
                    if c.advice_differs:
                        item.setBackground(QBrush(DISAGREE))
                t.setItem(advice_row, col, item)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self._size_question_column()
        self.reasons.setHtml(self._reasons_html(c))
        self.summary.setText(self._summary(c))

    @staticmethod
    def _summary(c: Comparison) -> str:
        if not c.assessors:
            text = _("Er zijn nog geen beoordelingen van deze aanvraag.")
        else:
            d = len(c.disagreements)
            text = (ngettext("{n} beoordeling", "{n} beoordelingen", len(c.assessors)).format(n=len(c.assessors))
                    + "; " + ngettext("{d} vraag met verschillende antwoorden (gemarkeerd).",
                                      "{d} vragen met verschillende antwoorden (gemarkeerd).", d).format(d=d)
                    + " " + _("— = niet beantwoord; n.v.t. = niet van toepassing."))
        if c.hidden:
            text += " " + ngettext(
                "{n} beoordeling van een ander is volgens de regels van de commissie niet zichtbaar voor u.",
                "{n} beoordelingen van anderen zijn volgens de regels van de commissie niet zichtbaar voor u.",
                c.hidden).format(n=c.hidden)
        return text

    @staticmethod
    def _reasons_html(c: Comparison) -> str:
        parts = [f"<p><b>{escape(_('Advies en reden per beoordelaar'))}</b></p>"]
        for a in c.assessors:
            parts.append(
                f"<p><b>{escape(a.name)}</b> ({escape(a.state_and_version)}): "
                f"<b>{escape(a.advice_text)}</b><br>{escape(a.reason or _('(geen reden)'))}</p>")
        return "".join(parts)

    def _size_question_column(self) -> None:
        width = self.width()  # the table's viewport gets its new size only after this widget's resize event
        self.table.setColumnWidth(0, max(QUESTION_MIN, int(width * QUESTION_SHARE)))
        self._rows_fit.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._size_question_column()

    # ------------------------------------------------------------ printing

    def _pdf(self) -> bytes | None:
        try:
            return svc.comparison_pdf(self.ctx, self.application_id)
        except Exception as err:  # noqa: BLE001 - domain errors in Dutch, the rest logged
            show_error(self, err)
            return None

    def default_file_name(self) -> str:
        name = self.comparison.organisation if self.comparison else ""
        safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in name).strip()
        return _("Vergelijking beoordelingen {name}.pdf").format(name=safe).replace("  ", " ")

    def save_pdf(self) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Vergelijking opslaan als PDF"), self.default_file_name(),
                                                    _("PDF (*.pdf)"))
        if not path:
            return None
        data = self._pdf()
        if data is None:
            return None
        try:
            Path(path).write_bytes(data)
        except OSError as err:
            QMessageBox.warning(self, _("Niet gelukt"), plain(
                _("Het bestand kon niet worden geschreven: {err}").format(err=err.strerror or err)))
            return None
        return Path(path)

    def print_comparison(self) -> bool:
        from commissie_app.ui.pdf_preview import print_pdf

        data = self._pdf()
        return data is not None and print_pdf(self, data)
