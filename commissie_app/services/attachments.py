"""Attachments (bewijsstukken) kept inside the database, checked by content."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import filetype

from commissie_app.db.models import Application, Attachment
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import AttachmentError, NotFoundError
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork

MAX_SIZE = 25 * 1024 * 1024

ACCEPTED = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


@dataclass(frozen=True)
class AttachmentContent:
    filename: str
    content_type: str
    data: bytes
    sha256: str


def detect_type(data: bytes) -> str:
    """The content type by the bytes themselves; raises AttachmentError if not accepted."""
    kind = filetype.guess(data)
    mime = kind.mime if kind else None
    if mime not in ACCEPTED:
        raise AttachmentError(
            _("Dit bestandstype wordt niet geaccepteerd. Voeg een PDF, PNG, JPEG, DOCX of XLSX toe.")
        )
    return mime


def add_attachment(
    ctx: ServiceContext, app_id: uuid.UUID, filename: str, data: bytes, criterion: Criterion | None = None
) -> uuid.UUID:
    if len(data) == 0:
        raise AttachmentError(_("Het bestand '{name}' is leeg.").format(name=filename))
    if len(data) > MAX_SIZE:
        raise AttachmentError(
            _("Het bestand '{name}' is {mb:.1f} MB; de grens is 25 MB.").format(name=filename, mb=len(data) / 1048576)
        )
    mime = detect_type(data)
    digest = hashlib.sha256(data).hexdigest()
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, app_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        att = Attachment(
            application_id=app_id,
            criterion=criterion.value if criterion else None,
            filename=Path(filename).name,
            content_type=mime,
            size=len(data),
            sha256=digest,
            data=data,
            added_by=ctx.actor.name,
        )
        uow.session.add(att)
        uow.session.flush()
        uow.audit("create", "attachment", att.id, None,
                  {"application": str(app_id), "filename": att.filename, "sha256": digest, "size": len(data)})
        uow.commit()
        return att.id


def add_attachment_file(ctx: ServiceContext, app_id: uuid.UUID, path: Path, criterion: Criterion | None = None) -> uuid.UUID:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SIZE:
            raise AttachmentError(
                _("Het bestand '{name}' is {mb:.1f} MB; de grens is 25 MB.").format(name=path.name, mb=size / 1048576)
            )
        data = path.read_bytes()
    except OSError as e:
        raise AttachmentError(_("Het bestand '{name}' kan niet worden gelezen: {err}").format(name=path.name, err=e.strerror))
    return add_attachment(ctx, app_id, path.name, data, criterion)


def get_content(ctx: ServiceContext, att_id: uuid.UUID) -> AttachmentContent:
    with UnitOfWork(ctx) as uow:
        att = uow.session.get(Attachment, att_id)
        if att is None:
            raise NotFoundError(_("Deze bijlage bestaat niet (meer)."))
        data = att.data
        if hashlib.sha256(data).hexdigest() != att.sha256:
            raise AttachmentError(_("De bijlage '{name}' is beschadigd (controlegetal klopt niet).").format(name=att.filename))
        return AttachmentContent(att.filename, att.content_type, data, att.sha256)


def remove_attachment(ctx: ServiceContext, att_id: uuid.UUID) -> None:
    with UnitOfWork(ctx) as uow:
        att = uow.session.get(Attachment, att_id)
        if att is None:
            raise NotFoundError(_("Deze bijlage bestaat niet (meer)."))
        uow.audit("delete", "attachment", att.id,
                  {"application": str(att.application_id), "filename": att.filename, "sha256": att.sha256}, None)
        uow.session.delete(att)
        uow.commit()
