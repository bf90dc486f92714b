"""The secretary imports the return packages of members (docs/offline-review-design.md, step 4).

``prepare_import`` opens each file with the commission's key and checks it (signature against the member's
*registered* key, this database, the meeting, a known package, not revoked, not expired, not imported
before, not older than one imported); a refused file is reported with its Dutch reason and writes nothing.
For every other file it plans the merge (``review_import_plan``): what happens to each returned
assessment, declaration and note, and which items changed on both sides (a conflict for the secretary).
``apply_import`` then writes the files that are ready, with the secretary's choice for every conflict, in
one unit of work, after checking that the database did not change since the plan was made.

A laptop's returns are cumulative: each holds everything changed since the package, with the package's
versions as base. So that a member's second return does not conflict with their own first one, an import
keeps in ``ReviewReturn.summary["versions"]`` the version each row had once it held the laptop's side; a
later return of the same package and member takes that as its base. A return carries only the Ed25519 part
of the laptop's key, so a member without a registered key is told the fingerprint of that part and how the
key line ends (``signer_fingerprint``, ``key_tail``), to compare before registering the key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from commissie_app.db.models import ReviewPackage, ReviewReturn, User
from commissie_app.domain.errors import DomainError, StaleEditError
from commissie_app.domain.permissions import Action
from commissie_app.domain.review_crypto import PackageRefused, PublicKey, Refusal, open_sealed, sha256_hex
from commissie_app.domain.review_format import Manifest, ReturnContent, read_return
from commissie_app.i18n import _, ngettext
from commissie_app.services.access import require
from commissie_app.services.changes import Changes
from commissie_app.services.context import ServiceContext
from commissie_app.services.review_import_plan import (
    ASSESSMENT,
    DATABASE,
    NOTE,
    PACKAGE,
    Outcome,
    PlanItem,
    Planner,
    write_item,
)
from commissie_app.services.review_keys import commission_identity
from commissie_app.services.uow import UnitOfWork

MAX_RETURN_BYTES = 64 * 1024 * 1024  # a return holds answers and notes only: a bigger file is not read

READY, ALREADY_IMPORTED, REFUSED = "ready", "already", "refused"


@dataclass(frozen=True)
class FilePlan:
    """One return file: refused (``refusal``), or what importing it will do (``items``)."""

    path: Path
    refusal: PackageRefused | None = None
    sha256: str = ""
    manifest: Manifest | None = None
    content: ReturnContent | None = None
    member_name: str = ""
    member_id: uuid.UUID | None = None
    items: tuple[PlanItem, ...] = ()
    signer: bytes | None = None
    order: int = 0  # the place in which it is planned and applied (a member's returns in sequence order)

    @property
    def status(self) -> str:
        if self.refusal is None:
            return READY
        return ALREADY_IMPORTED if self.refusal.reason is Refusal.ALREADY_IMPORTED else REFUSED

    @property
    def message(self) -> str:
        return str(self.refusal) if self.refusal is not None else ""

    @property
    def conflicts(self) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.items if i.outcome is Outcome.CONFLICT)

    @property
    def package_id(self) -> uuid.UUID | None:
        return self.manifest.package_id if self.manifest else None


@dataclass(frozen=True)
class ImportPlan:
    files: tuple[FilePlan, ...]
    today: dt.date = dt.date.min  # the day the plan was made (an expiry is judged by it)

    @property
    def ready(self) -> tuple[FilePlan, ...]:
        """The files to import, in the order they are applied."""
        return tuple(sorted((f for f in self.files if f.status == READY), key=lambda f: f.order))

    @property
    def conflicts(self) -> tuple[PlanItem, ...]:
        return tuple(i for f in self.ready for i in f.conflicts)

    def only(self, paths: Iterable[Path]) -> ImportPlan:
        """The plan of these files only (the others are left out, e.g. files with a conflict not chosen)."""
        keep = {Path(p) for p in paths}
        return replace(self, files=tuple(f for f in self.files if f.path in keep))


@dataclass(frozen=True)
class FileReport:
    path: Path
    member_name: str
    package_id: uuid.UUID
    counts: dict[str, int]  # Outcome value -> number of items
    skipped: tuple[str, ...]  # "title: reason" of the items not written
    written: tuple[str, ...] = ()  # "kind:subject id" of the rows written


@dataclass(frozen=True)
class ImportReport:
    files: tuple[FileReport, ...] = field(default=())
    changes: Changes = field(default_factory=Changes)  # what the import changed, for the views to refresh

    def text(self) -> str:
        return "\n".join(summary_line(f.member_name, f.counts) for f in self.files)


def summary_line(member: str, counts: Mapping[str, int]) -> str:
    parts = [f"{Outcome(k).label}: {n}" for k, n in counts.items() if n]
    return _("{member}: {parts}").format(member=member, parts=", ".join(parts) or _("niets te doen"))


# --- preparing -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Opened:
    index: int
    path: Path
    blob: bytes
    signer: bytes | None
    manifest: Manifest
    content: ReturnContent


def prepare_import(ctx: ServiceContext, paths: list[Path], *, meeting_id: uuid.UUID | None = None,
                   today: dt.date | None = None) -> ImportPlan:
    """Open and check every file and plan its merge; nothing is written. A member's returns in one batch
    are planned in sequence order, each on top of what the one before leaves."""
    require(ctx, Action.REVIEW_PACKAGES)
    today = today or ctx.today()
    rules = ctx.rules  # before the unit of work: a first use may adopt the shipped rules
    identity = commission_identity(ctx)
    results: dict[int, FilePlan] = {}
    opened: list[_Opened] = []
    for index, path in enumerate(map(Path, paths)):
        try:
            blob = _read(path)
            sealed = open_sealed(blob, identity=identity.keys)
            manifest, content = read_return(sealed.entries)
            opened.append(_Opened(index, path, blob, sealed.signer, manifest, content))
        except PackageRefused as err:
            results[index] = FilePlan(path, err)
    opened.sort(key=lambda o: (str(o.manifest.package_id), str(o.content.user_id), o.content.sequence, o.index))
    with UnitOfWork(ctx) as uow:
        batch = _Batch(uow.session, Planner(uow.session, rules, today), identity.database_id, meeting_id, today)
        for order, o in enumerate(opened):
            try:
                results[o.index] = replace(batch.plan(o), order=order)
            except PackageRefused as err:
                results[o.index] = FilePlan(o.path, err, sha256_hex(o.blob), o.manifest, o.content)
    return ImportPlan(tuple(results[i] for i in sorted(results)), today)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_RETURN_BYTES:
            raise PackageRefused(Refusal.NOT_A_PACKAGE, _("Het bestand is te groot voor een retourpakket."))
        return path.read_bytes()
    except OSError as err:
        raise PackageRefused(Refusal.NOT_A_PACKAGE, _("Het bestand {file} kan niet worden gelezen ({reason}).")
                             .format(file=path.name, reason=err.strerror or err)) from None


class _Batch:
    """The files of one ``prepare_import``: each checked and planned after the ones before it."""

    def __init__(self, session, planner: Planner, database_id: uuid.UUID, meeting_id, today: dt.date):
        self.session, self.planner, self.database_id = session, planner, database_id
        self.meeting_id, self.today = meeting_id, today
        self.sequences: dict[tuple, int] = {}  # (package, user) -> highest sequence planned in this batch
        self.files: set[str] = set()  # sha256 and return ids planned in this batch
        self.versions: dict[tuple, dict[str, int]] = {}  # (package, user) -> versions the returns leave

    def plan(self, o: _Opened) -> FilePlan:
        sha = sha256_hex(o.blob)
        package, user = check_return(self.session, o.signer, o.manifest, o.content, database_id=self.database_id,
                                     meeting_id=self.meeting_id, today=self.today, sha=sha)
        pair = (package.id, user.id)
        if sha in self.files or str(o.content.return_id) in self.files:
            raise PackageRefused(Refusal.ALREADY_IMPORTED)
        if o.content.sequence <= self.sequences.get(pair, 0):
            raise PackageRefused(Refusal.OLDER_THAN_IMPORTED)
        versions = self.versions.setdefault(pair, imported_versions(self.session, package.id, user.id))
        ids = dict(return_id=o.content.return_id, meeting_id=package.meeting_id)
        items = [self.planner.assessment(a, user_id=user.id, **ids,
                                         base=versions.get(f"{ASSESSMENT}:{a.application_id}", a.base_version))
                 for a in o.content.assessments]
        items += [self.planner.note(n, user_id=user.id, **ids,
                                    base=versions.get(f"{NOTE}:{n.application_id}", n.base_version))
                  for n in o.content.notes]
        items += [self.planner.declaration(d, member_id=user.member_id, **ids) for d in o.content.declarations]
        versions.update(left_versions(items))
        self.sequences[pair] = o.content.sequence
        self.files.update({sha, str(o.content.return_id)})
        return FilePlan(o.path, None, sha, o.manifest, o.content, user.name, user.member_id, tuple(items), o.signer)


def left_versions(items: Iterable[PlanItem]) -> dict[str, int]:
    """The versions of the rows that hold the laptop's side after these items: the base of the member's
    next return from the same package (the laptop does not know the versions its earlier return made)."""
    out = {}
    for item in items:
        if item.outcome.writes:
            out[f"{item.kind}:{item.subject_id}"] = (item.expected_version or 0) + 1
        elif item.outcome is Outcome.UNCHANGED and item.expected_version is not None:
            out[f"{item.kind}:{item.subject_id}"] = item.expected_version
    return out


def imported_versions(session, package_id: uuid.UUID, user_id: uuid.UUID) -> dict[str, int]:
    versions: dict[str, int] = {}
    for summary in session.scalars(select(ReviewReturn.summary).where(
            ReviewReturn.package_id == package_id, ReviewReturn.user_id == user_id).order_by(ReviewReturn.sequence)):
        versions.update({k: v for k, v in (summary or {}).get("versions", {}).items() if isinstance(v, int)})
    return versions


def check_return(session, signer: bytes | None, manifest: Manifest, content: ReturnContent, *,
                 database_id: uuid.UUID, meeting_id: uuid.UUID | None, today: dt.date,
                 sha: str) -> tuple[ReviewPackage, User]:
    """The checks of a return, in this order; the first that fails refuses it (PackageRefused)."""
    if signer is None:
        raise PackageRefused(Refusal.UNSIGNED)
    if manifest.database_id != database_id:
        raise PackageRefused(Refusal.OTHER_DATABASE)
    package = session.get(ReviewPackage, manifest.package_id)
    if package is None:
        raise PackageRefused(Refusal.UNKNOWN_PACKAGE)
    if (meeting_id is not None and meeting_id != package.meeting_id) or manifest.meeting_id != package.meeting_id:
        raise PackageRefused(Refusal.OTHER_MEETING)
    user = session.get(User, content.user_id)
    if user is None or str(content.user_id) not in package.user_ids:
        raise PackageRefused(Refusal.WRONG_SIGNER, _("Het pakket is niet gemaakt voor de gebruiker die het "
                                                     "retourpakket noemt."))
    if not user.review_key:
        raise PackageRefused(Refusal.UNKNOWN_SIGNER, _unknown_signer_text(user.name, signer, content.signer_key))
    registered = PublicKey.parse(user.review_key).verify_key
    if registered != signer:
        raise PackageRefused(Refusal.WRONG_SIGNER, _(
            "Ondertekend met de handtekeningsleutel met vingerafdruk {fingerprint}; voor {name} is de sleutel met "
            "vingerafdruk {registered} geregistreerd.").format(
                fingerprint=signer_fingerprint(signer), name=user.name, registered=signer_fingerprint(registered)))
    if package.revoked_at is not None:
        raise PackageRefused(Refusal.REVOKED, package.revoke_reason)
    if today > package.expires_on:
        raise PackageRefused(Refusal.EXPIRED)
    if session.scalar(select(ReviewReturn.id).where(or_(ReviewReturn.sha256 == sha,
                                                        ReviewReturn.id == content.return_id))):
        raise PackageRefused(Refusal.ALREADY_IMPORTED)
    highest = session.scalar(select(func.max(ReviewReturn.sequence)).where(
        ReviewReturn.package_id == package.id, ReviewReturn.user_id == user.id))
    if highest is not None and content.sequence <= highest:
        raise PackageRefused(Refusal.OLDER_THAN_IMPORTED)
    return package, user


def _unknown_signer_text(name: str, signer: bytes, key_line: str) -> str:
    """What the secretary needs to register the key of a first contact: the fingerprint the member's laptop shows
    under "Mijn sleutel" and the key line itself, when the return carries the line of the key that signed it."""
    try:
        key = PublicKey.parse(key_line) if key_line else None
    except DomainError:
        key = None
    if key is not None and key.verify_key == signer:
        return _("Het retourpakket van {name} is ondertekend met de sleutel met vingerafdruk {fingerprint}. "
                 "Vergelijk die vingerafdruk met het lid (bijvoorbeeld per telefoon: Beoordelen › Mijn sleutel op de "
                 "laptop), registreer daarna deze sleutel (Bestand › Gebruikers en rollen, of: commissie-app review "
                 "key register) en lees het retourpakket opnieuw in. De sleutel:\n{line}").format(
            name=name, fingerprint=key.fingerprint(), line=key.text())
    return _("Het retourpakket van {name} is ondertekend met de handtekeningsleutel met vingerafdruk {fingerprint}; "
             "de sleutelregel van die laptop eindigt op ‘:{tail}’. Vergelijk dat met het lid (bijvoorbeeld per "
             "telefoon: Beoordelen › Mijn sleutel op de laptop), registreer daarna de sleutel van het lid (Bestand › "
             "Gebruikers en rollen, of: commissie-app review key register) en lees het retourpakket opnieuw in."
             ).format(name=name, fingerprint=signer_fingerprint(signer), tail=key_tail(signer))


def signer_fingerprint(verify_key: bytes) -> str:
    """Sixteen hex digits of the Ed25519 key that signed a return (a return carries only that part of the
    laptop's key), in groups of four."""
    digest = sha256_hex(verify_key)[:16].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


def key_tail(verify_key: bytes) -> str:
    """The last part of a key line (``PublicKey.text()``): the Ed25519 key as the laptop shows it."""
    return PublicKey("", verify_key).text().rsplit(":", 1)[1]


# --- applying --------------------------------------------------------------------------------------

def apply_import(ctx: ServiceContext, plan: ImportPlan, choices: Mapping[tuple, str] | None = None) -> ImportReport:
    """Write the files of the plan that are ready, with the secretary's choice (DATABASE or PACKAGE) for every
    conflict, in one unit of work. The database must still hold what the plan saw (else StaleEditError and
    nothing is written)."""
    require(ctx, Action.REVIEW_PACKAGES)
    choices = dict(choices or {})
    open_conflicts = [c for c in plan.conflicts if choices.get(c.key) not in (DATABASE, PACKAGE)]
    if open_conflicts:
        raise DomainError(ngettext(
            "Kies eerst bij {n} conflict wat blijft: de database of het pakket; er is niets ingelezen.",
            "Kies eerst bij {n} conflicten wat blijft: de database of het pakket; er is niets ingelezen.",
            len(open_conflicts)).format(n=len(open_conflicts)))
    identity = commission_identity(ctx)
    reports = []
    try:
        with UnitOfWork(ctx) as uow:
            uow.action = "review_import"
            extra: dict[tuple, int] = {}  # conflicts taken from the package: rows written beyond the plan
            for f in plan.ready:
                reports.append(_apply_file(ctx, uow, plan, f, choices, extra, identity.database_id))
            uow.commit()  # a changed assessment or note marks its application changed (audit's part_of)
            changes = uow.changes
    except IntegrityError as err:  # the same return imported at this moment by someone else
        raise StaleEditError("review_return") from err
    return ImportReport(tuple(reports), changes)


def _apply_file(ctx, uow, plan: ImportPlan, f: FilePlan, choices, extra: dict, database_id) -> FileReport:
    session = uow.session
    try:
        package, user = check_return(session, f.signer, f.manifest, f.content, database_id=database_id,
                                     meeting_id=None, today=plan.today, sha=f.sha256)
    except PackageRefused as err:  # revoked, imported or replaced by a newer one since the plan was made
        raise StaleEditError("review_package") from err
    counts = {o.value: 0 for o in Outcome}
    skipped, written, versions = [], [], {}
    for item in f.items:
        name = (item.kind, item.subject_id)
        expected = None if item.expected_version is None else item.expected_version + extra.get(name, 0)
        choice = choices.get(item.key)
        version = write_item(session, item, user_id=user.id, user_name=user.name, member_id=user.member_id,
                             expected=expected, choice=choice)
        outcome = item.outcome
        if outcome is Outcome.CONFLICT:
            outcome = Outcome.UPDATED if choice == PACKAGE else Outcome.UNCHANGED
            extra[name] = extra.get(name, 0) + (choice == PACKAGE)
        counts[outcome.value] += 1
        if version is not None:
            versions[f"{item.kind}:{item.subject_id}"] = version
            written.append(f"{item.kind}:{item.subject_id}")
        elif item.outcome is Outcome.UNCHANGED and expected is not None:
            versions[f"{item.kind}:{item.subject_id}"] = expected
        if item.outcome in (Outcome.SKIPPED, Outcome.ALREADY):
            skipped.append(f"{item.title}: {item.detail}")
    counts = {k: n for k, n in counts.items() if n}
    c = f.content
    session.add(ReviewReturn(id=c.return_id, package_id=package.id, user_id=user.id, sequence=c.sequence,
                             sha256=f.sha256, made_at=c.made_at, imported_by=ctx.actor.name,
                             summary={"member": user.name, "package": str(package.id), "counts": counts,
                                      "skipped": skipped, "versions": versions}))
    session.flush()
    uow.record_event("review_import", "review_package", package.id, {
        "member": user.name, "return": str(c.return_id), "sequence": c.sequence, "counts": counts,
        "written": written})
    return FileReport(f.path, user.name, package.id, counts, tuple(skipped), tuple(written))
