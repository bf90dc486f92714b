"""Decision letters (besluitbrieven): generated from a closed meeting, archived, sent.

* ``generate_letters(ctx, meeting_id)`` renders one letter per decision of a CLOSED meeting and
  archives each as a new ``letter_version`` (1, 2, ...): PDF bytes, SHA-256, the template version
  actually used, who and when. An existing row is never touched.
* ``mark_sent`` records date and way of sending; a sent letter is immutable (also enforced by a
  ``before_update``/``before_delete`` guard on the model, so no other code path can overwrite it).
* ``letter_pdf`` returns the archived bytes after checking their hash; ``eml_draft`` builds an
  RFC 5322 message with the PDF attached for the organisation's e-mail address.
* Letterhead settings live in the shared ``settings`` table under ``LETTER_SETTINGS_KEY``. A logo of
  the commission's own is stored there too (its bytes, not a path: every machine that shares the
  database must print the same letterhead); each machine writes it to a file of its own to render.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import email.policy
import hashlib
import logging
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Callable

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import undefer

from commissie_app.db.models import (
    AgendaItem,
    Application,
    AuditEvent,
    DecisionLetter,
    DecisionRecord,
    Meeting,
    Organisation,
    Setting,
)
from commissie_app.documents.letters import (
    DEFAULT_LOGO,
    DecisionType as LetterDecision,
    LetterData,
    LetterSettings,
    render_letter_document,
)
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.rules import kenmerk_file_name
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import DecisionType
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import DecisionInfo, decision_corrections, effective_decision
from commissie_app.services.uow import UnitOfWork

log = logging.getLogger(__name__)

LETTER_SETTINGS_KEY = "letter_settings"
SEND_WAYS = ("post", "email")

DEFAULT_OBJECTION = (
    "# Bezwaar\n\n"
    "Bent u het niet eens met dit besluit, dan kunt u binnen zes weken na de datum van deze brief "
    "schriftelijk om heroverweging vragen bij de Commissie Sociaal Inkopen. Vermeld daarbij het "
    "kenmerk van deze brief en de reden waarom u het niet eens bent met het besluit."
)

DEFAULT_SETTINGS = LetterSettings(
    sender_name="Commissie Sociaal Inkopen",
    organisation_lines=("Kennemer Inkoop Platform",),
    address_lines=("Postbus 511", "2003 PB Haarlem"),
    phone="",  # the secretariat's own contact details are set in the settings, not invented here
    email="",
    website="",
    logo_path=DEFAULT_LOGO,
    objection_paragraph=DEFAULT_OBJECTION,
)

_TO_LETTER = {
    DecisionType.GRANTED: LetterDecision.GRANTED,
    DecisionType.CONDITIONAL: LetterDecision.CONDITIONALLY_GRANTED,
    DecisionType.REJECTED: LetterDecision.REJECTED,
    DecisionType.DEFERRED: LetterDecision.DEFERRED,
}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LetterInfo:
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
    reused: bool = False  # generate_letters: an unchanged unsent version that was already archived

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None

    @property
    def filename(self) -> str:
        """``KIP-2026-001.pdf`` (``-v2`` for a later version); a DomainError when the kenmerk is not a
        plain file name (a kenmerk such as ``../x`` would write outside the chosen folder)."""
        suffix = "" if self.letter_version == 1 else f"-v{self.letter_version}"
        return kenmerk_file_name(self.kenmerk, f"{suffix}.pdf")

    @property
    def sent_text(self) -> str:
        if self.sent_on is None:
            return ""
        via = _("per post") if self.sent_via == "post" else _("per e-mail")
        return f"{format_date_nl(self.sent_on)} {via}"


# ---------------------------------------------------------------- immutability guard


def _sent_before(target: DecisionLetter) -> bool:
    hist = inspect(target).attrs.sent_on.history
    if hist.deleted:
        return any(v is not None for v in hist.deleted)
    return bool(hist.unchanged) and hist.unchanged[0] is not None


@event.listens_for(DecisionLetter, "before_update")
def _refuse_update(mapper, connection, target: DecisionLetter) -> None:
    if _sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet meer worden gewijzigd."))
    state = inspect(target)
    for name in ("pdf", "sha256", "template_version", "decision_id", "letter_version", "generated_at", "generated_by"):
        if state.attrs[name].history.has_changes():
            raise DomainError(_("Een gearchiveerde brief wordt niet overschreven; maak een nieuwe versie."))


@event.listens_for(DecisionLetter, "before_delete")
def _refuse_delete(mapper, connection, target: DecisionLetter) -> None:
    if _sent_before(target):
        raise DomainError(_("Deze brief is al verzonden en kan niet worden verwijderd."))


# ---------------------------------------------------------------- settings


MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg"}


def read_logo(path: Path) -> bytes:
    """A logo file chosen by the user, checked: PNG or JPEG by content, at most 2 MB."""
    import filetype

    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ValidationError({"logo": _("Het logo {file} kan niet worden gelezen: {err}").format(
            file=path, err=err.strerror or err)}) from err
    kind = filetype.guess(data)
    if kind is None or kind.mime not in LOGO_TYPES:
        raise ValidationError({"logo": _("Het logo moet een PNG- of JPEG-afbeelding zijn.")})
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError({"logo": _("Het logo is groter dan 2 MB; kies een kleinere afbeelding.")})
    return data


def _logo_file(data: bytes) -> Path | None:
    """The stored logo as a file on this machine (written once per content), for the renderer."""
    import filetype

    from commissie_app.paths import data_dir

    kind = filetype.guess(data)
    ext = LOGO_TYPES.get(kind.mime) if kind else None
    if ext is None:  # not an image any more: the letterhead goes without a logo
        return None
    path = data_dir() / "briefpapier" / f"logo-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def is_stored_logo(path: Path | None) -> bool:
    """Whether ``path`` is this machine's copy of a logo kept in the database."""
    from commissie_app.paths import data_dir

    return path is not None and Path(path).parent == data_dir() / "briefpapier"


def _settings_from_json(value: dict | None) -> LetterSettings:
    if not isinstance(value, dict):
        return DEFAULT_SETTINGS
    d = DEFAULT_SETTINGS

    def lines(key, default):
        v = value.get(key)
        return tuple(str(x) for x in v) if isinstance(v, list) else default

    logo_kind = value.get("logo")
    if logo_kind == "none":
        logo = None
    elif logo_kind == "own" and isinstance(value.get("logo_data"), str):
        try:
            logo = _logo_file(base64.b64decode(value["logo_data"]))
        except (ValueError, OSError):
            logo = None
    elif logo_kind == "default":
        logo = d.logo_path
    else:  # settings saved before logos were stored in the database: a path
        logo = value.get("logo_path", str(d.logo_path) if d.logo_path else None)
    return LetterSettings(
        sender_name=str(value.get("sender_name") or d.sender_name),
        organisation_lines=lines("organisation_lines", d.organisation_lines),
        address_lines=lines("address_lines", d.address_lines),
        phone=str(value.get("phone", d.phone) or ""),
        email=str(value.get("email", d.email) or ""),
        website=str(value.get("website", d.website) or ""),
        logo_path=Path(logo) if logo else None,
        objection_paragraph=str(value.get("objection_paragraph", d.objection_paragraph) or ""),
    )


def _logo_json(path: Path | None) -> dict:
    if path is None:
        return {"logo": "none"}
    if DEFAULT_LOGO is not None and Path(path).resolve() == Path(DEFAULT_LOGO).resolve():
        return {"logo": "default"}
    return {"logo": "own", "logo_data": base64.b64encode(read_logo(Path(path))).decode("ascii")}


def _settings_to_json(s: LetterSettings) -> dict:
    return {
        "sender_name": s.sender_name,
        "organisation_lines": list(s.organisation_lines),
        "address_lines": list(s.address_lines),
        "phone": s.phone,
        "email": s.email,
        "website": s.website,
        **_logo_json(s.logo_path),
        "objection_paragraph": s.objection_paragraph,
    }


def get_letter_settings(ctx: ServiceContext) -> LetterSettings:
    """The commission's letterhead; the defaults until someone saved settings."""
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(Setting, LETTER_SETTINGS_KEY)
        return _settings_from_json(row.value if row else None)


def sample_letter(settings: LetterSettings, today: dt.date) -> bytes:
    """A letter to a fictional organisation on this letterhead: to see the settings before saving."""
    from commissie_app.documents.letters import render_letter
    from commissie_app.domain.rules import load_rules
    from commissie_app.domain.voting import badge_valid_until

    data = LetterData(
        kenmerk=f"KIP-{today.year}-000", letter_date=today, decision=LetterDecision.GRANTED,
        organisation_name=_("Voorbeeldonderneming (voorbeeld)"), contact_person=_("Voorbeeld Persoon"),
        street=_("Voorbeeldstraat 1"), postcode="2011 AA", place="Haarlem",
        criteria=(Criterion.CODE_SO,), motivation=_("Dit is een voorbeeldbrief om het briefpapier te bekijken."),
        meeting_date=today, chair_name=_("Voorzitter"), secretary_name=_("Secretaris"),
        badge_valid_from=today, badge_valid_until=badge_valid_until(DecisionType.GRANTED, today, None, load_rules()),
    )
    return render_letter(data, settings)


def _audit_text(value: dict) -> str:
    """The settings for the audit log, with a stored logo shown by its hash rather than its bytes."""
    if isinstance(value, dict) and isinstance(value.get("logo_data"), str):
        data = base64.b64decode(value["logo_data"])
        value = {**value, "logo_data": f"sha256:{hashlib.sha256(data).hexdigest()}"}
    return str(value)


def set_letter_settings(ctx: ServiceContext, settings: LetterSettings) -> None:
    if not settings.sender_name.strip():
        raise ValidationError({"sender_name": _("Vul de naam van de afzender in.")})
    value = _settings_to_json(settings)
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(Setting, LETTER_SETTINGS_KEY)
        old = row.value if row else None
        if old == value:
            return
        if row is None:
            uow.session.add(Setting(key=LETTER_SETTINGS_KEY, value=value))
        else:
            row.value = value
        uow.audit("update", "setting", LETTER_SETTINGS_KEY, {"value": _audit_text(old)} if old else None,
                  {"value": _audit_text(value)})
        uow.commit()


# ---------------------------------------------------------------- generating




def _letter_data(d: DecisionRecord | DecisionInfo, app: Application, org: Organisation, meeting: Meeting,
                 letter_date: dt.date) -> LetterData:
    dtype = DecisionType(d.decision_type)
    criteria = []
    for e in app.evidence:
        try:
            criteria.append(Criterion(e.criterion))
        except ValueError:
            continue
    return LetterData(
        kenmerk=d.kenmerk,
        letter_date=letter_date,
        decision=_TO_LETTER[dtype],
        organisation_name=org.name,
        contact_person=org.contact_person,
        street=org.street,
        postcode=org.postcode,
        place=org.place,
        criteria=tuple(criteria),
        motivation=d.motivation,
        meeting_date=d.decided_on,
        chair_name=meeting.chair_name,
        secretary_name=meeting.secretary_name,
        badge_valid_from=d.badge_valid_from,
        badge_valid_until=d.badge_valid_until,
        conditional_deadline=d.conditional_deadline,
    )


def _closed_meeting(uow: UnitOfWork, meeting_id: uuid.UUID) -> Meeting:
    m = uow.session.get(Meeting, meeting_id)
    if m is None:
        raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
    if MeetingStatus(m.status) is not MeetingStatus.CLOSED:
        raise DomainError(_(
            "Besluitbrieven worden pas gemaakt als de vergadering gesloten is (status nu: {status})."
        ).format(status=MeetingStatus(m.status).label))
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
    settings = get_letter_settings(ctx)
    letter_date = ctx.today()
    with UnitOfWork(ctx) as uow:
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
            data = _letter_data(effective_decision(d, corrections), app, org, meeting, letter_date)
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
                uow.audit("generate", "decision_letter", row.id, None, {
                    "kenmerk": d.kenmerk, "letter_version": row.letter_version, "sha256": row.sha256,
                    "template_version": row.template_version, "pages": rendered.pages})
                rows.append((row, False))
            if progress:
                progress(done, total)
        uow.commit()
        ids = [(r.id, reused) for r, reused in rows]
    by_id = {i.id: i for i in list_letters(ctx, meeting_id)}
    return [dataclasses.replace(by_id[i], reused=reused) for i, reused in ids]


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
                sent_on=l.sent_on, sent_via=l.sent_via,
            )
            for l, d, o in uow.session.execute(q).all()
        ]


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
        uow.audit("integrity_failure", "decision_letter", row.id, None, {
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


# ---------------------------------------------------------------- sending


def mark_sent(ctx: ServiceContext, letter_id: uuid.UUID, sent_on: dt.date, via: str) -> None:
    """Record that the letter went out; from then on it cannot change."""
    if via not in SEND_WAYS:
        raise ValidationError({"via": _("Kies hoe de brief is verzonden: per post of per e-mail.")})
    if sent_on > ctx.today():
        raise ValidationError({"sent_on": _("De verzenddatum kan niet in de toekomst liggen.")})
    with UnitOfWork(ctx) as uow:
        row = uow.session.get(DecisionLetter, letter_id)
        if row is None:
            raise NotFoundError(_("Deze brief bestaat niet (meer)."))
        if row.sent_on is not None:
            raise DomainError(_("Deze brief is al verzonden op {day} en kan niet meer worden gewijzigd.").format(
                day=format_date_nl(row.sent_on)))
        row.sent_on = sent_on
        row.sent_via = via
        uow.audit("send", "decision_letter", row.id, None, {"sent_on": sent_on, "sent_via": via,
                                                            "sha256": row.sha256})
        uow.commit()


def eml_draft(ctx: ServiceContext, letter_id: uuid.UUID) -> bytes:
    """An e-mail (RFC 5322) to the organisation with the letter attached, to open in a mail program."""
    info = get_letter(ctx, letter_id)
    if not info.organisation_email.strip():
        raise DomainError(_("{org} heeft geen e-mailadres; verstuur de brief per post.").format(org=info.organisation))
    pdf = letter_pdf(ctx, letter_id)
    settings = get_letter_settings(ctx)
    with UnitOfWork(ctx) as uow:
        d = uow.session.get(DecisionRecord, info.decision_id)
        org = uow.session.get(Application, d.application_id).organisation
        contact = org.contact_person
    msg = EmailMessage(policy=email.policy.SMTP)
    if settings.email:
        msg["From"] = formataddr((settings.sender_name, settings.email))
    msg["To"] = formataddr((info.organisation, info.organisation_email.strip()))
    msg["Subject"] = _("Besluit op uw aanvraag erkenning sociaal ondernemer, kenmerk {kenmerk}").format(
        kenmerk=info.kenmerk)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(settings.email.split("@")[-1] if "@" in settings.email else None))
    msg["X-Unsent"] = "1"  # Outlook opens the file as a draft that can be sent
    greeting = _("Geachte {name},").format(name=contact) if contact.strip() else _("Geachte heer, mevrouw,")
    body = "\n\n".join([
        greeting,
        _("Bijgaand ontvangt u het besluit van de {sender} op uw aanvraag om erkenning als sociaal "
          "ondernemer (kenmerk {kenmerk}).").format(sender=settings.sender_name, kenmerk=info.kenmerk),
        _("Met vriendelijke groet,") + "\n" + settings.sender_name,
    ])
    msg.set_content(body + "\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=kenmerk_file_name(info.kenmerk))
    return msg.as_bytes()
