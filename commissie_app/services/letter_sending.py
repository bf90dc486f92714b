"""Sending decision letters.

``mark_sent`` records date and way of sending (from then on the letter cannot change);
``mark_all_sent`` does so for a batch in one transaction, all or none; ``eml_draft`` builds an
RFC 5322 message with the PDF attached for the organisation's e-mail address.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import uuid
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid


from sqlalchemy import select

from commissie_app.db.models import SEND_WAYS, Application, DecisionLetter, DecisionRecord
from commissie_app.domain.addressing import salutation
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.rules import kenmerk_file_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext
from commissie_app.services.letter_archive import get_letter, letter_pdf
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.uow import UnitOfWork


# ---------------------------------------------------------------- sending


def check_sending(ctx: ServiceContext, sent_on: dt.date, via: str) -> None:
    """May the actor mark a letter sent, and are the date and the way possible (every kind of letter)."""
    require(ctx, Action.MAKE_LETTERS)
    if via not in SEND_WAYS:
        raise ValidationError({"via": _("Kies hoe de brief is verzonden: per post of per e-mail.")})
    if sent_on > ctx.today():
        raise ValidationError({"sent_on": _("De verzenddatum kan niet in de toekomst liggen.")})


def mark_sent(ctx: ServiceContext, letter_id: uuid.UUID, sent_on: dt.date, via: str, model=DecisionLetter) -> None:
    """Record that the letter went out; from then on it cannot change. ``model``: the archive's table
    (``DecisionLetter``, or ``Letter`` for the letters that are not decisions)."""
    check_sending(ctx, sent_on, via)
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(model, letter_id)
        if row is None:
            raise NotFoundError(_("Deze brief bestaat niet (meer)."))
        if row.sent_on is not None:
            raise DomainError(_("Deze brief is al verzonden op {day} en kan niet meer worden gewijzigd.").format(
                day=format_date_nl(row.sent_on)))
        uow.action = "send"
        row.sent_on = sent_on
        row.sent_via = via
        uow.commit()


def mark_all_sent(ctx: ServiceContext, letter_ids: list[uuid.UUID], sent_on: dt.date, via: str) -> int:
    """Record that every one of these decision letters went out on ``sent_on`` ``via`` post or e-mail: one
    transaction, all or none. A letter already sent is refused with the others, naming the sent ones."""
    check_sending(ctx, sent_on, via)
    wanted = set(letter_ids)
    if not wanted:
        raise ValidationError({"letters": _("Kies eerst de brieven die zijn verzonden.")})
    with UnitOfWork(ctx) as uow:
        found = uow.session.execute(
            select(DecisionLetter, DecisionRecord.kenmerk)
            .join(DecisionRecord, DecisionLetter.decision_id == DecisionRecord.id)
            .where(DecisionLetter.id.in_(wanted))
            .order_by(DecisionRecord.year, DecisionRecord.number, DecisionLetter.letter_version)).all()
        if len(found) != len(wanted):
            raise NotFoundError(_("Een of meer van deze brieven bestaan niet (meer); er is niets gemarkeerd."))
        sent = [f"{kenmerk} ({_version(row)}{format_date_nl(row.sent_on)})" for row, kenmerk in found
                if row.sent_on is not None]
        if sent:
            raise DomainError(_("Deze brieven zijn al verzonden en kunnen niet opnieuw worden gemarkeerd: {letters}. "
                                "Er is niets gemarkeerd; kies alleen brieven die nog niet zijn verzonden.").format(
                letters=", ".join(sent)))
        uow.action = "send"
        for row, _kenmerk in found:
            row.sent_on = sent_on
            row.sent_via = via
        uow.commit()
    return len(found)


def _version(row: DecisionLetter) -> str:
    return "" if row.letter_version == 1 else _("versie {v}, ").format(v=row.letter_version)


def eml_draft(ctx: ServiceContext, letter_id: uuid.UUID) -> bytes:
    """An e-mail (RFC 5322) to the organisation with the letter attached, to open in a mail program."""
    require(ctx, Action.MAKE_LETTERS)
    info = get_letter(ctx, letter_id)
    if not info.organisation_email.strip():
        raise DomainError(_("{org} heeft geen e-mailadres; verstuur de brief per post.").format(org=info.organisation))
    pdf = letter_pdf(ctx, letter_id)
    settings = get_letter_settings(ctx)
    with UnitOfWork(ctx) as uow:
        d = uow.session.get(DecisionRecord, info.decision_id)
        org = uow.session.get(Application, d.application_id).organisation
        greeting = salutation(org.contact_person, org.contact_salutation)
    msg = EmailMessage(policy=email.policy.SMTP)
    if settings.email:
        msg["From"] = formataddr((settings.sender_name, settings.email))
    msg["To"] = formataddr((info.organisation, info.organisation_email.strip()))
    msg["Subject"] = _("Besluit op uw aanvraag erkenning sociaal ondernemer, kenmerk {kenmerk}").format(
        kenmerk=info.kenmerk)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(settings.email.split("@")[-1] if "@" in settings.email else None))
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft that can be sent
    body = "\n\n".join([
        greeting,
        _("Bijgaand ontvangt u het besluit van de {sender} op uw aanvraag om erkenning als sociaal "
          "ondernemer (kenmerk {kenmerk}).").format(sender=settings.sender_name, kenmerk=info.kenmerk),
        _("Met vriendelijke groet,") + "\n" + settings.sender_name,
    ])
    msg.set_content(body + "\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=kenmerk_file_name(info.kenmerk))
    return msg.as_bytes()
