"""Checking the audit trail's hash chain (``commissie-app audit verify``); the chain is made in ``db/audit_chain``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from commissie_app.db import audit_chain
from commissie_app.db.audit_chain import BrokenLink, ChainCheck
from commissie_app.domain.errors import DomainError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def verify_audit_chain(ctx: ServiceContext, batch: int = audit_chain.VERIFY_BATCH,
                       anchor: tuple[int, str] | None = None) -> ChainCheck:
    """Recompute every event's hash and link, ``batch`` events at a time (memory does not grow with the log).
    ``anchor`` is an event's number and the hash written down for it (in the minutes); see ``parse_anchor``."""
    with UnitOfWork(ctx) as uow:
        return audit_chain.verify(uow.session.connection(), batch, anchor)


def parse_anchor(text: str) -> tuple[int, str]:
    """``NR:HASH`` as printed by ``audit verify`` (the number of an event and its full SHA-256 in hex)."""
    number, _sep, digest = text.strip().partition(":")
    digest = digest.strip().lower()
    if not (number.strip().isdigit() and int(number) > 0 and len(digest) == 64
            and all(c in "0123456789abcdef" for c in digest)):
        raise DomainError(_("Een anker is een gebeurtenisnummer en de volledige hash van 64 tekens, zoals "
                            "‘{example}’; ‘{text}’ is dat niet.").format(example="109:" + "0" * 64, text=text))
    return int(number), digest


def describe(check: ChainCheck) -> str:
    """The result in Dutch, for the command line (and later a window)."""
    if check.intact:
        text = ngettext("Het logboek is intact: {n} gebeurtenis, de keten klopt.",
                        "Het logboek is intact: {n} gebeurtenissen, de keten klopt.", check.count).format(n=check.count)
        if check.count:
            text += "\n" + _("Hash van gebeurtenis {seq} (om vast te leggen in de notulen): {hash}").format(
                seq=check.count, hash=check.last_hash)
        return text
    broken = check.broken
    if broken.seq == 0:
        return _("Het logboek is NIET intact: alle gebeurtenissen ontbreken, terwijl de kop van de keten "
                 "gebeurtenis {head} noemt.").format(head=broken.head_seq or broken.anchor_seq)
    lines = [_("Het logboek is NIET intact. Eerste verbroken gebeurtenis: nr. {seq} van {time} "
               "({actor}: {action} {entity_type} {entity_id}).").format(
        seq=broken.seq, time=_local_time(broken.at), actor=broken.actor, action=broken.action,
        entity_type=broken.entity_type, entity_id=broken.entity_id), _reason(broken)]
    if check.count and broken.kind != "tail":
        lines.append(ngettext("De gebeurtenis ervoor is in orde.", "De {n} gebeurtenissen ervoor zijn in orde.",
                              check.count).format(n=check.count))
    return "\n".join(lines)


def _reason(broken: BrokenLink) -> str:
    if broken.kind == "missing":
        first, last = broken.missing_from, broken.seq - 1
        if first == last:
            return _("Gebeurtenis {n} vlak ervoor ontbreekt: die is verwijderd.").format(n=first)
        return _("De gebeurtenissen {first} tot en met {last} ervoor ontbreken: die zijn verwijderd.").format(
            first=first, last=last)
    if broken.kind == "link":
        return _("De gebeurtenis verwijst niet naar de gebeurtenis ervoor (nr. {n}): die is gewijzigd of "
                 "vervangen.").format(n=broken.seq - 1)
    if broken.kind == "content":
        return _("De inhoud van deze gebeurtenis is gewijzigd nadat ze is vastgelegd.")
    if broken.kind == "anchor":
        if broken.anchor_seq != broken.seq:
            return _("Het anker noemt gebeurtenis {n}, maar de keten eindigt hier: wat erna kwam, is verwijderd "
                     "en de keten is opnieuw berekend.").format(n=broken.anchor_seq)
        return _("De keten klopt, maar deze gebeurtenis heeft niet de hash van het anker (uit de notulen): het "
                 "logboek is tot en met deze gebeurtenis herschreven en opnieuw berekend.")
    if broken.head_seq == broken.seq:
        return _("De kop van de keten noemt een andere hash voor deze laatste gebeurtenis: ze is herschreven.")
    if broken.head_seq is None:
        return _("Het is de laatste gebeurtenis, maar de kop van de keten (de tabel audit_chain_head) ontbreekt.")
    return _("Het is de laatste gebeurtenis, maar de kop van de keten noemt gebeurtenis {head}: wat erna kwam, "
             "is verwijderd of gewijzigd.").format(head=broken.head_seq)


def _local_time(at: dt.datetime) -> str:
    local = at.astimezone(AMSTERDAM)
    return f"{format_date_nl(local.date())} {local:%H:%M:%S}"
