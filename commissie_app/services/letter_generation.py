"""Generating decision letters from a closed meeting.

``generate_letters(ctx, meeting_id)`` renders one letter per decision of a CLOSED meeting and
archives each as a new ``letter_version`` (1, 2, ...); an existing row is never touched. No letter is made
while the letterhead names no contact person (``letter_settings.require_contact``).
``redate_letter`` makes a new version dated another day (the day it is sent); ``mark_sent_dated`` marks
letters sent, each first re-dated to the sending day where it bears another date.
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
from commissie_app.services import letter_settings
from commissie_app.services.decision_letter_data import letter_data
from commissie_app.services.letter_archive import LetterInfo, get_letter, letter_to_redate, list_letters
from commissie_app.services.letter_sending import check_sending, mark_all_sent
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


def check_ready(ctx: ServiceContext, meeting_id: uuid.UUID, where: str | None = None) -> None:
    """Refuse (DomainError) what generate_letters would refuse about the meeting and the letterhead (no
    contact person: ``where`` says where to fill it in), before anything else is done (``letters --out``
    checks this, then its folder, then generates)."""
    with UnitOfWork(ctx) as uow:
        _decisions_to_write(uow, meeting_id)
    letter_settings.require_contact(ctx, where)


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
    settings = letter_settings.require_contact(ctx)
    letter_date = ctx.today()
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        meeting, decisions = _decisions_to_write(uow, meeting_id)
        total = len(decisions)
        if progress:
            progress(0, total)
        rows: list[tuple[DecisionLetter, bool]] = []
        corrections = decision_corrections(uow.session)
        for done, d in enumerate(decisions, start=1):
            rows.append(_write_letter(uow, d, meeting, settings, letter_date, corrections))
            if progress:
                progress(done, total)
        uow.commit()
        ids = [(r.id, reused) for r, reused in rows]
    by_id = {i.id: i for i in list_letters(ctx, meeting_id)}
    return [dataclasses.replace(by_id[i], reused=reused) for i, reused in ids]


def _write_letter(uow: UnitOfWork, d: DecisionRecord, meeting: Meeting, settings, letter_date: dt.date,
                  corrections) -> tuple[DecisionLetter, bool]:
    """Render the letter of decision ``d`` dated ``letter_date`` and archive it as a new version, or re-use the
    latest version when it is unsent and identical (True)."""
    s = uow.session
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
        return last, True
    row = DecisionLetter(
        decision_id=d.id, letter_version=(last.letter_version if last else 0) + 1, pdf=rendered.pdf,
        sha256=sha, template_version=rendered.template_version, letter_date=letter_date,
        generated_at=dt.datetime.now(dt.timezone.utc), generated_by=uow.ctx.actor.name,
    )
    s.add(row)
    s.flush()
    return row, False


def redate_letter(ctx: ServiceContext, letter_id: uuid.UUID, letter_date: dt.date) -> LetterInfo:
    """A new version of this unsent decision letter dated ``letter_date`` (the day it is sent), from the
    decision, letterhead and template as they are now. Refused when the letter was sent or a later version
    exists (that one goes out)."""
    require(ctx, Action.MAKE_LETTERS)
    settings = letter_settings.require_contact(ctx)
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        old = letter_to_redate(uow.session, DecisionLetter, letter_id, letter_date,
                               lambda row: [DecisionLetter.decision_id == row.decision_id])
        d = uow.session.get(DecisionRecord, old.decision_id)
        meeting = uow.session.get(Meeting, uow.session.get(AgendaItem, d.agenda_item_id).meeting_id)
        row, _reused = _write_letter(uow, d, meeting, settings, letter_date, decision_corrections(uow.session))
        uow.commit()
        new_id = row.id
    return get_letter(ctx, new_id)


def mark_sent_dated(ctx: ServiceContext, letter_ids: list[uuid.UUID], sent_on: dt.date, via: str) -> list[LetterInfo]:
    """Mark these unsent decision letters sent on ``sent_on``, each dated that day: a letter that bears another
    date first gets a new version dated ``sent_on`` (issue 14: the date on a sent letter is the day it was sent).
    One transaction, all or none; returns the versions marked sent."""
    check_sending(ctx, sent_on, via)
    with UnitOfWork(ctx) as uow:
        infos = {i.id: i for i in list_letters(ctx)}
        missing = [i for i in letter_ids if i not in infos]
        if missing:
            raise NotFoundError(_("Een of meer van deze brieven bestaan niet (meer); er is niets gemarkeerd."))
        sending = [infos[i] if infos[i].letter_date == sent_on or infos[i].is_sent
                   else redate_letter(ctx, i, sent_on) for i in letter_ids]
        mark_all_sent(ctx, [i.id for i in sending], sent_on, via)
        uow.commit()
    return [get_letter(ctx, i.id) for i in sending]
