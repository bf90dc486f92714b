"""One member's (or the commission's) assessment of an application, on the form version it was made with."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.i18n import _
from commissie_app.services import assessments as svc
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.form_renderer import FormRenderer
from commissie_app.ui.widgets import MessageBanner, escape, plain, plain_label, rich_label

AUTOSAVE_MS = 1000


class AssessmentDialog(QDialog):
    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID, kind: str = svc.MEMBER,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.application_id = application_id
        self.kind = kind
        self.rules = ctx.rules  # the advice shown while answering follows the adopted rules
        self.setWindowTitle(_("Beoordeling van de commissie") if kind == svc.CONSOLIDATED else _("Mijn beoordeling"))
        self.resize(760, 820)
        self.assessment = svc.get_or_create_assessment(ctx, application_id, kind)
        self.attachments = svc.attachment_choices(ctx, application_id)

        layout = QVBoxLayout(self)
        self.header = rich_label(self)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.banner = MessageBanner(self)
        self.banner.sig_action.connect(self.move_to_current)
        layout.addWidget(self.banner)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        layout.addWidget(self.scroll, 1)
        # the advice stays in view below the scrolling form, so it can be seen changing while answering
        self.advice_slot = QVBoxLayout()
        layout.addLayout(self.advice_slot)
        bottom = QHBoxLayout()
        self.status = plain_label(parent=self)  # names a file path
        bottom.addWidget(self.status, 1)
        self.pdf_button = QPushButton(_("PDF opslaan…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        bottom.addWidget(self.pdf_button)
        self.final_button = QPushButton(_("Definitief maken"), self)
        self.final_button.clicked.connect(self.make_final)
        bottom.addWidget(self.final_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self._autosave)
        self.renderer: FormRenderer | None = None
        self._build()

    # -- building

    def _build(self) -> None:
        a = self.assessment
        self.renderer = FormRenderer(a.form, today=self.ctx.today(), rules=self.rules, attachments=self.attachments,
                                     answers=a.answers)
        self.renderer.answers_changed.connect(self.timer.start)
        self.renderer.set_read_only(a.is_final)
        self.scroll.setWidget(self.renderer)
        self.renderer.show_advice_in(self.advice_slot)
        first = next((row for key, row in self.renderer.rows.items() if self.renderer.is_shown(key)), None)
        if first is not None:
            first.editor.focus_widget.setFocus()
        self._last_saved = self.renderer.valid_answers()
        state = _("definitief") if a.is_final else _("concept")
        self.header.setText(
            "<b>" + escape(a.form.title) + "</b><br>"
            + escape(_("Formulier {form}, versie {version} · beoordelaar: {who} · {state}").format(
                form=a.form.form_id, version=a.form.version, who=a.assessor, state=state))
        )
        self.final_button.setEnabled(not a.is_final)
        if a.newer_form_id and not a.is_final:
            newer = next(r for r in svc.list_forms(self.ctx) if r.id == a.newer_form_id)
            self.banner.show_message(
                _("Er is een nieuwere versie van dit formulier vastgesteld (versie {v}). Deze beoordeling blijft "
                  "bij versie {old} tot u haar omzet.").format(v=newer.version, old=a.form.version),
                "info", _("Naar huidige versie…"))
        else:
            self.banner.clear()

    # -- saving

    def _autosave(self) -> None:
        # a slot that returns nothing: PySide 6.12 drops a reference to a slot's return value
        self.save_draft()

    def save_draft(self) -> bool:
        """Store the valid answers so far (invalid ones stay on screen with their message)."""
        self.timer.stop()
        if self.renderer is None or self.assessment.is_final:
            return True
        answers = self.renderer.valid_answers()
        if answers == self._last_saved:
            return True
        try:
            self.assessment = svc.save_answers(self.ctx, self.assessment.id, answers, self.assessment.version)
        except DomainError as e:
            show_error(self, e)
            return False
        self._last_saved = answers
        self.status.setText(_("Concept opgeslagen om {time}").format(time=dt.datetime.now().strftime("%H:%M:%S")))
        return True

    def save_pdf(self) -> None:
        from pathlib import Path

        from commissie_app.services.assessment_documents import assessment_pdf

        self.save_draft()
        name = f"beoordeling-{self.assessment.assessor}-{self.assessment.form.form_id}-v{self.assessment.form.version}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, _("Beoordeling opslaan als PDF"), name, _("PDF (*.pdf)"))
        if not path:
            return
        try:
            Path(path).write_bytes(assessment_pdf(self.ctx, self.assessment.id))
        except (OSError, DomainError) as e:
            show_error(self, e)
            return
        self.status.setText(_("PDF opgeslagen: {path}").format(path=path))

    def make_final(self) -> None:
        self.timer.stop()
        if not self.renderer.check_complete():
            return
        try:
            self.assessment = svc.save_answers(self.ctx, self.assessment.id, self.renderer.visible_answers(),
                                               self.assessment.version, final=True)
        except ValidationError as e:
            QMessageBox.warning(self, _("Nog niet compleet"), plain(str(e)))
            return
        except DomainError as e:
            show_error(self, e)
            return
        self._build()
        self.status.setText(_("De beoordeling is definitief."))

    def move_to_current(self) -> None:
        a = self.assessment
        if not a.newer_form_id:
            return
        if not self.save_draft():
            return
        dropped = svc.preview_move(self.ctx, a.id, a.newer_form_id)
        if dropped:
            labels = [a.form.question_map[k].label if k in a.form.question_map else k for k in dropped]
            text = _("Bij het omzetten vervallen deze antwoorden:") + "\n" + "\n".join(f"- {t}" for t in labels)
        else:
            text = _("Alle antwoorden blijven behouden.")
        answer = QMessageBox.question(self, _("Naar huidige versie"), plain(text + "\n\n" + _("Doorgaan?")))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.assessment, _dropped = svc.move_to_form(self.ctx, a.id, a.newer_form_id, a.version)
        except DomainError as e:
            show_error(self, e)
            return
        self._build()

    def done(self, result: int) -> None:
        if self.renderer is not None and not self.assessment.is_final:
            self.save_draft()
        super().done(result)
