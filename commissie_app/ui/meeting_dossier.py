"""The dossier of an application on the agenda (issue 13): opened from the agenda item in the meeting view
("Dossier…", Ctrl+D, Enter or a double-click on the item).

Three tabs: the application (organisation data and evidence, read-only, as the offline review window shows it),
its attachments previewed in the app from memory (PDF pages through PDFium, PNG and JPEG as images; nothing is
written to a file), and the assessments side by side (``ui/assessment_compare.py``: naming the application,
printable as PDF). "Mijn beoordeling…" opens the user's own assessment when their role writes one. The window
fits a 1366x768 laptop, also at 150 % (``widgets.resize_within_screen``).
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services import meeting_dossier as svc
from commissie_app.services.access import may
from commissie_app.services.context import ServiceContext
from commissie_app.ui.assessment_compare import AssessmentCompare
from commissie_app.ui.errors import show_error
from commissie_app.ui.review_panels import ApplicationView, AttachmentPreview
from commissie_app.ui.widgets import close_buttons, plain_label, resize_within_screen


class DossierAttachments(AttachmentPreview):
    """The preview of the review window, reading from the database; a damaged attachment is named, not shown."""

    def show_attachment(self, meta: dict) -> None:
        try:
            super().show_attachment(meta)
        except DomainError as err:
            self._show_widgets([plain_label(str(err))])


class MeetingDossierDialog(QDialog):
    def __init__(self, ctx: ServiceContext, application_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.application_id = application_id
        self.dossier = svc.get_dossier(ctx, application_id)
        self.assessment_dialog = None
        self.setWindowTitle(_("Dossier – {name}").format(name=self.dossier.organisation))

        self.tabs = QTabWidget(self)
        self.application_view = ApplicationView(self.tabs)
        self.application_view.setObjectName("dossierApplication")
        self.application_view.show_application(self.dossier.application)
        self.attachments = DossierAttachments(self.tabs, _(
            "‘{name}’ kan niet in de app worden getoond (alleen PDF, PNG en JPEG); open het in het venster van de "
            "aanvraag, tab Bijlagen."))
        self.attachments.set_attachments(self.dossier.attachments, lambda att_id: svc.attachment_bytes(ctx, att_id))
        self.compare = AssessmentCompare(ctx, application_id, self.tabs)
        self.tabs.addTab(self.application_view, _("&Aanvraag"))
        self.tabs.addTab(self.attachments, _("&Bijlagen ({n})").format(n=len(self.dossier.attachments)))
        self.tabs.addTab(self.compare, _("B&eoordelingen ({n})").format(n=len(self.compare.comparison.assessors)))

        self.assess_button = QPushButton(_("&Mijn beoordeling…"), self)
        self.assess_button.setToolTip(_("Uw eigen beoordeling van deze aanvraag invullen of bekijken"))
        self.assess_button.setVisible(may(ctx, Action.WRITE_ASSESSMENT) and ctx.actor.user_id is not None)
        self.assess_button.clicked.connect(self.open_own_assessment)
        buttons = close_buttons(self)
        row = QHBoxLayout()
        row.addWidget(self.assess_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        resize_within_screen(self, 1240, 860)

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def open_own_assessment(self) -> None:
        from commissie_app.ui.assessment_dialog import AssessmentDialog

        try:
            dialog = AssessmentDialog(self.ctx, self.application_id, parent=self)
        except Exception as err:  # noqa: BLE001 - domain errors in Dutch, the rest logged
            show_error(self, err)
            return
        self.assessment_dialog = dialog
        dialog.finished.connect(lambda _r: self._assessments_changed())
        dialog.show()

    def _assessments_changed(self) -> None:
        self.compare.reload()
        self.tabs.setTabText(self.tabs.indexOf(self.compare),
                             _("B&eoordelingen ({n})").format(n=len(self.compare.comparison.assessors)))


def open_dossier(parent: QWidget, ctx: ServiceContext, application_id: uuid.UUID | None,
                 shown: MeetingDossierDialog | None = None) -> MeetingDossierDialog | None:
    """Open (non-modal) the dossier of ``application_id``, or bring ``shown`` forward when it is that dossier and
    still open; None, with a message, when it cannot be read."""
    if application_id is None:
        return shown
    if shown is not None and shown.isVisible() and shown.application_id == application_id:
        shown.raise_()
        shown.activateWindow()
        return shown
    try:
        dialog = MeetingDossierDialog(ctx, application_id, parent)
    except Exception as err:  # noqa: BLE001 - domain errors in Dutch, the rest logged
        show_error(parent, err)
        return None
    dialog.show()
    return dialog
