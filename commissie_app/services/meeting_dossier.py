"""Use case "open the dossier of an agenda item" (issue 13): the application's organisation data and evidence,
its attachments' names and bytes (for the in-app preview: read into memory, never written to a file), in the
same shape a member's offline review package carries them, so the window that shows a package
(``ui/review_panels.py``) shows the dossier too. Reading is open to every role (``domain/permissions.py``); the
assessments and who sees which are :mod:`commissie_app.services.assessment_comparison`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from commissie_app.db.models import Application, Attachment
from commissie_app.domain.errors import NotFoundError
from commissie_app.i18n import _
from commissie_app.services.attachments import get_content
from commissie_app.services.context import ServiceContext
from commissie_app.services.review_export import _application as package_application
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class Dossier:
    application_id: uuid.UUID
    organisation: str
    application: dict  # the offline package's shape (docs/offline-review-design.md): organisation, evidence, ...

    @property
    def attachments(self) -> list[dict]:
        return self.application["attachments"]


def get_dossier(ctx: ServiceContext, application_id: uuid.UUID) -> Dossier:
    """The application of an agenda item with its organisation, evidence and attachments (names, types, sizes)."""
    with UnitOfWork(ctx) as uow:
        app = uow.session.scalars(
            select(Application).where(Application.id == application_id)
            .options(selectinload(Application.evidence), selectinload(Application.organisation))
        ).first()
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        return Dossier(app.id, app.organisation.name, application_overview(uow.session, app))


def application_overview(session, app: Application) -> dict:
    """The application in the offline package's shape (organisation, evidence, attachments' names, types and
    sizes), its attachments in the order they were added: what the dossier and the assessment window show."""
    attachments = session.scalars(select(Attachment).where(Attachment.application_id == app.id)
                                  .order_by(Attachment.added_at, Attachment.filename)).all()
    return package_application(app, list(attachments))


def attachment_bytes(ctx: ServiceContext, attachment_id: str | uuid.UUID) -> bytes:
    """The stored bytes of one attachment, checked against its hash (a damaged one is refused in Dutch)."""
    return get_content(ctx, uuid.UUID(str(attachment_id))).data
