"""The member's review workspace on a laptop (docs/offline-review-design.md): open a review package, read
it, assess, declare conflicts of interest, keep notes, and make the return package. It never touches the
commission's database.

Everything of the package stays in memory. The member's work is kept in an encrypted working copy
(``services/review_working_copy.py``), written at once after every change and read again when the same
package is opened later, so the work continues where it stopped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.form_advice import advise, answers_to_json, clean_answers
from commissie_app.domain.form_loader import parse_form
from commissie_app.domain.form_model import AdviceOutcome, Form
from commissie_app.domain.review_crypto import (
    KeyPair,
    PackageRefused,
    PublicKey,
    Refusal,
    is_passphrase_package,
    open_sealed,
    seal,
)
from commissie_app.domain.review_format import (
    DRAFT,
    FINAL,
    KIND_RETURN,
    RETURN_SUFFIX,
    Manifest,
    PackageContent,
    PackageMember,
    ReturnContent,
    ReturnedAssessment,
    ReturnedDeclaration,
    ReturnedNote,
    read_package,
    return_entries,
)
from commissie_app.domain.rules import Rules, rules_from_values
from commissie_app.domain.voting import declare_conflict as checked_conflict
from commissie_app.i18n import _, ngettext
from commissie_app.services import review_working_copy as wc
from commissie_app.services.laptop_keys import laptop_keys

WORKING_COPY_FORMAT = 1


class PackageExpired(PackageRefused):
    """An expired package (``Refusal.EXPIRED``); carries what the UI needs to offer deleting it."""

    def __init__(self, manifest: Manifest):
        from commissie_app.domain.dates import format_date_nl

        self.package_id = manifest.package_id
        self.expires_on = manifest.expires_on
        super().__init__(Refusal.EXPIRED, _("Het pakket voor de {label} was geldig tot en met {day}. Vraag de "
                                            "secretaris om een nieuw pakket.").format(
            label=manifest.meeting_label, day=format_date_nl(manifest.expires_on)))


class AppStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    FINAL = "final"
    CONFLICT = "conflict"

    @property
    def label(self) -> str:
        return {AppStatus.NOT_STARTED: _("nog niet begonnen"), AppStatus.DRAFT: _("concept"),
                AppStatus.FINAL: _("definitief"), AppStatus.CONFLICT: _("belangenverstrengeling gemeld")}[self]


@dataclass(frozen=True)
class Progress:
    total: int
    final: int
    draft: int
    not_started: int
    conflict: int

    def text(self) -> str:
        parts = [_("{done} van {total} beoordeeld").format(done=self.final, total=self.total)]
        if self.draft:
            parts.append(ngettext("{n} concept", "{n} concepten", self.draft).format(n=self.draft))
        if self.conflict:
            parts.append(_("{n} met belangenverstrengeling").format(n=self.conflict))
        return ", ".join(parts)


@dataclass(frozen=True)
class AgendaEntry:
    item_id: uuid.UUID
    position: int
    kind: str
    title: str
    application_id: uuid.UUID | None


@dataclass(frozen=True)
class FormVersion:
    id: uuid.UUID
    form_key: str
    version: int
    title: str
    form: Form
    current: bool


@dataclass(frozen=True)
class MyAssessment:
    """The member's assessment of one application as it stands on the laptop."""

    application_id: uuid.UUID
    form: FormVersion
    answers: dict
    state: str
    advice: AdviceOutcome | None
    advice_reason: str
    base_version: int | None  # the version the package carried; None: there was none
    edited_here: bool

    @property
    def is_final(self) -> bool:
        return self.state == FINAL


@dataclass(frozen=True)
class Declaration:
    item_id: uuid.UUID
    reason: str
    made_here: bool  # False: recorded in the database already (in the package), cannot be withdrawn here


@dataclass(frozen=True)
class ReturnMade:
    path: Path
    sequence: int
    assessments: int
    declarations: int
    notes: int


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _opt_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What the laptop reads of each row of data.json (docs/offline-review-design.md), checked before anything is
# shown: a package that does not fit is refused as damaged, never a KeyError deep in the window.
_ROWS = {
    "items": {"id": _is_uuid, "position": _number, "kind": _text, "title": _text,
              "application_id": lambda v: v is None or _is_uuid(v)},
    "applications": {"id": _is_uuid, "organisation": lambda v: isinstance(v, dict) and _text(v.get("name")),
                     "evidence": lambda v: isinstance(v, list), "attachments": lambda v: isinstance(v, list)},
    "forms": {"id": _is_uuid, "form_key": _text, "form_version": _number, "title": _text, "source": _text},
    "assessments": {"application_id": _is_uuid, "form_id": _is_uuid, "user_id": lambda v: v is None or _is_uuid(v),
                    "assessor": _text, "answers": lambda v: isinstance(v, dict), "state": lambda v: v in (DRAFT, FINAL),
                    "version": _number},
    "conflicts": {"agenda_item_id": _is_uuid, "member_id": lambda v: v is None or _is_uuid(v), "reason": _text},
    "notes": {"application_id": _is_uuid, "user_id": lambda v: v is None or _is_uuid(v), "text": _text,
              "version": _number},
}
_ATTACHMENT = {"id": _is_uuid, "filename": _text, "content_type": _opt_text, "size": _number, "criterion": _opt_text}
_EVIDENCE = {"criterion": _text, "reference": _opt_text, "valid_until": _opt_text}


def _check_rows(rows: list, shape: dict) -> None:
    for row in rows:
        if not all(check(row.get(key)) for key, check in shape.items()):
            raise PackageRefused(Refusal.DAMAGED)


def _check_data(data: dict) -> None:
    """The shape of every value the laptop uses, and that the rows refer to each other."""
    for key, shape in _ROWS.items():
        _check_rows(data[key], shape)
    apps = {a["id"] for a in data["applications"]}
    for app in data["applications"]:
        _check_rows(app["attachments"], _ATTACHMENT)
        _check_rows(app["evidence"], _EVIDENCE)
        if not all(_opt_text(v) or (isinstance(v, list) and all(map(_text, v))) for v in app["organisation"].values()):
            raise PackageRefused(Refusal.DAMAGED)
    forms = {f["id"] for f in data["forms"]}
    if any(i["application_id"] not in apps for i in data["items"] if i["application_id"]) \
            or any(a["application_id"] not in apps or a["form_id"] not in forms for a in data["assessments"]):
        raise PackageRefused(Refusal.DAMAGED)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise DomainError(_("Het pakket {path} kan niet worden gelezen ({reason}).").format(
            path=path, reason=err.strerror or err)) from None


def _commission_key(manifest: Manifest) -> PublicKey:
    try:
        return PublicKey.parse(manifest.commission_key)
    except DomainError:
        raise PackageRefused(Refusal.DAMAGED) from None


def _check_signer(manifest: Manifest, signer: bytes | None) -> None:
    """The package must be signed by the commission key it names, and that must be the key this laptop
    pinned for the database on first use."""
    if signer is None:
        raise PackageRefused(Refusal.UNSIGNED, _("Een beoordelingspakket moet door de commissie zijn ondertekend."))
    commission = _commission_key(manifest)
    if commission.verify_key != signer:
        raise PackageRefused(Refusal.WRONG_SIGNER, _("Het pakket is niet ondertekend met de sleutel van de "
                                                     "commissie die erin staat."))
    pinned = wc.pinned_commission_key(manifest.database_id)
    if pinned is not None and PublicKey.parse(pinned) != commission:
        raise PackageRefused(Refusal.WRONG_SIGNER, _(
            "Deze laptop kent voor deze commissie een andere sleutel (vingerafdruk {known}) dan die van dit pakket "
            "({this}). Open het niet en vraag de secretaris of het pakket echt van de commissie komt.").format(
            known=PublicKey.parse(pinned).fingerprint(), this=commission.fingerprint()))


def open_package(path: Path, *, passphrase: str | None = None, today: dt.date | None = None) -> Workspace:
    """Open a review package on this laptop (with its key, or the passphrase of a first-contact package).
    Raises PackageRefused saying why it cannot be opened (PackageExpired for an expired one)."""
    path = Path(path)
    blob = _read(path)
    by_passphrase = is_passphrase_package(blob)
    keys = laptop_keys()
    opened = open_sealed(blob, identity=None if by_passphrase else keys, passphrase=passphrase)
    del blob
    content = read_package(opened.entries)
    _check_signer(content.manifest, opened.signer)
    today = today or dt.date.today()
    if content.manifest.is_expired(today):
        raise PackageExpired(content.manifest)
    if wc.pinned_commission_key(content.manifest.database_id) is None:
        wc.pin_commission_key(content.manifest.database_id, content.manifest.commission_key)
    return Workspace(path, content, keys, today=today, by_passphrase=by_passphrase)


def delete_local(package_path: Path, package_id: uuid.UUID) -> None:
    """Remove the package file and the working copy of it from this laptop."""
    try:
        Path(package_path).unlink(missing_ok=True)
    except OSError as err:
        raise DomainError(_("Het pakket {path} kan niet worden verwijderd ({reason}).").format(
            path=package_path, reason=err.strerror or err)) from None
    wc.delete_working_copy(package_id)


class Workspace:
    """One opened package and the member's work on it. Every change is saved to the working copy at once."""

    def __init__(self, path: Path, content: PackageContent, keys: KeyPair, *, today: dt.date,
                 by_passphrase: bool = False):
        self.path = path
        self.manifest = content.manifest
        self.by_passphrase = by_passphrase
        self.today = today
        self._keys = keys
        self._data = content.data
        self._attachments = content.attachments
        _check_data(content.data)
        try:
            self.rules: Rules = rules_from_values(content.data["rules"], _("het beoordelingspakket"))
        except DomainError:
            raise PackageRefused(Refusal.DAMAGED) from None
        self.items = tuple(sorted(
            (AgendaEntry(uuid.UUID(i["id"]), int(i["position"]), str(i["kind"]), str(i["title"]),
                         uuid.UUID(i["application_id"]) if i.get("application_id") else None)
             for i in content.data["items"]), key=lambda e: e.position))
        self.applications: dict[uuid.UUID, dict] = {uuid.UUID(a["id"]): a for a in content.data["applications"]}
        self.forms: dict[uuid.UUID, FormVersion] = {}
        for f in content.data["forms"]:
            try:
                form = parse_form(f["source"], f"{f['form_key']} versie {f['form_version']}")
            except DomainError:
                raise PackageRefused(Refusal.DAMAGED) from None
            self.forms[uuid.UUID(f["id"])] = FormVersion(uuid.UUID(f["id"]), f["form_key"], f["form_version"],
                                                         f["title"], form, bool(f.get("current")))
        stored = wc.load_working_copy(self.manifest.package_id, keys)
        self._state = stored or {"format": WORKING_COPY_FORMAT, "package_id": str(self.manifest.package_id),
                                 "member": None, "work": {}}
        self.last_return: ReturnMade | None = None
        self.member: PackageMember | None = None
        chosen = self._state.get("member")
        if chosen and self.manifest.member(uuid.UUID(chosen)) is not None:
            self.member = self.manifest.member(uuid.UUID(chosen))
        elif len(self.manifest.members) == 1:
            self.member = self.manifest.members[0]

    # -- who is working

    @property
    def members(self) -> tuple[PackageMember, ...]:
        return self.manifest.members

    def choose_member(self, user_id: uuid.UUID) -> None:
        member = self.manifest.member(user_id)
        if member is None:
            raise DomainError(_("Dit pakket is niet voor deze gebruiker gemaakt."))
        self.member = member
        self._state["member"] = str(user_id)
        self._save()

    def _me(self) -> PackageMember:
        if self.member is None:
            raise DomainError(_("Kies eerst voor welk lid u werkt; dit pakket is voor meerdere leden."))
        return self.member

    def _work(self) -> dict:
        return self._state["work"].setdefault(str(self._me().user_id), {
            "assessments": {}, "declarations": {}, "notes": {}, "sequence": 0, "returned_at": None})

    def _save(self) -> None:
        wc.save_working_copy(self.manifest.package_id, self._state, self._keys)

    # -- reading

    @property
    def meeting(self) -> dict:
        return self._data["meeting"]

    def application(self, app_id: uuid.UUID) -> dict:
        return self.applications[app_id]

    def item_of(self, app_id: uuid.UUID) -> AgendaEntry | None:
        return next((i for i in self.items if i.application_id == app_id), None)

    def attachment_bytes(self, att_id: str) -> bytes:
        return self._attachments[str(att_id)]

    def attachment_choices(self, app_id: uuid.UUID) -> list[tuple[str, str]]:
        """(id, label) of the attachments an evidence answer may point at (as the server offers them)."""
        rows = sorted(self.application(app_id)["attachments"], key=lambda a: a["filename"])
        return [(a["id"], f"{a['filename']} ({a['criterion']})" if a.get("criterion") else a["filename"]) for a in rows]

    def current_form(self) -> FormVersion:
        form = next((f for f in self.forms.values() if f.current), None)
        if form is None:
            raise DomainError(_("Het pakket bevat geen beoordelingsformulier; vraag de secretaris om een nieuw pakket."))
        return form

    def _package_assessment(self, app_id: uuid.UUID) -> dict | None:
        me = str(self._me().user_id)
        return next((a for a in self._data["assessments"]
                     if a["application_id"] == str(app_id) and a.get("user_id") == me), None)

    def other_assessments(self, app_id: uuid.UUID) -> list[dict]:
        """Other members' final assessments the package carries (only when the commission's rules share them)."""
        me = str(self._me().user_id)
        return [a for a in self._data["assessments"]
                if a["application_id"] == str(app_id) and a.get("user_id") != me and a["state"] == FINAL]

    def assessment(self, app_id: uuid.UUID) -> MyAssessment:
        """The member's assessment of ``app_id``: the laptop's work, else the package's, else a new one."""
        base = self._package_assessment(app_id)
        here = self._work()["assessments"].get(str(app_id))
        source = here or base
        if source is None:
            return MyAssessment(app_id, self.current_form(), {}, DRAFT, None, "", None, False)
        form = self.forms.get(uuid.UUID(source["form_id"]))
        if form is None:
            raise PackageRefused(Refusal.DAMAGED)
        advice = next((o for o in AdviceOutcome if o.value == source.get("advice")), None)
        return MyAssessment(app_id, form, dict(source["answers"] or {}), source["state"], advice,
                            source.get("advice_reason") or "", base["version"] if base else None, here is not None)

    def declaration(self, app_id: uuid.UUID) -> Declaration | None:
        item = self.item_of(app_id)
        if item is None:
            return None
        here = self._work()["declarations"].get(str(item.item_id))
        if here is not None:
            return Declaration(item.item_id, here["reason"], True)
        member_id = str(self._me().member_id) if self._me().member_id else None
        recorded = next((c for c in self._data["conflicts"]
                         if c["agenda_item_id"] == str(item.item_id) and c.get("member_id") == member_id), None)
        return Declaration(item.item_id, recorded["reason"], False) if recorded else None

    def note(self, app_id: uuid.UUID) -> str:
        here = self._work()["notes"].get(str(app_id))
        if here is not None:
            return here["text"]
        base = self._package_note(app_id)
        return base["text"] if base else ""

    def _package_note(self, app_id: uuid.UUID) -> dict | None:
        me = str(self._me().user_id)
        return next((n for n in self._data["notes"]
                     if n["application_id"] == str(app_id) and n.get("user_id") == me), None)

    # -- editing

    def save_assessment(self, app_id: uuid.UUID, answers: Mapping[str, Any], *, final: bool = False) -> MyAssessment:
        """Store answers (a draft may be incomplete; ``final`` needs a complete, valid form), with the advice
        that follows from them, exactly as the server's ``assessments.save_answers`` does."""
        if app_id not in self.applications:
            raise DomainError(_("Deze aanvraag staat niet in het pakket."))
        current = self.assessment(app_id)
        if current.is_final:
            raise DomainError(_("Deze beoordeling is definitief en kan niet meer worden gewijzigd."))
        form = current.form.form
        ids = {a["id"] for a in self.application(app_id)["attachments"]}
        clean = clean_answers(form, answers, complete=final, attachment_ids=ids)
        advice = advise(form, clean, self.today, self.rules)
        self._work()["assessments"][str(app_id)] = {
            "form_id": str(current.form.id), "answers": answers_to_json(form, clean),
            "state": FINAL if final else DRAFT, "advice": advice.outcome.value, "advice_reason": advice.reason,
            "edited_at": _now().isoformat()}
        self._save()
        return self.assessment(app_id)

    def declare_conflict(self, app_id: uuid.UUID, reason: str) -> Declaration:
        """Declare (or, when declared on this laptop, change the reason of) a conflict of interest."""
        item = self.item_of(app_id)
        if item is None:
            raise DomainError(_("Belangenverstrengeling wordt gemeld bij een agendapunt met een aanvraag."))
        existing = self.declaration(app_id)
        if existing is not None and not existing.made_here:
            raise DomainError(_("Voor u is al belangenverstrengeling vastgelegd bij dit agendapunt."))
        conflict = checked_conflict(self._me().member_id, reason)
        self._work()["declarations"][str(item.item_id)] = {"reason": conflict.reason, "declared_at": _now().isoformat()}
        self._save()
        return self.declaration(app_id)

    def withdraw_conflict(self, app_id: uuid.UUID) -> None:
        """Withdraw a declaration made on this laptop (one recorded in the database stays)."""
        existing = self.declaration(app_id)
        if existing is None:
            return
        if not existing.made_here:
            raise DomainError(_("Deze melding is al vastgelegd in de database; alleen de secretaris kan haar "
                                "intrekken."))
        del self._work()["declarations"][str(existing.item_id)]
        self._save()

    def save_note(self, app_id: uuid.UUID, text: str) -> None:
        if app_id not in self.applications:
            raise DomainError(_("Deze aanvraag staat niet in het pakket."))
        if len(text) > 100_000:
            raise ValidationError({"note": _("Een notitie is hoogstens 100.000 tekens.")})
        if text == self.note(app_id):
            return
        self._work()["notes"][str(app_id)] = {"text": text, "edited_at": _now().isoformat()}
        self._save()

    # -- progress

    def status(self, app_id: uuid.UUID) -> AppStatus:
        if self.declaration(app_id) is not None:
            return AppStatus.CONFLICT
        a = self.assessment(app_id)
        if a.is_final:
            return AppStatus.FINAL
        if a.answers or a.base_version is not None:
            return AppStatus.DRAFT
        return AppStatus.NOT_STARTED

    def progress(self) -> Progress:
        statuses = [self.status(app_id) for app_id in self.applications]
        return Progress(len(statuses), statuses.count(AppStatus.FINAL), statuses.count(AppStatus.DRAFT),
                        statuses.count(AppStatus.NOT_STARTED), statuses.count(AppStatus.CONFLICT))

    # -- the return

    @property
    def last_sequence(self) -> int:
        return int(self._work()["sequence"]) if self.member else 0

    @property
    def returned_at(self) -> str | None:
        return self._work().get("returned_at") if self.member else None

    def return_content(self, sequence: int) -> ReturnContent:
        """What the member changed or began on this laptop, against what the package carried."""
        work = self._work()
        assessments = []
        for app_id, entry in work["assessments"].items():
            base = self._package_assessment(uuid.UUID(app_id))
            before = (base["answers"] or {}, base["state"]) if base else ({}, DRAFT)
            if (entry["answers"], entry["state"]) == before:
                continue
            assessments.append(ReturnedAssessment(uuid.UUID(app_id), uuid.UUID(entry["form_id"]),
                                                  base["version"] if base else None, entry["answers"],
                                                  entry["state"], dt.datetime.fromisoformat(entry["edited_at"])))
        declarations = [ReturnedDeclaration(uuid.UUID(item_id), d["reason"], dt.datetime.fromisoformat(d["declared_at"]))
                        for item_id, d in work["declarations"].items()]
        notes = []
        for app_id, entry in work["notes"].items():
            base = self._package_note(uuid.UUID(app_id))
            if entry["text"] == (base["text"] if base else ""):
                continue
            notes.append(ReturnedNote(uuid.UUID(app_id), entry["text"], base["version"] if base else None,
                                      dt.datetime.fromisoformat(entry["edited_at"])))
        return ReturnContent(uuid.uuid4(), sequence, _now(), self._me().user_id, tuple(assessments),
                             tuple(declarations), tuple(notes), signer_key=self._keys.public().text())

    def default_return_name(self) -> str:
        name = "".join(c if c.isalnum() else "-" for c in self._me().name).strip("-").lower() or "lid"
        return f"beoordeling-{name}-{str(self.manifest.package_id)[:8]}-{self.last_sequence + 1}{RETURN_SUFFIX}"

    def make_return(self, out: Path) -> Path:
        """Write the return package (signed with this laptop's key, encrypted to the commission's key) and
        return its path (``.kipretour`` added when missing); ``last_return`` says what it holds."""
        me = self._me()
        out = Path(out)
        if out.suffix.lower() != RETURN_SUFFIX:
            out = out.with_name(out.name + RETURN_SUFFIX)
        work = self._work()
        sequence = int(work["sequence"]) + 1
        content = self.return_content(sequence)
        manifest = dataclasses.replace(self.manifest, kind=KIND_RETURN, members=(me,))
        blob = seal(return_entries(manifest, content), signer=self._keys,
                    recipients=[_commission_key(self.manifest)])
        work["sequence"] = sequence  # first: a number never comes back, even when writing the file fails
        self._save()
        try:
            wc.write_atomically(out, blob)
        except OSError as err:
            raise DomainError(_("Het retourpakket {path} kan niet worden geschreven ({reason}).").format(
                path=out, reason=err.strerror or err)) from None
        work["returned_at"] = content.made_at.isoformat()
        self._save()
        self.last_return = ReturnMade(out, sequence, len(content.assessments), len(content.declarations),
                                      len(content.notes))
        return out

    def delete_local(self) -> None:
        delete_local(self.path, self.manifest.package_id)
