"""The secretary's side of review packages going out (docs/offline-review-design.md): making a package for
a meeting and one or more members, the list of packages made, and revoking one (a lost laptop).

A package holds exactly what the member needs to prepare the meeting: the agenda, the applications on it
(organisation data, evidence and attachments, no internal notes of the secretary), the adopted form
versions needed, the recipients' own assessments, declarations and notes, and, only when the commission's
rules allow it, other members' *final* assessments. It is signed with the commission's key and encrypted
to the recipients' registered laptop keys (or, for a first contact, to a passphrase). The file is written
next to its target and moved into place; the database keeps a ``ReviewPackage`` row (who, hash, size,
expiry), never the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from commissie_app.db.models import (
    AgendaItem,
    Application,
    Assessment,
    AssessmentForm,
    Attachment,
    ConflictRecord,
    Meeting,
    MemberNote,
    ReviewPackage,
    ReviewReturn,
    User,
)
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.domain.review_crypto import PublicKey, seal, sha256_hex
from commissie_app.domain.review_format import KIND_PACKAGE, PACKAGE_SUFFIX, Manifest, PackageMember, package_entries
from commissie_app.domain.rules import Rules, rules_to_values
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.assessments import FINAL, MEMBER, default_form_key, ensure_shipped_forms
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import AMSTERDAM
from commissie_app.services.review_keys import commission_identity
from commissie_app.services.uow import UnitOfWork

MIN_PASSPHRASE = 10
Report = Callable[[int, int], None]


def _no_report(done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class ExportResult:
    package_id: uuid.UUID
    path: Path
    size: int
    expires_on: dt.date
    member_names: tuple[str, ...]
    fingerprints: tuple[str, ...] = ()  # of the recipients' keys, in the order of member_names; none with a passphrase


@dataclass(frozen=True)
class PackageInfo:
    id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_label: str
    member_names: tuple[str, ...]
    created_at: dt.datetime
    created_by: str
    expires_on: dt.date
    passphrase: bool
    size: int
    revoked_at: dt.datetime | None
    revoked_by: str
    revoke_reason: str
    returns: int  # return packages imported from it

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def local_day(moment: dt.datetime) -> dt.date:
    """The day (in the Netherlands) of a stored moment."""
    return moment.astimezone(AMSTERDAM).date()


def meeting_label(starts_at: dt.datetime) -> str:
    """"vergadering van 12 maart 2027": how a package names its meeting before anything is read."""
    return _("vergadering van {day}").format(day=format_date_nl(local_day(starts_at)))


def _check_passphrase(passphrase: str | None) -> None:
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError({"passphrase": _(
            "Het wachtwoord is te kort: gebruik ten minste {n} tekens (liefst een zin van een paar woorden)."
        ).format(n=MIN_PASSPHRASE)})


def _meeting(session, meeting_id: uuid.UUID) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError(_("Deze vergadering bestaat niet (meer)."))
    if meeting.status is MeetingStatus.CLOSED:
        raise DomainError(_("De {label} is gesloten; voor een gesloten vergadering wordt geen beoordelingspakket "
                            "gemaakt.").format(label=meeting_label(meeting.starts_at)))
    return meeting


def _recipients(session, user_ids: list[uuid.UUID], passphrase: bool) -> list[tuple[User, PublicKey | None]]:
    if not user_ids:
        raise ValidationError({"members": _("Kies ten minste één lid voor wie het pakket is.")})
    out = []
    for user_id in dict.fromkeys(user_ids):
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError(_("Deze gebruiker bestaat niet (meer)."))
        if user.member_id is None:
            raise DomainError(_(
                "‘{name}’ is niet gekoppeld aan een lid van de commissie; een beoordelingspakket is voor een lid. "
                "Koppel de gebruiker aan een lid (Bestand › Gebruikers en rollen).").format(name=user.name))
        key = PublicKey.parse(user.review_key) if user.review_key else None
        if key is None and not passphrase:
            raise DomainError(_(
                "Voor ‘{name}’ is nog geen sleutel geregistreerd. Laat het lid de sleutel van de laptop tonen "
                "(Beoordelen › Mijn sleutel, of: commissie-app review key show) en registreer die regel "
                "(Bestand › Gebruikers en rollen › Sleutel registreren…, of: commissie-app review key register "
                "NAAM SLEUTEL); of maak het pakket met een wachtwoord.").format(name=user.name))
        out.append((user, key))
    return out


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _code(value) -> str | None:
    return None if value is None else getattr(value, "value", value)


def _application(app: Application, attachments: list[Attachment]) -> dict:
    org = app.organisation
    return {
        "id": str(app.id), "received_on": app.received_on.isoformat(), "status": _code(app.status),
        "organisation": {
            "name": org.name, "kvk": org.kvk, "legal_form": _code(org.legal_form),
            "municipality": _code(org.municipality), "street": org.street, "postcode": org.postcode,
            "place": org.place, "contact_person": org.contact_person, "email": org.email, "phone": org.phone,
            "website": org.website, "founded_on": _iso(org.founded_on), "mission": org.mission,
            "impact_domains": [_code(d) for d in org.impact_domains or []],
        },
        "evidence": [{"criterion": _code(e.criterion), "reference": e.reference, "valid_until": _iso(e.valid_until)}
                     for e in app.evidence],
        "attachments": [{"id": str(a.id), "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "criterion": _code(a.criterion)} for a in attachments],
    }


def _attachment_bytes(session, attachments: list[Attachment], report: Report) -> dict[str, bytes]:
    """The stored bytes (a deferred column: read here, one by one), each checked against its hash."""
    out = {}
    for n, att in enumerate(attachments, start=1):
        blob = session.scalar(select(Attachment.data).where(Attachment.id == att.id))
        if hashlib.sha256(blob).hexdigest() != att.sha256 or len(blob) != att.size:
            raise DomainError(_("De bijlage ‘{file}’ is beschadigd in de database (de inhoud klopt niet meer met de "
                                "vastgelegde controlesom); er is geen pakket gemaakt.").format(file=att.filename))
        out[str(att.id)] = blob
        report(n, len(attachments) + 1)
    return out


def _package_data(rules: Rules, session, meeting: Meeting, users: list[User],
                  report: Report) -> tuple[dict, dict[str, bytes]]:
    items = list(meeting.items)
    app_ids = [i.application_id for i in items if i.kind is ItemKind.APPLICATION and i.application_id]
    if not app_ids:
        raise DomainError(_("Er staan geen aanvragen op de agenda van de {label}; er is niets om te beoordelen.")
                          .format(label=meeting_label(meeting.starts_at)))
    apps = {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(app_ids)))}
    attachments = session.scalars(select(Attachment).where(Attachment.application_id.in_(app_ids))
                                  .order_by(Attachment.added_at, Attachment.filename)).all()
    by_app: dict[uuid.UUID, list[Attachment]] = {}
    for att in attachments:
        by_app.setdefault(att.application_id, []).append(att)

    user_ids = [u.id for u in users]
    mine = Assessment.assessor_user_id.in_(user_ids)
    shared = mine | (Assessment.state == FINAL) if rules.review_share_assessments else mine
    assessments = session.scalars(select(Assessment).where(
        Assessment.application_id.in_(app_ids), Assessment.kind == MEMBER, shared)
        .order_by(Assessment.application_id, Assessment.assessor)).all()
    default_key = default_form_key()
    current = session.scalars(select(AssessmentForm).where(AssessmentForm.form_key == default_key)
                              .order_by(AssessmentForm.form_version.desc())).first()
    form_ids = {a.form_id for a in assessments} | ({current.id} if current else set())
    forms = session.scalars(select(AssessmentForm).where(AssessmentForm.id.in_(form_ids))
                            .order_by(AssessmentForm.form_key, AssessmentForm.form_version)).all()
    conflicts = session.scalars(select(ConflictRecord).where(
        ConflictRecord.agenda_item_id.in_([i.id for i in items]),
        ConflictRecord.member_id.in_([u.member_id for u in users]))).all()
    notes = session.scalars(select(MemberNote).where(
        MemberNote.application_id.in_(app_ids), MemberNote.user_id.in_(user_ids))).all()

    data = {
        "meeting": {"id": str(meeting.id), "starts_at": meeting.starts_at.isoformat(), "place": meeting.place,
                    "status": _code(meeting.status), "label": meeting_label(meeting.starts_at)},
        "items": [{"id": str(i.id), "position": i.position, "kind": _code(i.kind), "title": i.title,
                   "application_id": str(i.application_id) if i.application_id else None} for i in items],
        "applications": [_application(apps[a], by_app.get(a, [])) for a in dict.fromkeys(app_ids)],
        "forms": [{"id": str(f.id), "form_key": f.form_key, "form_version": f.form_version, "title": f.title,
                   "source": f.source, "current": current is not None and f.id == current.id} for f in forms],
        "assessments": [{"id": str(a.id), "application_id": str(a.application_id), "form_id": str(a.form_id),
                         "user_id": str(a.assessor_user_id) if a.assessor_user_id else None,
                         "assessor": a.assessor, "answers": a.answers or {}, "state": a.state,
                         "advice": _code(a.advice), "advice_reason": a.advice_reason or "", "version": a.version}
                        for a in assessments],
        "conflicts": [{"agenda_item_id": str(c.agenda_item_id), "member_id": str(c.member_id), "reason": c.reason}
                      for c in conflicts],
        "notes": [{"application_id": str(n.application_id), "user_id": str(n.user_id), "text": n.text,
                   "version": n.version} for n in notes],
        "rules": rules_to_values(rules),
    }
    return data, _attachment_bytes(session, list(attachments), report)


def _target(out: Path) -> Path:
    out = Path(out)
    return out if out.suffix.lower() == PACKAGE_SUFFIX else out.with_name(out.name + PACKAGE_SUFFIX)


def _write_private(target: Path, blob: bytes) -> str:
    """Write ``blob`` to a temporary file (mode 0600) next to ``target``; returns its name."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".pakket-", suffix=".part", dir=target.parent)
    except OSError as err:
        raise DomainError(_("Het pakket kan niet in de map {folder} worden geschreven ({reason}).").format(
            folder=target.parent, reason=err.strerror or err)) from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.chmod(tmp, 0o600)
    except OSError as err:
        os.unlink(tmp)
        raise DomainError(_("Het pakket {file} kan niet worden geschreven ({reason}).").format(
            file=target, reason=err.strerror or err)) from err
    return tmp


def export_package(ctx: ServiceContext, meeting_id: uuid.UUID, user_ids: list[uuid.UUID], out: Path, *,
                   passphrase: str | None = None, today: dt.date | None = None,
                   progress: Report | None = None) -> ExportResult:
    """Make the review package of a meeting for ``user_ids`` (members) and write it to ``out`` (the suffix
    .kippakket is added when missing). Encrypted to the users' registered keys, or to ``passphrase``.
    ``progress(done, total)`` is told after each attachment read; an exception it raises (the user
    cancelled) leaves nothing behind."""
    report = progress or _no_report
    require(ctx, Action.REVIEW_PACKAGES)
    _check_passphrase(passphrase)
    today = today or ctx.today()
    rules = ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    ensure_shipped_forms(ctx)
    identity = commission_identity(ctx)
    target = _target(out)
    with UnitOfWork(ctx) as uow:
        session = uow.session
        meeting = _meeting(session, meeting_id)
        recipients = _recipients(session, list(user_ids), passphrase is not None)
        expires_on = local_day(meeting.starts_at) + dt.timedelta(days=rules.review_package_days)
        if today > expires_on:
            raise DomainError(_("Een pakket voor de {label} zou al verlopen zijn (op {day}).").format(
                label=meeting_label(meeting.starts_at), day=format_date_nl(expires_on)))
        users = [u for u, _key in recipients]
        data, attachments = _package_data(rules, session, meeting, users, report)
        package_id = uuid.uuid4()
        manifest = Manifest(KIND_PACKAGE, package_id, identity.database_id, meeting.id, meeting_label(meeting.starts_at),
                            ctx.now(), ctx.actor.name, expires_on,
                            tuple(PackageMember(u.id, u.member_id, u.name) for u in users),
                            identity.public_key.text())
        entries = package_entries(manifest, data, attachments)
        del attachments, data
        if passphrase is not None:
            blob = seal(entries, signer=identity.keys, passphrase=passphrase)
        else:
            blob = seal(entries, signer=identity.keys, recipients=[key for _u, key in recipients])
        del entries
        report(1, 1)
        uow.action = "review_export"
        session.add(ReviewPackage(id=package_id, meeting_id=meeting.id, user_ids=[str(u.id) for u in users],
                                  passphrase=passphrase is not None, sha256=sha256_hex(blob), size=len(blob),
                                  expires_on=expires_on, created_at=manifest.created_at, created_by=ctx.actor.name))
        session.flush()
        tmp = _write_private(target, blob)
        try:
            os.replace(tmp, target)
        except OSError as err:
            os.unlink(tmp)
            raise DomainError(_("Het pakket {file} kan niet worden geschreven ({reason}).").format(
                file=target, reason=err.strerror or err)) from err
        try:
            uow.commit()
        except BaseException:
            target.unlink(missing_ok=True)  # not recorded: no package either
            raise
        return ExportResult(package_id, target, len(blob), expires_on, tuple(u.name for u in users),
                            tuple(key.fingerprint() for _u, key in recipients if key and passphrase is None))


@dataclass(frozen=True)
class Recipient:
    """A user a package can be made for: active and linked to a member; ``fingerprint`` empty without a key."""

    user_id: uuid.UUID
    name: str
    fingerprint: str

    @property
    def has_key(self) -> bool:
        return bool(self.fingerprint)


def key_fingerprints(ctx: ServiceContext) -> dict[uuid.UUID, str]:
    """The fingerprint of every registered laptop key, by user id (users without a key are left out)."""
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(User.id, User.review_key).where(User.review_key != "")).all()
    return {user_id: PublicKey.parse(text).fingerprint() for user_id, text in rows}


def recipients(ctx: ServiceContext) -> list[Recipient]:
    """The active users linked to a member, by name, with their key's fingerprint."""
    keys = key_fingerprints(ctx)
    with UnitOfWork(ctx) as uow:
        rows = uow.session.execute(select(User.id, User.name).where(
            User.member_id.is_not(None), User.active.is_(True)).order_by(User.name)).all()
    return [Recipient(user_id, name, keys.get(user_id, "")) for user_id, name in rows]


def find_user(ctx: ServiceContext, name: str) -> uuid.UUID:
    """A user by name (spaces and capitals do not matter), as the CLI accepts it."""
    wanted = " ".join((name or "").split()).casefold()
    with UnitOfWork(ctx) as uow:
        for user_id, user_name in uow.session.execute(select(User.id, User.name)):
            if user_name.casefold() == wanted:
                return user_id
    raise NotFoundError(_("Er is geen gebruiker ‘{name}’ in deze database (zie Bestand › Gebruikers en rollen).")
                        .format(name=name))


# --- the packages made ---------------------------------------------------------------------------


def list_packages(ctx: ServiceContext, meeting_id: uuid.UUID | None = None) -> list[PackageInfo]:
    """The packages made (of one meeting), newest first."""
    with UnitOfWork(ctx) as uow:
        session = uow.session
        query = select(ReviewPackage, Meeting.starts_at).join(Meeting, Meeting.id == ReviewPackage.meeting_id)
        if meeting_id is not None:
            query = query.where(ReviewPackage.meeting_id == meeting_id)
        rows = session.execute(query.order_by(ReviewPackage.created_at.desc())).all()
        returns = dict(session.execute(select(ReviewReturn.package_id, func.count()).group_by(ReviewReturn.package_id)).all())
        names = dict(session.execute(select(User.id, User.name)).all())
        out = []
        for p, starts_at in rows:
            members = tuple(names.get(uuid.UUID(u), _("(onbekende gebruiker)")) for u in p.user_ids)
            out.append(PackageInfo(p.id, p.meeting_id, meeting_label(starts_at), members, p.created_at, p.created_by,
                                   p.expires_on, p.passphrase, p.size, p.revoked_at, p.revoked_by, p.revoke_reason,
                                   returns.get(p.id, 0)))
        return out


def find_package(ctx: ServiceContext, ref: str) -> uuid.UUID:
    """A package by its number or the beginning of it (at least 4 characters), as the CLI accepts it."""
    ref = ref.strip().lower()
    found = [p.id for p in list_packages(ctx) if str(p.id).startswith(ref)] if len(ref) >= 4 else []
    if not found:
        raise NotFoundError(_("Er is geen pakket met nummer ‘{ref}’ (gebruik het nummer uit ‘commissie-app review "
                              "list’).").format(ref=ref))
    if len(found) > 1:
        raise DomainError(_("Meerdere pakketten beginnen met ‘{ref}’; geef meer tekens van het nummer.").format(ref=ref))
    return found[0]


def revoke_package(ctx: ServiceContext, package_id: uuid.UUID, reason: str) -> PackageInfo:
    """Revoke a package (a lost laptop): a return made from it is refused from now on."""
    require(ctx, Action.REVIEW_PACKAGES)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Vul de reden van het intrekken in (bijvoorbeeld: laptop verloren).")})
    with UnitOfWork(ctx) as uow:
        package = uow.session.get(ReviewPackage, package_id)
        if package is None:
            raise NotFoundError(_("Dit pakket bestaat niet (meer)."))
        if package.revoked_at is not None:
            raise DomainError(_("Dit pakket is al ingetrokken, op {day} door {who}; er is niets veranderd.").format(
                day=format_date_nl(local_day(package.revoked_at)), who=package.revoked_by))
        package.revoked_at, package.revoked_by, package.revoke_reason = ctx.now(), ctx.actor.name, reason
        meeting_id = package.meeting_id
        uow.action = "review_revoke"
        uow.commit()
    return next(p for p in list_packages(ctx, meeting_id) if p.id == package_id)
