"""The archive of decision letters (besluitbrieven): every version as generated, never overwritten.

* Each letter version is a ``DecisionLetter`` row: PDF bytes, SHA-256, the template version actually
  used, who and when. A sent letter is immutable (also enforced here by a ``before_update``/
  ``before_delete`` guard on the model, so no other code path can overwrite it).
* ``letter_pdf`` returns the archived bytes after checking their hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import undefer

from commissie_app.db.models import AgendaItem, Application, AuditEvent, DecisionLetter, DecisionRecord, Organisation
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.rules import kenmerk_file_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import decision_corrections, effective_decision
from commissie_app.services.uow import UnitOfWork


log = logging.getLogger(__name__)


class SentState:
    """Whether and how an archived letter went out (its ``sent_on`` and ``sent_via``), and the date it bears."""

    sent_on: dt.date | None
    sent_via: str | None
    letter_date: dt.date

    def date_mismatch(self, sent_on: dt.date) -> str:
        """'' when the letter bears the date it is sent; else the Dutch note that says it is not (issue 14:
        the date on a sent letter is the day it was sent)."""
        if sent_on == self.letter_date:
            return ""
        return _("De brief is gedateerd {dated} maar wordt verzonden op {sent}.").format(
            dated=format_date_nl(self.letter_date), sent=format_date_nl(sent_on))

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None

    @property
    def sent_text(self) -> str:
        if self.sent_on is None:
            return ""
        via = _("per post") if self.sent_via == "post" else _("per e-mail")
        return f"{format_date_nl(self.sent_on)} {via}"


@dataclass(frozen=True)
class LetterInfo(SentState):
    id: uuid.UUID
    decision_id: uuid.UUID
    kenmerk: str
    organisation: str
    organisation_email: str
    decision_type: DecisionType
    letter_version: int
    sha256: str
    template_version: str
    generated_at: dt.datetime
    generated_by: str
    sent_on: dt.date | None
    sent_via: str | None
    letter_date: dt.date  # the date printed on it
    reused: bool = False  # generate_letters: an unchanged unsent version that was already archived

    @property
    def filename(self) -> str:
        """``KIP-2026-001.pdf`` (``-v2`` for a later version); a DomainError when the kenmerk is not a
        plain file name (a kenmerk such as ``../x`` would write outside the chosen folder)."""
        suffix = "" if self.letter_version == 1 else f"-v{self.letter_version}"
        return kenmerk_file_name(self.kenmerk, f"{suffix}.pdf")


# ---------------------------------------------------------------- immutability guard


def sent_before(target) -> bool:
    """Was this archived letter (decision letter or other) already marked sent before this flush?"""
    hist = inspect(target).attrs.sent_on.history
    if hist.deleted:
        return any(v is not None for v in hist.deleted)
    return bool(hist.unchanged) and hist.unchanged[0] is not None


@event.listens_for(DecisionLetter, "before_update")
def _refuse_update(mapper, connection, target: DecisionLetter) -> None:
    if sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet meer worden gewijzigd."))
    state = inspect(target)
    for name in ("pdf", "sha256", "template_version", "decision_id", "letter_version", "generated_at", "generated_by",
                 "letter_date"):
        if state.attrs[name].history.has_changes():
            raise DomainError(_("Een gearchiveerde brief wordt niet overschreven; maak een nieuwe versie."))


@event.listens_for(DecisionLetter, "before_delete")
def _refuse_delete(mapper, connection, target: DecisionLetter) -> None:
    if sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet worden verwijderd."))


# ---------------------------------------------------------------- dates


def printed_date(row) -> dt.date:
    """The date on an archived letter (``DecisionLetter`` or ``Letter``): as recorded, or for a version made
    before it was recorded (migration contact_salutation, 0017) the day it was made, in the Netherlands."""
    if row.letter_date is not None:
        return row.letter_date
    return row.generated_at.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()


def letter_to_redate(session, model, letter_id: uuid.UUID, letter_date: dt.date, versions_of):
    """The archived letter (``DecisionLetter`` or ``Letter``) that gets a new version dated ``letter_date``;
    refused as ``check_redate`` says. ``versions_of(row)``: the conditions that select its versions."""
    row = session.get(model, letter_id)
    if row is None:
        raise NotFoundError(_("Deze brief bestaat niet (meer)."))
    check_redate(row, letter_date, session.scalar(select(func.max(model.letter_version)).where(*versions_of(row))))
    return row


def check_redate(row, letter_date: dt.date, latest_version: int | None) -> None:
    """Refuse (DomainError) a new version dated ``letter_date`` of this archived letter: it was sent already, a
    later version exists, or the date lies before the day the letter was made."""
    if row.sent_on is not None:
        raise DomainError(_("Deze brief is al verzonden op {day}; er komt geen nieuwe versie van.").format(
            day=format_date_nl(row.sent_on)))
    if latest_version is not None and latest_version > row.letter_version:
        raise DomainError(_("Van deze brief is al een nieuwere versie (versie {v}); maak die opnieuw.").format(
            v=latest_version))
    if letter_date < printed_date(row):
        raise DomainError(_("Een brief kan niet gedateerd worden vóór {day}, de datum die hij nu draagt.").format(
            day=format_date_nl(printed_date(row))))


# ---------------------------------------------------------------- reading


def list_letters(ctx: ServiceContext, meeting_id: uuid.UUID | None = None) -> list[LetterInfo]:
    """Every archived letter version (of one meeting, or all), by kenmerk then version."""
    with UnitOfWork(ctx) as uow:
        q = (select(DecisionLetter, DecisionRecord, Organisation)
             .join(DecisionRecord, DecisionLetter.decision_id == DecisionRecord.id)
             .join(Application, DecisionRecord.application_id == Application.id)
             .join(Organisation, Application.organisation_id == Organisation.id)
             .order_by(DecisionRecord.year, DecisionRecord.number, DecisionLetter.letter_version))
        if meeting_id is not None:
            q = q.join(AgendaItem, DecisionRecord.agenda_item_id == AgendaItem.id).where(
                AgendaItem.meeting_id == meeting_id)
        corrections = decision_corrections(uow.session)
        return [
            LetterInfo(
                id=l.id, decision_id=d.id, kenmerk=d.kenmerk, organisation=o.name, organisation_email=o.email,
                # the decision this version states: corrected decisions change it for later versions only
                decision_type=effective_decision(d, corrections, as_of=l.generated_at).decision_type,
                letter_version=l.letter_version, sha256=l.sha256,
                template_version=l.template_version, generated_at=l.generated_at, generated_by=l.generated_by,
                sent_on=l.sent_on, sent_via=l.sent_via, letter_date=printed_date(l),
            )
            for l, d, o in uow.session.execute(q).all()
        ]


def latest_versions(infos: list[LetterInfo]) -> list[LetterInfo]:
    """Of each decision, its latest letter version (the one that goes out), in the order of ``infos``."""
    latest: dict[uuid.UUID, LetterInfo] = {}
    for info in infos:
        if info.decision_id not in latest or info.letter_version > latest[info.decision_id].letter_version:
            latest[info.decision_id] = info
    return [i for i in infos if latest[i.decision_id] is i]


def get_letter(ctx: ServiceContext, letter_id: uuid.UUID) -> LetterInfo:
    found = [i for i in list_letters(ctx) if i.id == letter_id]
    if not found:
        raise NotFoundError(_("Deze brief bestaat niet (meer)."))
    return found[0]


def _letter_row(uow: UnitOfWork, letter_id: uuid.UUID) -> DecisionLetter:
    row = uow.session.get(DecisionLetter, letter_id, options=[undefer(DecisionLetter.pdf)])
    if row is None:
        raise NotFoundError(_("Deze brief bestaat niet (meer)."))
    return row


class LetterTamperedError(DomainError):
    """The archived PDF no longer matches the SHA-256 recorded when it was generated."""


def verified_pdf(uow: UnitOfWork, row, entity_type: str, details: dict) -> bytes | None:
    """The archived bytes of ``row`` (a letter or memo with ``pdf`` and ``sha256``) when they match its hash;
    else the mismatch is audited (``integrity_failure`` with ``details``, committed) and None is returned."""
    data = bytes(row.pdf)
    actual = hashlib.sha256(data).hexdigest()
    if actual == row.sha256:
        return data
    uow.record_event("integrity_failure", entity_type, row.id, {
        **details, "sha256_found": actual, "sha256_recorded": row.sha256})
    uow.commit()
    return None


def letter_pdf(ctx: ServiceContext, letter_id: uuid.UUID) -> bytes:
    """The archived PDF, exactly as generated. Every way out of the archive (preview, print, save,
    ``letters --out``, e-mail draft) comes through here: the bytes must match both the hash on the
    row and the hash written in the letter's ``generate`` audit event (so replacing PDF and hash
    together is caught too). A mismatch is logged, audited and refused (LetterTamperedError)."""
    with UnitOfWork(ctx) as uow:
        row = _letter_row(uow, letter_id)
        data = bytes(row.pdf)
        actual = hashlib.sha256(data).hexdigest()
        recorded = {row.sha256} | _generated_hashes(uow, row.id)
        if recorded == {actual}:
            return data
        d = uow.session.get(DecisionRecord, row.decision_id)
        kenmerk = d.kenmerk if d else "?"
        log.error("Gearchiveerde brief %s versie %s (id %s) is buiten de app gewijzigd: SHA-256 %s, vastgelegd %s",
                  kenmerk, row.letter_version, row.id, actual, sorted(recorded))
        uow.record_event("integrity_failure", "decision_letter", row.id, {
            "kenmerk": kenmerk, "letter_version": row.letter_version, "sha256_found": actual,
            "sha256_recorded": sorted(recorded)})
        uow.commit()
    raise LetterTamperedError(_(
        "De gearchiveerde brief {kenmerk} (versie {v}) is buiten de app gewijzigd: de inhoud klopt niet meer "
        "met het controlegetal (SHA-256) van toen hij werd gemaakt. De brief wordt niet getoond, afgedrukt of "
        "opgeslagen; dit is vastgelegd in het logboek. Maak zo nodig een nieuwe versie.").format(
        kenmerk=kenmerk, v=row.letter_version))


def _generated_hashes(uow: UnitOfWork, letter_id: uuid.UUID) -> set[str]:
    events = uow.session.scalars(select(AuditEvent.new_values).where(
        AuditEvent.entity_type == "decision_letter", AuditEvent.entity_id == str(letter_id),
        AuditEvent.action == "generate"))
    return {str(v["sha256"]) for v in events if isinstance(v, dict) and v.get("sha256")}
