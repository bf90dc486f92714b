"""One member's (or the commission's) assessment of an application, on the form version it was made with.

The window names the organisation and the application (issue 13) and shows, beside the form, the
application's data and evidence and its attachments (previewed from memory, never as a file), with a
count of the questions answered. A decided application's assessment can be read, not changed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.i18n import _
from commissie_app.services import assessments as svc
from commissie_app.services.assessment_subject import AssessmentSubject, assessment_subject
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.form_renderer import FormRenderer
from commissie_app.ui.review_panels import ApplicationView, AttachmentPreview
from commissie_app.ui.widgets import (
    MessageBanner,
    escape,
    heading_label,
    plain,
    plain_label,
    resize_within_screen,
    rich_label,
)

log = logging.getLogger(__name__)

AUTOSAVE_MS = 1000


def window_title(kind: str, subject: AssessmentSubject) -> str:
    what = _("Beoordeling van de commissie") if kind == svc.CONSOLIDATED else _("Mijn beoordeling")
    return _("{what} – {organisation} · {reference}").format(
        what=what, organisation=subject.organisation, reference=subject.reference)


class AssessmentDialog(QDialog):
    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID, kind: str = svc.MEMBER,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.application_id = application_id
        self.kind = kind
        self.rules = ctx.rules  # the advice shown while answering follows the adopted rules
        self.subject = assessment_subject(ctx, application_id)
        self.assessment = svc.get_or_create_assessment(ctx, application_id, kind)
        self.attachments = svc.attachment_choices(ctx, application_id)
        self.setWindowTitle(window_title(kind, self.subject))
        self.setSizeGripEnabled(True)

        layout = QVBoxLayout(self)
        self.title = heading_label(self.subject.organisation, self, 1.3)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.header = rich_label(self)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.banner = MessageBanner(self)
        self.banner.sig_action.connect(self.move_to_current)
        layout.addWidget(self.banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._evidence_side())
        form_side = QWidget(self.splitter)
        right = QVBoxLayout(form_side)
        right.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(form_side)
        self.scroll.setWidgetResizable(True)
        right.addWidget(self.scroll, 1)
        # the advice stays in view below the scrolling form, so it can be seen changing while answering
        self.advice_slot = QVBoxLayout()
        right.addLayout(self.advice_slot)
        self.splitter.addWidget(form_side)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.progress_slot = QHBoxLayout()  # "4 van 12 vragen beantwoord", changing while answering
        bottom.addLayout(self.progress_slot)
        bottom.addSpacing(12)
        self.status = plain_label(parent=self)  # names a file path
        self.status.setWordWrap(True)
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
        resize_within_screen(self, 1280, 760)
        # an A4 page in the preview needs about 400 pixels (at 150 % on a laptop the window is 820 wide)
        left = max(self.width() * 2 // 5, min(420, self.width() // 2))
        self.splitter.setSizes([left, self.width() - left])

    def _evidence_side(self) -> QTabWidget:
        """The application's data with its evidence per criterion, and its attachments shown in the app."""
        tabs = QTabWidget(self.splitter)
        self.evidence_view = ApplicationView(tabs)
        self.evidence_view.setAccessibleName(_("Aanvraag en bewijs"))
        self.evidence_view.show_application(self.subject.overview, evidence_first=True)
        tabs.addTab(self.evidence_view, _("Aanvraag en bewijs"))
        self.attachment_preview = AttachmentPreview(tabs, other_text=_(
            "‘{name}’ kan hier niet worden getoond (alleen PDF, PNG en JPEG); open het via het tabblad "
            "Bijlagen van de aanvraag."))
        metas = self.subject.overview["attachments"]
        tabs.addTab(self.attachment_preview, _("Bijlagen ({n})").format(n=len(metas)) if metas else _("Bijlagen"))
        tabs.currentChanged.connect(self._load_attachments)  # read and rendered when first looked at, at its width
        self.evidence_tabs = tabs
        self._attachments_loaded = False
        return tabs

    def _load_attachments(self) -> None:
        if self.evidence_tabs.currentWidget() is self.attachment_preview and not self._attachments_loaded:
            self._attachments_loaded = True
            self.attachment_preview.set_attachments(self.subject.overview["attachments"], self._attachment_bytes)

    def _attachment_bytes(self, att_id: str) -> bytes:
        from commissie_app.services.attachments import get_content

        try:
            return get_content(self.ctx, uuid.UUID(att_id)).data
        except DomainError as err:  # damaged or gone: the preview says it cannot show it
            log.warning("attachment %s not shown: %s", att_id, err)
            return b""

    # -- building

    def _build(self) -> None:
        a = self.assessment
        self.renderer = FormRenderer(a.form, today=self.ctx.today(), rules=self.rules, attachments=self.attachments,
                                     answers=a.answers)
        self.renderer.answers_changed.connect(self.timer.start)
        self.renderer.set_read_only(not a.editable)
        self.scroll.setWidget(self.renderer)
        self.renderer.show_advice_in(self.advice_slot)
        self.renderer.show_progress_in(self.progress_slot)
        first = next((row for key, row in self.renderer.rows.items() if self.renderer.is_shown(key)), None)
        if first is not None:
            first.editor.focus_widget.setFocus()
        self._last_saved = self.renderer.valid_answers()
        state = _("definitief") if a.is_final else _("concept")
        where = [self.subject.reference, self.subject.overview["organisation"].get("place") or ""]
        self.header.setText(
            escape(" · ".join(w for w in where if w)) + "<br><b>" + escape(a.form.title) + "</b> · "
            + escape(_("formulier {form}, versie {version} · beoordelaar: {who} · {state}").format(
                form=a.form.form_id, version=a.form.version, who=a.assessor, state=state))
        )
        self.final_button.setEnabled(a.editable)
        self.final_button.setToolTip(plain(a.refusal) if a.refusal and not a.is_final else "")
        if a.refusal:
            self.banner.show_message(a.refusal, "info")
        elif a.newer_form_id and not a.is_final:
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
        if self.renderer is None or not self.assessment.editable:
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
        if self.renderer is not None and self.assessment.editable:
            self.save_draft()
        super().done(result)


def open_assessment(parent: QWidget, ctx: ServiceContext, application_id: uuid.UUID,
                    kind: str = svc.MEMBER) -> AssessmentDialog | None:
    """Open the assessment window of an application beside ``parent`` (the one already open is brought to the
    front); a refusal (a decided application without an assessment, a role that may not) is shown as a message."""
    for dialog in parent.findChildren(AssessmentDialog):
        if dialog.application_id == application_id and dialog.kind == kind:
            if dialog.isVisible():
                dialog.raise_()
                dialog.activateWindow()
                return dialog
            dialog.deleteLater()  # closed earlier: opened anew, with what is stored now
    try:
        dialog = AssessmentDialog(ctx, application_id, kind, parent)
    except Exception as err:  # noqa: BLE001 - domain errors in Dutch, the rest logged
        show_error(parent, err)
        return None
    dialog.show()
    return dialog
