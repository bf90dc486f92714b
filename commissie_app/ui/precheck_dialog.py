"""Vooraf-check (issue 15): a guided check in three steps before someone applies: the organisation, the questions of
the adopted assessment form that decide the outcome, and the outcome with what to bring. The advised outcome
follows the answers live; Opslaan records the check as advice given; the checklist PDF can be previewed, the
e-mail copied or saved; "Aanvraag aanmaken" opens a new application filled in from the check.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import LegalForm
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.permissions import Action
from commissie_app.domain.precheck import PrecheckOutcome, PrecheckResult, precheck_form
from commissie_app.domain.validation import FIELD_MAX_LENGTH, format_date_nl
from commissie_app.i18n import _
from commissie_app.services import precheck
from commissie_app.services.access import may
from commissie_app.services.context import ServiceContext
from commissie_app.ui import widgets
from commissie_app.ui.banner import MessageBanner
from commissie_app.ui.errors import show_error
from commissie_app.ui.form_renderer import ADVICE_COLOURS, NO_ADVICE_COLOUR, FormRenderer
from commissie_app.ui.labels import heading_label, plain_label

OUTCOME_COLOURS = {  # the assessment window's colours for the same outcomes
    PrecheckOutcome.GRANTED: ADVICE_COLOURS[AdviceOutcome.GRANT],
    PrecheckOutcome.CONDITIONAL: ADVICE_COLOURS[AdviceOutcome.CONDITIONAL_GRANT],
    PrecheckOutcome.REJECTED: ADVICE_COLOURS[AdviceOutcome.REJECT],
    PrecheckOutcome.UNDECIDED: ADVICE_COLOURS[AdviceOutcome.DEFER],
    PrecheckOutcome.INCOMPLETE: NO_ADVICE_COLOUR,
}


def step_names() -> tuple[str, ...]:
    return _("Organisatie"), _("Vragen"), _("Uitkomst")


def result_lines(result: PrecheckResult) -> list[str]:
    """What to bring and the deadlines, as the outcome page shows them."""
    lines = [_("Wat de organisatie meestuurt:")]
    if result.evidence:
        for item in result.evidence:
            lines.append("• " + " ".join((f"{item.criterion.label}: {item.label}.",) + item.lines))
    else:
        lines.append("• " + _("niets: op grond van deze antwoorden is er geen criterium waaraan zij voldoet."))
    if result.outcome is PrecheckOutcome.CONDITIONAL and result.deadline:
        lines.append(_("Voorwaardelijke erkenning tot en met {date}.").format(date=format_date_nl(result.deadline)))
    if result.startup_until:
        lines.append(_("Aanvragen als start-up kan tot en met {date}.").format(
            date=format_date_nl(result.startup_until)))
    return lines


class PrecheckDialog(QDialog):
    """The vooraf-check; ``sig_application_created(id)`` when an application is registered from it."""

    sig_application_created = Signal(object)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setup = precheck.setup(ctx)
        self.saved_id: uuid.UUID | None = None
        self.application_id: uuid.UUID | None = None
        self.editor = None
        self.setWindowTitle(_("Vooraf-check"))
        self.setSizeGripEnabled(True)
        widgets.resize_within_screen(self, 820, 680)
        layout = QVBoxLayout(self)
        self.title = heading_label(_("Vooraf-check: komt de organisatie in aanmerking?"), self, 1.3)
        layout.addWidget(self.title)
        self.step_label = plain_label(parent=self)
        self.step_label.setProperty("role", "hint")
        layout.addWidget(self.step_label)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._organisation_page())
        self.stack.addWidget(self._questions_page())
        self.stack.addWidget(self._outcome_page())
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._outcome_frame())
        layout.addLayout(self._buttons())
        self.go_to(0)
        self.refresh()

    # -- pages ---------------------------------------------------------------------------------------

    def _organisation_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.organisation = QComboBox(page)
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.lineEdit().setMaxLength(FIELD_MAX_LENGTH["name"])
        self.organisation.lineEdit().setPlaceholderText(_("naam van een bekende of een nieuwe organisatie"))
        self.organisation.addItem("", None)
        for org in precheck.organisations(self.ctx):
            self.organisation.addItem(org.name, org)
        self.organisation.setCurrentIndex(0)
        self.organisation.currentTextChanged.connect(self._changed)
        self.legal_form = QComboBox(page)
        self.legal_form.addItem(_("(nog onbekend)"), None)
        for lf in LegalForm:
            self.legal_form.addItem(lf.label, lf)
        self.contact = QLineEdit(page)
        self.contact.setMaxLength(FIELD_MAX_LENGTH["contact_person"])
        self.email = QLineEdit(page)
        self.email.setMaxLength(FIELD_MAX_LENGTH["email"])
        self.legal_form.currentIndexChanged.connect(self._changed)
        self.contact.textChanged.connect(self._changed)
        self.email.textChanged.connect(self._changed)
        form.addRow(_("&Organisatie:"), self.organisation)
        form.addRow(_("&Rechtsvorm:"), self.legal_form)
        form.addRow(_("&Contactpersoon:"), self.contact)
        form.addRow(_("&E-mailadres:"), self.email)
        region = plain_label(_("De regio volgens het beoordelingsformulier: {places}.").format(
            places=", ".join(self.setup.municipalities)), page)
        region.setWordWrap(True)
        region.setProperty("role", "hint")
        form.addRow(region)
        return page

    def _questions_page(self) -> QWidget:
        self.renderer = FormRenderer(precheck_form(self.setup.form), today=self.setup.today, rules=self.setup.rules)
        self.renderer.advice_frame.hide()  # the check shows its own outcome, below every step
        self.renderer.answers_changed.connect(self._changed)
        scroll = widgets.VerticalScrollArea(self, widest=760)
        scroll.setWidget(self.renderer)
        return scroll

    def _outcome_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        self.details = plain_label(parent=page)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setContentsMargins(8, 8, 8, 8)
        scroll = widgets.VerticalScrollArea(page, widest=760)
        scroll.setWidget(self.details)
        column.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton(_("&Opslaan"), page)
        self.preview_button = QPushButton(_("Checklist &bekijken…"), page)
        self.copy_button = QPushButton(_("E-mail &kopiëren"), page)
        self.save_mail_button = QPushButton(_("E-mail op&slaan…"), page)
        self.application_button = QPushButton(_("&Aanvraag aanmaken…"), page)
        for button in (self.save_button, self.preview_button, self.copy_button, self.save_mail_button,
                       self.application_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.preview)
        self.copy_button.clicked.connect(self.copy_email)
        self.save_mail_button.clicked.connect(self.save_email)
        self.application_button.clicked.connect(self.make_application)
        self.save_button.setEnabled(may(self.ctx, Action.RECORD_PRECHECK))
        return page

    def _outcome_frame(self) -> QFrame:
        self.outcome_frame = QFrame(self)
        self.outcome_frame.setObjectName("precheckOutcome")
        box = QVBoxLayout(self.outcome_frame)
        self.outcome_title = plain_label(parent=self.outcome_frame)
        font = self.outcome_title.font()
        font.setBold(True)
        self.outcome_title.setFont(font)
        self.outcome_reason = plain_label(parent=self.outcome_frame)
        self.outcome_reason.setWordWrap(True)
        box.addWidget(self.outcome_title)
        box.addWidget(self.outcome_reason)
        return self.outcome_frame

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = QPushButton(_("< &Vorige"), self)
        self.next_button = QPushButton(_("Volge&nde >"), self)
        self.close_button = QPushButton(_("Sluiten"), self)
        self.back_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.stack.currentIndex() + 1))
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        self.next_button.setDefault(True)
        return row

    # -- behaviour -------------------------------------------------------------------------------------

    def go_to(self, step: int) -> None:
        step = max(0, min(step, self.stack.count() - 1))
        self.stack.setCurrentIndex(step)
        names = step_names()
        self.step_label.setText(_("Stap {n} van {total}: {name}").format(n=step + 1, total=len(names),
                                                                         name=names[step]))
        self.back_button.setEnabled(step > 0)
        self.next_button.setEnabled(step < self.stack.count() - 1)

    def answers(self) -> dict:
        return self.renderer.answers()

    def _changed(self, *args) -> None:
        self.saved_id = None  # another check than the one recorded: Opslaan records it anew
        self.refresh()

    def refresh(self) -> None:
        self.result = self.setup.check(self.answers())
        r = self.result
        self.outcome_title.setText(_("Verwachte uitkomst: {outcome}").format(outcome=r.outcome.label))
        self.outcome_reason.setText(r.reason)
        self.outcome_frame.setStyleSheet(f"QFrame#precheckOutcome {{ background: {OUTCOME_COLOURS[r.outcome]}; "
                                         "border-radius: 4px; }")
        self.details.setText("\n\n".join(result_lines(r)))
        self.application_button.setEnabled(r.outcome.may_apply and self.application_id is None
                                           and may(self.ctx, Action.REGISTER_APPLICATION)
                                           and may(self.ctx, Action.RECORD_PRECHECK))

    def _input(self) -> precheck.PrecheckInput:
        name = self.organisation.currentText()
        index = self.organisation.findText(" ".join(name.split()), Qt.MatchFlag.MatchFixedString)
        known = self.organisation.itemData(index).id if index > 0 else None  # a known organisation, by its name
        if known is not None:
            name = self.organisation.itemText(index)
        return precheck.PrecheckInput(name, self.answers(), known, self.legal_form.currentData(),
                                      self.contact.text(), self.email.text())

    def save(self) -> bool:
        """Record the check as advice given (once per set of answers)."""
        if self.saved_id is not None:
            return True
        try:
            self.saved_id = precheck.record_precheck(self.ctx, self._input(), self.setup)
        except ValidationError as err:
            self.go_to(0)
            self.banner.show_message("\n".join(err.errors.values()), "error")
            return False
        except DomainError as err:
            self.banner.show_message(str(err), "error")
            return False
        self.banner.show_message(_("De vooraf-check is opgeslagen als gegeven advies."), "info")
        return True

    def preview(self) -> None:
        from commissie_app.ui.pdf_preview import PdfPreviewDialog

        if not self.save():
            return
        try:
            pdf = precheck.checklist_pdf(self.ctx, self.saved_id)
        except DomainError as err:
            show_error(self, err)
            return
        self.preview_dialog = PdfPreviewDialog(pdf, _("Checklist vooraf-check"), self)
        self.preview_dialog.show()

    def copy_email(self) -> None:
        if not self.save():
            return
        subject, text = precheck.email_text(self.ctx, self.saved_id)
        QGuiApplication.clipboard().setText(subject + "\n\n" + text)
        self.banner.show_message(_("Het e-mailbericht staat op het klembord."), "info")

    def save_email(self) -> None:
        if not self.save():
            return
        view = precheck.get_precheck(self.ctx, self.saved_id)
        eml, txt = _("E-mailbericht (*.eml)"), _("Tekstbestand (*.txt)")
        path, chosen = QFileDialog.getSaveFileName(self, _("E-mail opslaan"), precheck.checklist_file_name(view, ".eml"),
                                                   f"{eml};;{txt}")
        if not path:
            return
        target = Path(path)
        try:
            if chosen == txt or target.suffix.lower() == ".txt":
                subject, text = precheck.email_text(self.ctx, self.saved_id)
                target.write_text(subject + "\n\n" + text, encoding="utf-8")
            else:
                target.write_bytes(precheck.eml_draft(self.ctx, self.saved_id))
        except OSError as e:
            show_error(self, DomainError(_("Kan {path} niet schrijven: {reason}").format(path=target, reason=e)))
            return
        self.banner.show_message(_("E-mail opgeslagen als {path}.").format(path=target), "info")

    def make_application(self) -> None:
        """A new application filled in from the check; the secretary completes it (KvK, address) and saves."""
        from commissie_app.ui.application_editor import ApplicationEditorDialog

        if not self.save():
            return
        check_id = self.saved_id
        org, app = precheck.application_draft(self.ctx, check_id)
        self.editor = ApplicationEditorDialog(self.ctx, None, parent=self)
        self.editor.prefill(org, app, register=lambda ctx, o, a: precheck.create_application(ctx, check_id, o, a))
        self.editor.sig_saved.connect(self._application_saved)
        self.editor.show()

    def _application_saved(self, app_id: uuid.UUID) -> None:
        self.application_id = app_id
        self.refresh()
        self.banner.show_message(_("De aanvraag is aangemaakt vanuit deze vooraf-check."), "info")
        self.sig_application_created.emit(app_id)
