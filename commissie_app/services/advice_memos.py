"""Advice memos (issue 15): the memo of an advice as PDF, archived like the letters.

Every version is kept as made (PDF, SHA-256, the template's version, who and when); a memo is never changed
(the ORM guard below and the database's triggers of migration 0018 `advice_register`). Making a memo again while nothing
changed re-uses the latest version instead of archiving a copy. ``memo_pdf`` checks the hash before the
memo is shown, printed or saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import undefer

from commissie_app.db.models import Advice, AdviceMemo, Meeting
from commissie_app.documents.advice_memo import MemoData, render_memo
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.advice import get_advice
from commissie_app.services.context import ServiceContext
from commissie_app.services.correspondence import plain_name
from commissie_app.services.letter_archive import LetterTamperedError, verified_pdf
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class MemoInfo:
    id: uuid.UUID
    advice_id: uuid.UUID
    subject: str
    memo_version: int
    sha256: str
    template_version: str
    generated_at: dt.datetime
    generated_by: str
    reused: bool = False

    @property
    def filename(self) -> str:
        """``adviesmemo-Duidelijker-uitleg-van-de-criteria.pdf`` (``-v2`` for a later version)."""
        name = plain_name(self.subject, "advies")
        suffix = "" if self.memo_version == 1 else f"-v{self.memo_version}"
        return f"adviesmemo-{name}{suffix}.pdf"


@event.listens_for(AdviceMemo, "before_update")
def _refuse_update(mapper, connection, target: AdviceMemo) -> None:
    raise DomainError(_("Een gearchiveerd adviesmemo wordt niet overschreven; maak een nieuwe versie."))


@event.listens_for(AdviceMemo, "before_delete")
def _refuse_delete(mapper, connection, target: AdviceMemo) -> None:
    raise DomainError(_("Een gearchiveerd adviesmemo kan niet worden verwijderd."))


def _data(ctx: ServiceContext, advice_id: uuid.UUID) -> MemoData:
    info = get_advice(ctx, advice_id)
    chair = ""
    if info.meeting_id is not None:
        with UnitOfWork(ctx) as uow:
            chair = uow.session.scalar(select(Meeting.chair_name).where(Meeting.id == info.meeting_id)) or ""
    return MemoData(memo_date=ctx.today(), subject=info.subject, text=info.text, asked=info.asked,
                    secretary_name=ctx.actor.name, asked_by=info.asked_by, asked_on=info.asked_on,
                    adopted_on=info.adopted_on, item_number=info.item_number, chair_name=chair)


def make_memo(ctx: ServiceContext, advice_id: uuid.UUID) -> MemoInfo:
    """Make the memo of this advice and archive it (or re-use the latest version when it is the same)."""
    require(ctx, Action.RECORD_ADVICE)
    data = _data(ctx, advice_id)
    try:
        rendered = render_memo(data, get_letter_settings(ctx))
    except DomainError as e:
        raise DomainError(_("Het adviesmemo kan niet worden gemaakt.") + "\n" + str(e)) from e
    sha = hashlib.sha256(rendered.pdf).hexdigest()
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        if uow.session.get(Advice, advice_id) is None:
            raise NotFoundError(_("Dit advies bestaat niet (meer)."))
        last = uow.session.scalars(select(AdviceMemo).where(AdviceMemo.advice_id == advice_id)
                                   .order_by(AdviceMemo.memo_version.desc()).limit(1)).first()
        if last is not None and last.sha256 == sha and last.template_version == rendered.template_version:
            return _info(last, data.subject, reused=True)
        row = AdviceMemo(advice_id=advice_id, memo_version=(last.memo_version if last else 0) + 1,
                         pdf=rendered.pdf, sha256=sha, template_version=rendered.template_version,
                         generated_at=ctx.now(), generated_by=ctx.actor.name)
        uow.session.add(row)
        uow.commit()
        return _info(row, data.subject)


def _info(row: AdviceMemo, subject: str, reused: bool = False) -> MemoInfo:
    return MemoInfo(row.id, row.advice_id, subject, row.memo_version, row.sha256, row.template_version,
                    row.generated_at, row.generated_by, reused)


def list_memos(ctx: ServiceContext, advice_id: uuid.UUID) -> list[MemoInfo]:
    """The archived memos of an advice, oldest first."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(AdviceMemo, Advice.subject).join(Advice, Advice.id == AdviceMemo.advice_id)
                                   .where(AdviceMemo.advice_id == advice_id)
                                   .order_by(AdviceMemo.memo_version)).all()
        return [_info(m, subject) for m, subject in rows]


def memo_pdf(ctx: ServiceContext, memo_id: uuid.UUID) -> bytes:
    """The archived memo exactly as made; refused (LetterTamperedError, audited) when it no longer matches its
    SHA-256."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(AdviceMemo, memo_id, options=[undefer(AdviceMemo.pdf)])
        if row is None:
            raise NotFoundError(_("Dit adviesmemo bestaat niet (meer)."))
        data = verified_pdf(uow, row, "advice_memo", {"memo_version": row.memo_version})
        if data is not None:
            return data
    raise LetterTamperedError(_(
        "Het gearchiveerde adviesmemo (versie {v}) is buiten de app gewijzigd: de inhoud klopt niet meer met het "
        "controlegetal (SHA-256) van toen het werd gemaakt. Het memo wordt niet getoond, afgedrukt of opgeslagen; "
        "dit is vastgelegd in het logboek. Maak zo nodig een nieuwe versie.").format(v=row.memo_version))
