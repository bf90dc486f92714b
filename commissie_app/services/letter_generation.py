"""Generating decision letters from a closed meeting.

``generate_letters(ctx, meeting_id)`` renders one letter per decision of a CLOSED meeting and
archives each as a new ``letter_version`` (1, 2, ...); an existing row is never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from typing import Callable

from sqlalchemy import select

from commissie_app.db.models import AgendaItem, Application, DecisionLetter, DecisionRecord, Meeting
from commissie_app.documents.letters import render_letter_document
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.decision_letter_data import letter_data
from commissie_app.services.letter_archive import LetterInfo, list_letters
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.meeting_record import decision_corrections, effective_decision
from commissie_app.services.uow import UnitOfWork


Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- generating


def _closed_meeting(uow: UnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    m = uow.session.get(Meeting, meeting_id)
    if m is None:
        raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
    if m.status is not MeetingStatus.CLOSED:
        raise DomainError(_(
            "Besluitbrieven worden pas gemaakt als de vergadering gesloten is (status nu: {status})."
        ).format(status=m.status.label))
    return m


def _decisions_of(uow: UnitOfWork, meeting_id: uuid.UUID) -> list[DecisionRecord]:
    return list(uow.session.scalars(
        select(DecisionRecord).join(AgendaItem, DecisionRecord.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting_id).order_by(DecisionRecord.year, DecisionRecord.number)))


def check_ready(ctx: ServiceContext, meeting_id: uuid.UUID) -> None:
    """Refuse (DomainError) what generate_letters would refuse about the meeting, before anything else
    is done (``letters --out`` checks this, then its folder, then generates)."""
    with UnitOfWork(ctx) as uow:
        _decisions_to_write(uow, meeting_id)


def _decisions_to_write(uow: UnitOfWork, meeting_id: uuid.UUID) -> tuple[Meeting, list[DecisionRecord]]:
    meeting = _closed_meeting(uow, meeting_id)
    decisions = _decisions_of(uow, meeting.id)
    if not decisions:
        raise DomainError(_("In deze vergadering is geen besluit genomen; er zijn geen brieven te maken."))
    return meeting, decisions


def generate_letters(ctx: ServiceContext, meeting_id: uuid.UUID, progress: Progress | None = None) -> list[LetterInfo]:
    """One letter per decision of a closed meeting, all or nothing.

    A letter is rendered the same byte for byte from the same data, letterhead, template and date
    (invariant PDF). When the latest archived version of a decision is unsent and identical, it is
    re-used (``LetterInfo.reused``) rather than archived again: a retry adds no versions."""
    require(ctx, Action.MAKE_LETTERS)
    settings = get_letter_settings(ctx)
    letter_date = ctx.today()
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        s = uow.session
        meeting, decisions = _decisions_to_write(uow, meeting_id)
        total = len(decisions)
        corrections = decision_corrections(s)
        if progress:
            progress(0, total)
        rows: list[DecisionLetter] = []
        for done, d in enumerate(decisions, start=1):
            app = s.get(Application, d.application_id)
            org = app.organisation
            # a corrected decision (a correction after closing) gets a new letter version that says so
            data = letter_data(s, effective_decision(d, corrections), d, app, meeting, letter_date)
            try:
                rendered = render_letter_document(data, settings)
            except DomainError as e:
                raise DomainError(_("De brief voor {kenmerk} ({org}) kan niet worden gemaakt.").format(
                    kenmerk=d.kenmerk, org=org.name) + "\n" + str(e)) from e
            sha = hashlib.sha256(rendered.pdf).hexdigest()
            last = s.scalars(select(DecisionLetter).where(DecisionLetter.decision_id == d.id)
                             .order_by(DecisionLetter.letter_version.desc()).limit(1)).first()
            if (last is not None and last.sent_on is None and last.sha256 == sha
                    and last.template_version == rendered.template_version):
                rows.append((last, True))
            else:
                row = DecisionLetter(
                    decision_id=d.id, letter_version=(last.letter_version if last else 0) + 1, pdf=rendered.pdf,
                    sha256=sha, template_version=rendered.template_version,
                    generated_at=dt.datetime.now(dt.timezone.utc), generated_by=ctx.actor.name,
                )
                s.add(row)
                s.flush()
                rows.append((row, False))
            if progress:
                progress(done, total)
        uow.commit()
        ids = [(r.id, reused) for r, reused in rows]
    by_id = {i.id: i for i in list_letters(ctx, meeting_id)}
    return [dataclasses.replace(by_id[i], reused=reused) for i, reused in ids]
