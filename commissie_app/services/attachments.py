"""Attachments (bewijsstukken) kept inside the database, checked by content.

The name is made to agree with the content: an upload whose extension says something else than the
bytes (PDF content named ``bewijs.hta``) is refused, and an attachment is handed out for opening only
under ``open_name``: a safe name whose extension is that of the type detected from the bytes, so the
operating system never chooses a program by a name the applicant made up.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import filetype
from pathvalidate import sanitize_filename

from commissie_app.db.models import Application, Attachment
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import AttachmentError, NotFoundError
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
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

# The extensions a name may carry for each accepted type; the first is the one given when it has none.
EXTENSIONS = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
}
MAX_STEM = 120  # keeps <temp folder>/<id>/<name> well inside Windows' 260-character path limit
FALLBACK_STEM = "bijlage"


@dataclass(frozen=True)
class AttachmentContent:
    filename: str  # as stored (older databases may hold any name)
    content_type: str  # detected from the bytes when read, not taken from the row
    data: bytes
    sha256: str
    open_name: str  # the safe name to write it under for opening: <stem>.<extension of the content>


def _split_name(name: str) -> tuple[str, str]:
    """The last path component without control or format characters (e.g. right-to-left override)
    and without the trailing dots and spaces Windows drops, split into stem and lower-case extension."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    return (stem, ext.lower()) if dot else (name, "")


def safe_name(filename: str, content_type: str) -> str:
    """``<sanitised stem>.<ext>`` where ext belongs to ``content_type`` (the name's own if it does)."""
    stem, ext = _split_name(filename)
    allowed = EXTENSIONS[content_type]
    if ext not in allowed:
        ext = allowed[0]
    stem = sanitize_filename(stem, platform="windows")[:MAX_STEM].strip().strip(". ")
    # sanitize_filename renames reserved device names (CON -> CON_); check again after cutting
    stem = sanitize_filename(stem, platform="windows") or FALLBACK_STEM
    return f"{stem}.{ext}"


def check_name(filename: str, content_type: str) -> None:
    """Refuses a name whose extension says the file is something else than its content."""
    _stem, ext = _split_name(filename)
    if ext and ext not in EXTENSIONS[content_type]:
        raise AttachmentError(
            _("Het bestand ‘{name}’ heeft de extensie .{ext}, maar de inhoud is een {kind}-bestand. "
              "Geef het bestand een naam die eindigt op .{right}.").format(
                name=filename, ext=ext, kind=ACCEPTED[content_type], right=EXTENSIONS[content_type][0]))


def _accepted_type(data: bytes) -> str | None:
    kind = filetype.guess(data)
    return kind.mime if kind and kind.mime in ACCEPTED else None


def detect_type(data: bytes) -> str:
    """The content type by the bytes themselves; raises AttachmentError if not accepted."""
    mime = _accepted_type(data)
    if mime is None:
        raise AttachmentError(
            _("Dit bestandstype wordt niet geaccepteerd. Voeg een PDF, PNG, JPEG, DOCX of XLSX toe.")
        )
    return mime


def add_attachment(
    ctx: ServiceContext, app_id: uuid.UUID, filename: str, data: bytes, criterion: Criterion | None = None
) -> uuid.UUID:
    require(ctx, Action.REGISTER_APPLICATION)
    if len(data) == 0:
        raise AttachmentError(_("Het bestand ‘{name}’ is leeg.").format(name=filename))
    if len(data) > MAX_SIZE:
        raise AttachmentError(
            _("Het bestand ‘{name}’ is {mb:.1f} MB; de grens is 25 MB.").format(name=filename, mb=len(data) / 1048576)
        )
    mime = detect_type(data)
    check_name(filename, mime)
    stored_name = safe_name(filename, mime)
    digest = hashlib.sha256(data).hexdigest()
    with UnitOfWork(ctx) as uow:
        app = uow.session.get(Application, app_id)
        if app is None:
            raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
        att = Attachment(
            application_id=app_id,
            criterion=criterion,
            filename=stored_name,
            content_type=mime,
            size=len(data),
            sha256=digest,
            data=data,
            added_by=ctx.actor.name,
        )
        uow.session.add(att)
        uow.commit()
        return att.id


def add_attachment_file(ctx: ServiceContext, app_id: uuid.UUID, path: Path, criterion: Criterion | None = None) -> uuid.UUID:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SIZE:
            raise AttachmentError(
                _("Het bestand ‘{name}’ is {mb:.1f} MB; de grens is 25 MB.").format(name=path.name, mb=size / 1048576)
            )
        data = path.read_bytes()
    except OSError as e:
        raise AttachmentError(_("Het bestand ‘{name}’ kan niet worden gelezen: {err}").format(name=path.name, err=e.strerror))
    return add_attachment(ctx, app_id, path.name, data, criterion)


def get_content(ctx: ServiceContext, att_id: uuid.UUID) -> AttachmentContent:
    with UnitOfWork(ctx) as uow:
        att = uow.session.get(Attachment, att_id)
        if att is None:
            raise NotFoundError(_("Deze bijlage bestaat niet (meer)."))
        data = att.data
        if hashlib.sha256(data).hexdigest() != att.sha256:
            raise AttachmentError(_("De bijlage ‘{name}’ is beschadigd (controlegetal klopt niet).").format(name=att.filename))
        mime = _accepted_type(data)
        if mime is None:
            raise AttachmentError(
                _("De bijlage ‘{name}’ is geen PDF, PNG, JPEG, DOCX of XLSX en wordt daarom niet geopend.").format(
                    name=att.filename))
        return AttachmentContent(att.filename, mime, data, att.sha256, safe_name(att.filename, mime))


def remove_attachment(ctx: ServiceContext, att_id: uuid.UUID) -> None:
    require(ctx, Action.REGISTER_APPLICATION)
    with UnitOfWork(ctx) as uow:
        att = uow.session.get(Attachment, att_id)
        if att is None:
            raise NotFoundError(_("Deze bijlage bestaat niet (meer)."))
        uow.session.delete(att)
        uow.commit()
