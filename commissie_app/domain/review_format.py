"""What a review package and a return package hold (docs/offline-review-design.md), read strictly.

A package (``.kippakket``) holds ``manifest.json``, ``data.json`` (the agenda, the applications with their
organisation data and evidence, the form versions, the member's own earlier work) and
``attachments/<attachment id>`` (the files as stored). A return (``.kipretour``) holds ``manifest.json``
(the package's, with ``kind`` "retourpakket" and only the returning member) and ``return.json`` (what the
member did). domain/review_crypto.py seals and opens both; this module only builds and reads entries.

Anyone who knows a public key can make a file that decrypts, so every value read here is checked; a
problem is ``PackageRefused(DAMAGED)``, never a KeyError deep in a service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from commissie_app.domain.review_crypto import PackageRefused, Refusal

PACKAGE_SUFFIX = ".kippakket"
RETURN_SUFFIX = ".kipretour"
KIND_PACKAGE = "beoordelingspakket"
KIND_RETURN = "retourpakket"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
RETURN = "return.json"
ATTACHMENTS = "attachments/"
DRAFT, FINAL = "draft", "final"


def _bad(detail: str = "") -> PackageRefused:
    return PackageRefused(Refusal.DAMAGED, detail)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise _bad() from None


def _opt_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else _uuid(value)


def _str(value: Any, limit: int = 1_000_000) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise _bad()
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad()
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _datetime(value: Any) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(_str(value, 64))
    except ValueError:
        raise _bad() from None
    if parsed.tzinfo is None:
        raise _bad()
    return parsed


def _date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_str(value, 16))
    except ValueError:
        raise _bad() from None


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise _bad()
    return value


def _dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise _bad()
    return value


def _json(raw: bytes | None) -> dict:
    if raw is None:
        raise _bad()
    try:
        return _dict(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _bad() from None


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


@dataclass(frozen=True)
class PackageMember:
    user_id: uuid.UUID
    member_id: uuid.UUID | None
    name: str


@dataclass(frozen=True)
class Manifest:
    kind: str  # KIND_PACKAGE or KIND_RETURN
    package_id: uuid.UUID
    database_id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_label: str  # e.g. "vergadering van 12 maart 2027", to show before anything is read
    created_at: dt.datetime
    created_by: str
    expires_on: dt.date
    members: tuple[PackageMember, ...]
    commission_key: str  # review_crypto.PublicKey text: packages are signed by it, returns encrypted to it
    format_version: int = FORMAT_VERSION

    def is_expired(self, today: dt.date) -> bool:
        return today > self.expires_on

    def member(self, user_id: uuid.UUID) -> PackageMember | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def to_json(self) -> dict:
        return {
            "format": "commissie-app", "format_version": self.format_version, "kind": self.kind,
            "package_id": str(self.package_id), "database_id": str(self.database_id),
            "meeting_id": str(self.meeting_id), "meeting_label": self.meeting_label,
            "created_at": self.created_at.isoformat(), "created_by": self.created_by,
            "expires_on": self.expires_on.isoformat(), "commission_key": self.commission_key,
            "members": [{"user_id": str(m.user_id), "member_id": str(m.member_id) if m.member_id else None,
                         "name": m.name} for m in self.members],
        }

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        if data.get("format") != "commissie-app":
            raise PackageRefused(Refusal.NOT_A_PACKAGE)
        version = _int(data.get("format_version"))
        if version > FORMAT_VERSION:
            raise PackageRefused(Refusal.NEWER_FORMAT)
        kind = data.get("kind")
        if kind not in (KIND_PACKAGE, KIND_RETURN):
            raise _bad()
        members = tuple(PackageMember(_uuid(m.get("user_id")), _opt_uuid(m.get("member_id")), _str(m.get("name"), 200))
                        for m in map(_dict, _list(data.get("members"))))
        if not members:
            raise _bad()
        return cls(kind, _uuid(data.get("package_id")), _uuid(data.get("database_id")),
                   _uuid(data.get("meeting_id")), _str(data.get("meeting_label"), 300),
                   _datetime(data.get("created_at")), _str(data.get("created_by"), 200),
                   _date(data.get("expires_on")), members, _str(data.get("commission_key"), 500), version)


def read_manifest(entries: dict[str, bytes], kind: str) -> Manifest:
    manifest = Manifest.from_json(_json(entries.get(MANIFEST)))
    if manifest.kind != kind:
        raise PackageRefused(Refusal.WRONG_KIND)
    return manifest


# --- the package out ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PackageContent:
    """An opened package: the manifest, ``data`` (the dict described in docs/offline-review-design.md)
    and the attachments' bytes by attachment id (text), each checked against its listed SHA-256."""

    manifest: Manifest
    data: dict
    attachments: dict[str, bytes]


DATA_KEYS = ("meeting", "items", "applications", "forms", "assessments", "conflicts", "notes", "rules")


def package_entries(manifest: Manifest, data: dict, attachments: dict[str, bytes]) -> dict[str, bytes]:
    if manifest.kind != KIND_PACKAGE or set(data) != set(DATA_KEYS):
        raise ValueError("a package needs a package manifest and exactly the data keys")
    entries = {MANIFEST: _dump(manifest.to_json()), DATA: _dump(data)}
    for att_id, blob in attachments.items():
        entries[ATTACHMENTS + str(_uuid(att_id))] = blob
    return entries


def read_package(entries: dict[str, bytes]) -> PackageContent:
    manifest = read_manifest(entries, KIND_PACKAGE)
    data = _json(entries.get(DATA))
    if set(data) != set(DATA_KEYS):
        raise _bad()
    for key in DATA_KEYS:
        if key not in ("meeting", "rules"):
            for row in _list(data[key]):
                _dict(row)
    _dict(data["meeting"])
    _dict(data["rules"])
    listed: dict[str, dict] = {}
    for app in data["applications"]:
        _dict(app.get("organisation"))
        for row in map(_dict, _list(app.get("evidence"))):
            _str(row.get("criterion"), 50)
        for meta in map(_dict, _list(app.get("attachments"))):
            listed[str(_uuid(meta.get("id")))] = meta
    attachments: dict[str, bytes] = {}
    for name, blob in entries.items():
        if name in (MANIFEST, DATA):
            continue
        if not name.startswith(ATTACHMENTS):
            raise _bad()
        att_id = str(_uuid(name[len(ATTACHMENTS):]))
        meta = listed.get(att_id)
        if meta is None or meta.get("sha256") != hashlib.sha256(blob).hexdigest() or meta.get("size") != len(blob):
            raise _bad()
        attachments[att_id] = blob
    if set(attachments) != set(listed):
        raise _bad()
    return PackageContent(manifest, data, attachments)


# --- the return --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReturnedAssessment:
    """The member's assessment of one application as it was on the laptop. ``base_version`` is the version
    of the database's assessment the package carried (None: there was none, the laptop began it), so the
    import can tell whether the database changed it since. The advice is worked out again on import."""

    application_id: uuid.UUID
    form_id: uuid.UUID
    base_version: int | None
    answers: dict
    state: str  # DRAFT or FINAL
    edited_at: dt.datetime


@dataclass(frozen=True)
class ReturnedDeclaration:
    """A conflict of interest the member declared on an agenda item (with an application) before the meeting."""

    agenda_item_id: uuid.UUID
    reason: str
    declared_at: dt.datetime


@dataclass(frozen=True)
class ReturnedNote:
    application_id: uuid.UUID
    text: str
    base_version: int | None
    edited_at: dt.datetime


@dataclass(frozen=True)
class ReturnContent:
    return_id: uuid.UUID  # new for every return made
    sequence: int  # 1, 2, ... per package and member on the laptop: a later return has a higher number
    made_at: dt.datetime
    user_id: uuid.UUID
    assessments: tuple[ReturnedAssessment, ...] = field(default=())
    declarations: tuple[ReturnedDeclaration, ...] = field(default=())
    notes: tuple[ReturnedNote, ...] = field(default=())
    # the laptop's whole public key line (PublicKey.text()): the import checks that it is the key that signed,
    # and shows its fingerprint as the laptop's "Mijn sleutel" does (a first contact registers it from there)
    signer_key: str = ""

    def to_json(self) -> dict:
        return {"signer_key": self.signer_key,
            "return_id": str(self.return_id), "sequence": self.sequence, "made_at": self.made_at.isoformat(),
            "user_id": str(self.user_id),
            "assessments": [{"application_id": str(a.application_id), "form_id": str(a.form_id),
                             "base_version": a.base_version, "answers": a.answers, "state": a.state,
                             "edited_at": a.edited_at.isoformat()} for a in self.assessments],
            "declarations": [{"agenda_item_id": str(d.agenda_item_id), "reason": d.reason,
                              "declared_at": d.declared_at.isoformat()} for d in self.declarations],
            "notes": [{"application_id": str(n.application_id), "text": n.text, "base_version": n.base_version,
                       "edited_at": n.edited_at.isoformat()} for n in self.notes],
        }

    @classmethod
    def from_json(cls, data: dict) -> ReturnContent:
        assessments = []
        for a in map(_dict, _list(data.get("assessments"))):
            if a.get("state") not in (DRAFT, FINAL):
                raise _bad()
            assessments.append(ReturnedAssessment(_uuid(a.get("application_id")), _uuid(a.get("form_id")),
                                                  _opt_int(a.get("base_version")), _dict(a.get("answers")),
                                                  a["state"], _datetime(a.get("edited_at"))))
        declarations = [ReturnedDeclaration(_uuid(d.get("agenda_item_id")), _str(d.get("reason"), 10_000),
                                            _datetime(d.get("declared_at")))
                        for d in map(_dict, _list(data.get("declarations")))]
        notes = [ReturnedNote(_uuid(n.get("application_id")), _str(n.get("text"), 100_000),
                              _opt_int(n.get("base_version")), _datetime(n.get("edited_at")))
                 for n in map(_dict, _list(data.get("notes")))]
        sequence = _int(data.get("sequence"))
        if sequence < 1:
            raise _bad()
        return cls(_uuid(data.get("return_id")), sequence, _datetime(data.get("made_at")),
                   _uuid(data.get("user_id")), tuple(assessments), tuple(declarations), tuple(notes),
                   _str(data.get("signer_key", ""), 500))


def return_entries(manifest: Manifest, content: ReturnContent) -> dict[str, bytes]:
    if manifest.kind != KIND_RETURN or [m.user_id for m in manifest.members] != [content.user_id]:
        raise ValueError("a return names exactly the member who made it")
    return {MANIFEST: _dump(manifest.to_json()), RETURN: _dump(content.to_json())}


def read_return(entries: dict[str, bytes]) -> tuple[Manifest, ReturnContent]:
    manifest = read_manifest(entries, KIND_RETURN)
    if set(entries) != {MANIFEST, RETURN}:
        raise _bad()
    content = ReturnContent.from_json(_json(entries.get(RETURN)))
    if [m.user_id for m in manifest.members] != [content.user_id]:
        raise _bad()
    return manifest, content
