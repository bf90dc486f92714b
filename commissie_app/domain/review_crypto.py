"""Encryption and signatures of review packages (docs/offline-review.md), with well-kept libraries only.

* age (the ``pyrage`` binding): authenticated encryption of the whole package file, to the X25519 keys of
  its recipients or, for a first contact, to a passphrase (scrypt). Any changed byte makes decryption fail.
* Ed25519 (``cryptography``): the maker's signature over a digest of every entry of the package, so the
  reader knows who made it. Anyone who knows a public key can encrypt to it; only a signature says who wrote.

A package's plain form is a ZIP archive (stored, not compressed: nothing to inflate beyond its size)
held in memory only; this module seals and opens it. Which signer is acceptable is the caller's decision
(``Opened.signer``): a return must be signed by the member's registered key, a package by the commission's.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

KEY_PREFIX = "kip-sleutel-1"
SIGNATURE_ENTRY = "HANDTEKENING.json"
MAX_ENTRIES = 10_000
MAX_PLAIN_BYTES = 2 * 1024 ** 3  # what a package may hold in all; a bigger one is refused, not read
_AGE_MAGIC = b"age-encryption.org/v1\n"
_ENTRY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,2}$")


class Refusal(str, enum.Enum):
    """Why a package or a return is refused; each has its own Dutch sentence (``refusal_text``)."""

    NOT_A_PACKAGE = "not_a_package"
    DAMAGED = "damaged"  # a changed or missing byte: decryption or the signature fails
    NOT_FOR_THIS_KEY = "not_for_this_key"
    WRONG_PASSPHRASE = "wrong_passphrase"
    NEEDS_PASSPHRASE = "needs_passphrase"
    NEEDS_KEY = "needs_key"
    UNSIGNED = "unsigned"
    WRONG_SIGNER = "wrong_signer"
    UNKNOWN_SIGNER = "unknown_signer"  # the member has no registered key yet
    OTHER_DATABASE = "other_database"
    OTHER_MEETING = "other_meeting"
    UNKNOWN_PACKAGE = "unknown_package"
    REVOKED = "revoked"
    EXPIRED = "expired"
    ALREADY_IMPORTED = "already_imported"
    OLDER_THAN_IMPORTED = "older_than_imported"
    WRONG_KIND = "wrong_kind"  # a package where a return is expected, or the other way round
    NEWER_FORMAT = "newer_format"


def refusal_text(reason: Refusal) -> str:
    return {
        Refusal.NOT_A_PACKAGE: _("Dit bestand is geen beoordelingspakket van Commissie-app."),
        Refusal.DAMAGED: _("Het pakket is beschadigd of gewijzigd na het maken: de versleuteling of de "
                           "handtekening klopt niet. Er is niets ingelezen; vraag om een nieuw pakket."),
        Refusal.NOT_FOR_THIS_KEY: _("Het pakket is niet voor deze sleutel versleuteld (of het is beschadigd): "
                                    "het is voor een andere laptop of een andere commissie gemaakt."),
        Refusal.WRONG_PASSPHRASE: _("Het wachtwoord klopt niet (of het pakket is beschadigd)."),
        Refusal.NEEDS_PASSPHRASE: _("Dit pakket is met een wachtwoord versleuteld; vul het wachtwoord in."),
        Refusal.NEEDS_KEY: _("Dit pakket is versleuteld voor de sleutel van een laptop, niet met een wachtwoord."),
        Refusal.UNSIGNED: _("Het pakket is niet ondertekend. Een beoordelingspakket ondertekent de commissie, een "
                            "retourpakket het lid; zonder handtekening is niet te zien wie het heeft gemaakt."),
        Refusal.WRONG_SIGNER: _("Het pakket is ondertekend met een andere sleutel dan die van de maker die erin "
                                "staat (de commissie of het lid): het kan door iemand anders zijn gemaakt."),
        Refusal.UNKNOWN_SIGNER: _("Voor dit lid is nog geen sleutel geregistreerd, dus de handtekening kan niet "
                                  "worden gecontroleerd."),
        Refusal.OTHER_DATABASE: _("Het pakket is voor een andere database gemaakt dan deze."),
        Refusal.OTHER_MEETING: _("Het pakket is voor een andere vergadering gemaakt."),
        Refusal.UNKNOWN_PACKAGE: _("Dit pakket is in deze database niet gemaakt (onbekend pakketnummer)."),
        Refusal.REVOKED: _("Het pakket is ingetrokken; een retour ervan wordt niet meer ingelezen."),
        Refusal.EXPIRED: _("Het pakket is verlopen."),
        Refusal.ALREADY_IMPORTED: _("Dit retourpakket is al ingelezen; er is niets veranderd."),
        Refusal.OLDER_THAN_IMPORTED: _("Er is al een nieuwer retourpakket van dit lid ingelezen; dit oudere "
                                       "pakket wordt niet ingelezen."),
        Refusal.WRONG_KIND: _("Dit is een ander soort pakket dan hier wordt verwacht (beoordelingspakket of "
                              "retourpakket)."),
        Refusal.NEWER_FORMAT: _("Dit pakket is met een nieuwere versie van Commissie-app gemaakt; werk de app "
                                "bij om het te openen."),
    }[reason]


class PackageRefused(DomainError):
    """A package or return that is not opened or imported; ``reason`` says which check failed and the
    message is the Dutch sentence for it (plus a detail where one helps)."""

    def __init__(self, reason: Refusal, detail: str = ""):
        self.reason = reason
        super().__init__(refusal_text(reason) + (f"\n{detail}" if detail else ""))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class PublicKey:
    """What others may know of a key pair: the age recipient (to encrypt to) and the Ed25519 key
    (to check signatures). Its text form is one line to copy, paste or mail."""

    age_recipient: str
    verify_key: bytes

    def text(self) -> str:
        return f"{KEY_PREFIX}:{self.age_recipient}:{_b64(self.verify_key)}"

    def fingerprint(self) -> str:
        """Sixteen hex digits in groups of four, to compare by phone before a key is registered."""
        digest = hashlib.sha256(self.text().encode("ascii")).hexdigest()[:16].upper()
        return " ".join(digest[i:i + 4] for i in range(0, 16, 4))

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        parts = (text or "").strip().split(":")
        try:
            if len(parts) != 3 or parts[0] != KEY_PREFIX:
                raise ValueError(text)
            pyrage.x25519.Recipient.from_str(parts[1])
            verify = _unb64(parts[2])
            Ed25519PublicKey.from_public_bytes(verify)
        except Exception:
            raise DomainError(_("Dit is geen geldige sleutel. Een sleutel is één regel die begint met "
                                "‘{prefix}:’ (kopieer hem uit ‘Mijn sleutel’ op de laptop van het lid).")
                              .format(prefix=KEY_PREFIX)) from None
        return cls(parts[1], verify)


@dataclass(frozen=True)
class KeyPair:
    """A laptop's or the commission's own keys. ``to_json`` holds the secrets: keep it private."""

    age_identity: str
    signing_key: bytes  # Ed25519 private key, raw 32 bytes

    @classmethod
    def generate(cls) -> KeyPair:
        signing = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        return cls(str(pyrage.x25519.Identity.generate()), signing)

    def public(self) -> PublicKey:
        recipient = str(pyrage.x25519.Identity.from_str(self.age_identity).to_public())
        verify = Ed25519PrivateKey.from_private_bytes(self.signing_key).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return PublicKey(recipient, verify)

    def sign(self, data: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.signing_key).sign(data)

    def to_json(self) -> dict:
        return {"format": KEY_PREFIX, "age_identity": self.age_identity, "signing_key": _b64(self.signing_key)}

    @classmethod
    def from_json(cls, data: dict) -> KeyPair:
        try:
            if data.get("format") != KEY_PREFIX:
                raise ValueError("format")
            pair = cls(str(data["age_identity"]), _unb64(str(data["signing_key"])))
            pair.public()  # both parts parse
            return pair
        except Exception:
            raise DomainError(_("Het sleutelbestand is beschadigd.")) from None


@dataclass(frozen=True)
class Opened:
    """A package after decryption and the signature check: its entries and who signed it (None: unsigned)."""

    entries: dict[str, bytes]
    signer: bytes | None  # the Ed25519 verify key, raw


def _digest(entries: dict[str, bytes]) -> bytes:
    return json.dumps({name: hashlib.sha256(data).hexdigest() for name, data in sorted(entries.items())},
                      sort_keys=True, separators=(",", ":")).encode("ascii")


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            zf.writestr(info, entries[name])
    return buf.getvalue()


def _unzip(plain: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_PLAIN_BYTES:
                raise PackageRefused(Refusal.DAMAGED)
            entries: dict[str, bytes] = {}
            for info in infos:
                if (info.compress_type != zipfile.ZIP_STORED or not _ENTRY_NAME.match(info.filename)
                        or info.filename in entries or ".." in info.filename):
                    raise PackageRefused(Refusal.DAMAGED)
                entries[info.filename] = zf.read(info)
            return entries
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageRefused(Refusal.DAMAGED) from None


def seal(entries: dict[str, bytes], *, signer: KeyPair | None, recipients: list[PublicKey] | None = None,
         passphrase: str | None = None) -> bytes:
    """The encrypted package file: the entries (and, with a signer, its signature) zipped in memory and
    encrypted with age to the recipients' keys, or to a passphrase (exactly one of the two)."""
    if (recipients is None) == (passphrase is None) or (recipients is not None and not recipients):
        raise ValueError("seal needs either recipients or a passphrase")
    if SIGNATURE_ENTRY in entries or any(not _ENTRY_NAME.match(n) for n in entries):
        raise ValueError("bad entry name")
    content = dict(entries)
    if signer is not None:
        digest = _digest(entries)
        content[SIGNATURE_ENTRY] = json.dumps({
            "signer": _b64(signer.public().verify_key), "digest": digest.decode("ascii"),
            "signature": _b64(signer.sign(digest)),
        }).encode("ascii")
    plain = _zip(content)
    if passphrase is not None:
        return pyrage.passphrase.encrypt(plain, passphrase)
    return pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(r.age_recipient) for r in recipients])


def is_passphrase_package(blob: bytes) -> bool:
    """Whether the file is locked with a passphrase (its age header names scrypt) rather than keys."""
    head = blob[:400]
    return head.startswith(_AGE_MAGIC) and b"\n-> scrypt " in head


def open_sealed(blob: bytes, *, identity: KeyPair | None = None, passphrase: str | None = None) -> Opened:
    """Decrypt and check a package file; raises PackageRefused saying why it cannot be opened."""
    if not blob.startswith(_AGE_MAGIC):
        raise PackageRefused(Refusal.NOT_A_PACKAGE)
    locked_by_passphrase = is_passphrase_package(blob)
    try:
        if locked_by_passphrase:
            if passphrase is None:
                raise PackageRefused(Refusal.NEEDS_PASSPHRASE)
            plain = pyrage.passphrase.decrypt(blob, passphrase)
        else:
            if identity is None:
                raise PackageRefused(Refusal.NEEDS_KEY)
            plain = pyrage.decrypt(blob, [pyrage.x25519.Identity.from_str(identity.age_identity)])
    except pyrage.DecryptError as err:
        text = str(err).lower()
        if "no matching keys" in text or "no identity matched" in text:
            raise PackageRefused(Refusal.NOT_FOR_THIS_KEY) from None
        if locked_by_passphrase and text == "decryption failed":  # age's word for a passphrase that does not fit
            raise PackageRefused(Refusal.WRONG_PASSPHRASE) from None
        raise PackageRefused(Refusal.DAMAGED) from None
    except PackageRefused:
        raise
    except Exception:  # anything else the parser of a hostile file may raise
        raise PackageRefused(Refusal.DAMAGED) from None
    entries = _unzip(plain)
    raw_signature = entries.pop(SIGNATURE_ENTRY, None)
    if raw_signature is None:
        return Opened(entries, None)
    try:
        sig = json.loads(raw_signature)
        verify = _unb64(sig["signer"])
        digest = sig["digest"].encode("ascii")
        Ed25519PublicKey.from_public_bytes(verify).verify(_unb64(sig["signature"]), digest)
    except (InvalidSignature, ValueError, KeyError, TypeError, AttributeError, UnicodeError):
        raise PackageRefused(Refusal.DAMAGED) from None
    if digest != _digest(entries):
        raise PackageRefused(Refusal.DAMAGED)
    return Opened(entries, verify)


def sha256_hex(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()
