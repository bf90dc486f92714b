"""Letters that are not decisions (issue 12): acknowledgement of receipt, request for information, expiry
reminder. Made from templates on the decision letters' letterhead, archived like them in ``letters``: every
version kept, PDF with its SHA-256 and template version, immutable once sent (the ORM guard below and the
database's triggers of migration 0012).

* ``make_letters(ctx, [(kind, target_id), ...])``: one letter each, all or nothing; an unsent unchanged
  latest version is re-used instead of archived again (as ``letter_generation`` does);
* ``due_reminders(ctx, today)``: what is due: reminders for recognitions whose badge ends within
  ``rules.reminder_months`` without a reminder for that end date (and no follow-up in progress), acknowledgements for received applications,
  information requests without a letter for their due date (``commissie-app reminders`` and the app);
* ``list_correspondence``, ``correspondence_pdf`` (hash checked), ``mark_sent``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import undefer

from commissie_app.db.models import Application, DecisionRecord, Letter, Organisation, Recognition
from commissie_app.documents.correspondence import CorrespondenceData, render_correspondence
from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.correspondence import LetterKind
from commissie_app.domain.errors import DomainError, NotFoundError
from commissie_app.domain.permissions import Action
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_archive import (
    LetterTamperedError, SentState, letter_to_redate, printed_date, sent_before, verified_pdf,
)
from commissie_app.services import letter_sending, letter_settings
from commissie_app.services.recognition_register import due_for_reassessment
from commissie_app.services.uow import UnitOfWork


def plain_name(text: str, fallback: str) -> str:
    """``Wasserette-Werkkans`` for 'Wasserette Wérkkans!': ASCII words joined by '-', for a file name."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", plain))[:60] or fallback


@dataclass(frozen=True)
class CorrespondenceInfo(SentState):
    id: uuid.UUID
    kind: LetterKind
    application_id: uuid.UUID | None
    recognition_id: uuid.UUID | None
    organisation: str
    organisation_email: str
    about_date: dt.date
    kenmerk: str
    letter_version: int
    sha256: str
    template_version: str
    generated_at: dt.datetime
    generated_by: str
    sent_on: dt.date | None
    sent_via: str | None
    letter_date: dt.date  # the date printed on it
    reused: bool = False

    @property
    def title(self) -> str:
        """``herinnering KIP-2026-007``; ``ontvangstbevestiging`` where no kenmerk applies."""
        return f"{self.kind.label} {self.kenmerk}".strip()

    @property
    def filename(self) -> str:
        """``herinnering-Wasserette-Werkkans-2027-01-22.pdf`` (``-v2`` for a later version): a plain file name."""
        name = plain_name(self.organisation, "organisatie")
        suffix = "" if self.letter_version == 1 else f"-v{self.letter_version}"
        return f"{self.kind.template_name}-{name}-{self.about_date.isoformat()}{suffix}.pdf"


@dataclass(frozen=True)
class DueLetter:
    """A letter that is due and not yet made."""

    kind: LetterKind
    target_id: uuid.UUID  # the application (acknowledgement, information request) or the recognition (reminder)
    organisation: str
    about_date: dt.date
    kenmerk: str = ""

    @property
    def line(self) -> str:
        """One line in Dutch, as ``reminders --dry-run`` prints it and the dialog shows it."""
        day = format_date_nl(self.about_date)
        if self.kind is LetterKind.REMINDER:
            return _("Herinnering: {org} ({kenmerk}), SROI-badge loopt af op {day}").format(
                org=self.organisation, kenmerk=self.kenmerk, day=day)
        if self.kind is LetterKind.INFO_REQUEST:
            return _("Informatieverzoek: {org}, informatie gevraagd uiterlijk {day}").format(
                org=self.organisation, day=day)
        return _("Ontvangstbevestiging: {org}, aanvraag ontvangen op {day}").format(org=self.organisation, day=day)


# ---------------------------------------------------------------- immutability guard (as letter_archive's)

_FIXED = ("pdf", "sha256", "template_version", "kind", "application_id", "recognition_id", "about_date", "kenmerk",
          "letter_version", "generated_at", "generated_by", "letter_date")


@event.listens_for(Letter, "before_update")
def _refuse_update(mapper, connection, target: Letter) -> None:
    if sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet meer worden gewijzigd."))
    if any(inspect(target).attrs[name].history.has_changes() for name in _FIXED):
        raise DomainError(_("Een gearchiveerde brief wordt niet overschreven; maak een nieuwe versie."))


@event.listens_for(Letter, "before_delete")
def _refuse_delete(mapper, connection, target: Letter) -> None:
    if sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet worden verwijderd."))


# ---------------------------------------------------------------- making


def _application_data(uow: UnitOfWork, kind: LetterKind, app_id: uuid.UUID, letter_date: dt.date
                      ) -> tuple[CorrespondenceData, uuid.UUID, dt.date | None]:
    app = uow.session.get(Application, app_id)
    if app is None:
        raise NotFoundError(_("Deze aanvraag bestaat niet (meer)."))
    org = app.organisation
    kenmerk = ""
    if kind is LetterKind.INFO_REQUEST:  # after a decision 'aangehouden' the application has a kenmerk
        kenmerk = uow.session.scalars(select(DecisionRecord.kenmerk).where(DecisionRecord.application_id == app.id)
                                      .order_by(DecisionRecord.decided_on.desc())).first() or ""
    data = CorrespondenceData(
        kind=kind, letter_date=letter_date, organisation_name=org.name, contact_person=org.contact_person,
        contact_form=org.contact_salutation, street=org.street, postcode=org.postcode, place=org.place,
        secretary_name=uow.ctx.actor.name,
        received_on=app.received_on, kenmerk=kenmerk, criteria=tuple(e.criterion for e in app.evidence),
        info_requested=app.info_requested, info_due_on=app.info_due_on)
    return data, org.id, app.info_due_on if kind is LetterKind.INFO_REQUEST else app.received_on


def _recognition_data(uow: UnitOfWork, rec_id: uuid.UUID, letter_date: dt.date) -> CorrespondenceData:
    rec = uow.session.get(Recognition, rec_id)
    if rec is None:
        raise NotFoundError(_("Deze erkenning bestaat niet (meer)."))
    if rec.withdrawn_on is not None:
        raise DomainError(_("De erkenning van {org} is ingetrokken; er gaat geen herinnering uit.").format(
            org=rec.organisation.name))
    org = rec.organisation
    decision = uow.session.get(DecisionRecord, rec.decision_id)
    return CorrespondenceData(
        kind=LetterKind.REMINDER, letter_date=letter_date, organisation_name=org.name,
        contact_person=org.contact_person, contact_form=org.contact_salutation, street=org.street,
        postcode=org.postcode, place=org.place, secretary_name=uow.ctx.actor.name, kenmerk=decision.kenmerk,
        criteria=tuple(Criterion(c) for c in rec.criteria), valid_until=rec.valid_until)


def _make(uow: UnitOfWork, kind: LetterKind, target_id: uuid.UUID, settings,
          letter_date: dt.date | None = None) -> tuple[Letter, bool]:
    s, letter_date = uow.session, letter_date or uow.ctx.today()
    if kind.of_recognition:
        data = _recognition_data(uow, target_id, letter_date)
        about, owner = data.valid_until, Letter.recognition_id
    else:
        data, _org, about = _application_data(uow, kind, target_id, letter_date)
        owner = Letter.application_id
    try:
        rendered = render_correspondence(data, settings)
    except DomainError as e:
        raise DomainError(_("De {kind} voor {org} kan niet worden gemaakt.").format(
            kind=kind.label, org=data.organisation_name) + "\n" + str(e)) from e
    sha = hashlib.sha256(rendered.pdf).hexdigest()
    last = s.scalars(select(Letter).where(Letter.kind == kind, owner == target_id)
                     .order_by(Letter.letter_version.desc()).limit(1)).first()
    if (last is not None and last.sent_on is None and last.sha256 == sha and last.about_date == about
            and last.template_version == rendered.template_version):
        return last, True
    row = Letter(kind=kind, about_date=about, kenmerk=data.kenmerk,
                 letter_version=(last.letter_version if last else 0) + 1, pdf=rendered.pdf, sha256=sha,
                 template_version=rendered.template_version, letter_date=letter_date, generated_at=uow.ctx.now(),
                 generated_by=uow.ctx.actor.name)
    if kind.of_recognition:
        row.recognition_id = target_id
    else:
        row.application_id = target_id
    s.add(row)
    s.flush()
    return row, False


def make_letters(ctx: ServiceContext, requests: list[tuple[LetterKind, uuid.UUID]]) -> list[CorrespondenceInfo]:
    """Make and archive one letter per (kind, application or recognition id), all or nothing."""
    require(ctx, Action.MAKE_LETTERS)
    settings = letter_settings.require_contact(ctx)
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        made = [_make(uow, LetterKind(kind), target_id, settings) for kind, target_id in requests]
        ids = [(row.id, reused) for row, reused in made]
        uow.commit()
    by_id = {i.id: i for i in list_correspondence(ctx, ids={i for i, _r in ids})}
    return [replace(by_id[i], reused=reused) for i, reused in ids]


def make_letter(ctx: ServiceContext, kind: LetterKind, target_id: uuid.UUID) -> CorrespondenceInfo:
    return make_letters(ctx, [(kind, target_id)])[0]


def make_due(ctx: ServiceContext, due: list[DueLetter]) -> list[CorrespondenceInfo]:
    return make_letters(ctx, [(d.kind, d.target_id) for d in due])


def _versions_of(row: Letter) -> list:
    if row.kind.of_recognition:
        return [Letter.kind == row.kind, Letter.recognition_id == row.recognition_id]
    return [Letter.kind == row.kind, Letter.application_id == row.application_id]


def redate_letter(ctx: ServiceContext, letter_id: uuid.UUID, letter_date: dt.date) -> CorrespondenceInfo:
    """A new version of this unsent letter dated ``letter_date`` (the day it is sent), as ``letter_generation.
    redate_letter`` does for decision letters."""
    require(ctx, Action.MAKE_LETTERS)
    settings = letter_settings.require_contact(ctx)
    with UnitOfWork(ctx) as uow:
        uow.action = "generate"
        old = letter_to_redate(uow.session, Letter, letter_id, letter_date, _versions_of)
        target = old.recognition_id if old.kind.of_recognition else old.application_id
        row, _reused = _make(uow, old.kind, target, settings, letter_date)
        uow.commit()
        new_id = row.id
    return list_correspondence(ctx, ids={new_id})[0]


# ---------------------------------------------------------------- what is due


def due_reminders(ctx: ServiceContext, today: dt.date | None = None) -> list[DueLetter]:
    """The letters that are due today and not yet made (in the archive): acknowledgements, information
    requests, then reminders; each by date and organisation."""
    today = today or ctx.today()
    horizon = rrules.reminder_horizon(today, ctx.rules)
    with ctx.db.engine.connect() as conn:
        made = {(LetterKind(k), a or r, d) for k, a, r, d in conn.execute(
            select(Letter.kind, Letter.application_id, Letter.recognition_id, Letter.about_date))}
        apps = conn.execute(
            select(Application.id, Application.status, Application.received_on, Application.info_requested,
                   Application.info_due_on, Organisation.name)
            .join(Organisation, Organisation.id == Application.organisation_id)
            .where(Application.status.in_((Status.RECEIVED, Status.INFO_REQUESTED)))).all()
    # standing recognitions without a follow-up in progress (a renewal already received needs no reminder)
    due = [DueLetter(LetterKind.REMINDER, r.id, r.name, r.valid_until, r.kenmerk)
           for r in due_for_reassessment(ctx, today) if today <= r.valid_until <= horizon]
    for a in apps:
        if Status(a.status) is Status.RECEIVED:
            due.append(DueLetter(LetterKind.ACKNOWLEDGEMENT, a.id, a.name, a.received_on))
        elif a.info_requested.strip() and a.info_due_on is not None:
            due.append(DueLetter(LetterKind.INFO_REQUEST, a.id, a.name, a.info_due_on))
    order = list(LetterKind)
    due = [d for d in due if not _already_made(d, made)]
    return sorted(due, key=lambda d: (order.index(d.kind), d.about_date, d.organisation))


def _already_made(d: DueLetter, made: set) -> bool:
    if d.kind is LetterKind.ACKNOWLEDGEMENT:  # one acknowledgement per application, whatever its date
        return any(k is d.kind and t == d.target_id for k, t, _day in made)
    return (d.kind, d.target_id, d.about_date) in made


@dataclass(frozen=True)
class UnsentLetter:
    """A letter made but not sent (its latest version): for the "Te doen" view."""

    kind: str  # the Dutch name: 'besluitbrief', 'ontvangstbevestiging', 'informatieverzoek', 'herinnering'
    organisation: str
    kenmerk: str
    generated_at: dt.datetime
    letter_id: uuid.UUID
    decision_letter: bool


def unsent_letters(ctx: ServiceContext) -> list[UnsentLetter]:
    """Every letter, decision letters included, whose latest version is not marked sent; oldest first."""
    from commissie_app.services.letter_archive import list_letters

    latest: dict = {}
    for i in list_letters(ctx):
        latest[("decision", i.decision_id)] = UnsentLetter(_("besluitbrief"), i.organisation, i.kenmerk,
                                                           i.generated_at, i.id, True) if not i.is_sent else None
    for i in sorted(list_correspondence(ctx), key=lambda i: i.letter_version):
        latest[(i.kind, i.application_id or i.recognition_id)] = UnsentLetter(
            i.kind.label, i.organisation, i.kenmerk, i.generated_at, i.id, False) if not i.is_sent else None
    return sorted((u for u in latest.values() if u is not None), key=lambda u: (u.generated_at, u.organisation))


# ---------------------------------------------------------------- reading and sending


def list_correspondence(ctx: ServiceContext, *, application_id: uuid.UUID | None = None,
                        recognition_id: uuid.UUID | None = None,
                        ids: set[uuid.UUID] | None = None) -> list[CorrespondenceInfo]:
    """Every archived version (of one application or recognition, or these ids, or all), oldest first."""
    with UnitOfWork(ctx) as uow:
        q = (select(Letter, Organisation)
             .outerjoin(Application, Letter.application_id == Application.id)
             .outerjoin(Recognition, Letter.recognition_id == Recognition.id)
             .join(Organisation, Organisation.id == func.coalesce(Application.organisation_id,
                                                                  Recognition.organisation_id))
             .order_by(Letter.generated_at, Letter.kind, Letter.letter_version))
        if application_id is not None:
            q = q.where(Letter.application_id == application_id)
        if recognition_id is not None:
            q = q.where(Letter.recognition_id == recognition_id)
        if ids is not None:
            q = q.where(Letter.id.in_(ids))
        return [CorrespondenceInfo(
            id=l.id, kind=l.kind, application_id=l.application_id, recognition_id=l.recognition_id,
            organisation=o.name, organisation_email=o.email, about_date=l.about_date, kenmerk=l.kenmerk,
            letter_version=l.letter_version, sha256=l.sha256, template_version=l.template_version,
            generated_at=l.generated_at, generated_by=l.generated_by, sent_on=l.sent_on, sent_via=l.sent_via,
            letter_date=printed_date(l))
            for l, o in uow.session.execute(q).all()]


def correspondence_pdf(ctx: ServiceContext, letter_id: uuid.UUID) -> bytes:
    """The archived PDF exactly as generated; refused (LetterTamperedError, audited) when it no longer
    matches its SHA-256."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(Letter, letter_id, options=[undefer(Letter.pdf)])
        if row is None:
            raise NotFoundError(_("Deze brief bestaat niet (meer)."))
        data = verified_pdf(uow, row, "letter", {"kind": row.kind.value, "letter_version": row.letter_version})
        if data is not None:
            return data
    raise LetterTamperedError(_(
        "De gearchiveerde brief (versie {v}) is buiten de app gewijzigd: de inhoud klopt niet meer met het "
        "controlegetal (SHA-256) van toen hij werd gemaakt. De brief wordt niet getoond, afgedrukt of opgeslagen; "
        "dit is vastgelegd in het logboek. Maak zo nodig een nieuwe versie.").format(v=row.letter_version))


def mark_sent(ctx: ServiceContext, letter_id: uuid.UUID, sent_on: dt.date, via: str) -> None:
    """Record that the letter went out; from then on it cannot change."""
    letter_sending.mark_sent(ctx, letter_id, sent_on, via, model=Letter)


def mark_sent_dated(ctx: ServiceContext, letter_id: uuid.UUID, sent_on: dt.date, via: str) -> CorrespondenceInfo:
    """Mark the letter sent on ``sent_on``, dated that day: a new version first when it bears another date
    (as ``letter_generation.mark_sent_dated``); one transaction."""
    letter_sending.check_sending(ctx, sent_on, via)
    with UnitOfWork(ctx) as uow:
        found = list_correspondence(ctx, ids={letter_id})
        if not found:
            raise NotFoundError(_("Deze brief bestaat niet (meer)."))
        info = found[0] if found[0].letter_date == sent_on else redate_letter(ctx, letter_id, sent_on)
        mark_sent(ctx, info.id, sent_on, via)
        uow.commit()
    return list_correspondence(ctx, ids={info.id})[0]
