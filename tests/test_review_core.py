"""Issue 11: the building blocks of review packages: keys, sealing, the package and return formats."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import uuid

import pytest

from commissie_app.domain.errors import DomainError
from commissie_app.domain.review_crypto import KeyPair, PackageRefused, PublicKey, Refusal, open_sealed, seal
from commissie_app.domain.review_format import (
    KIND_PACKAGE, KIND_RETURN, Manifest, PackageMember, ReturnContent, ReturnedAssessment, package_entries,
    read_package, read_return, return_entries,
)

NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def _manifest(kind=KIND_PACKAGE, user_id=None) -> Manifest:
    return Manifest(kind, uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "vergadering van 12 maart 2027", NOW,
                    "Sara Secretaris", dt.date(2027, 4, 11), (PackageMember(user_id or uuid.uuid4(), None, "Lars Lid"),),
                    KeyPair.generate().public().text())


def _data(att_id: str, blob: bytes) -> dict:
    return {"meeting": {}, "items": [], "forms": [], "assessments": [], "conflicts": [], "notes": [], "rules": {},
            "applications": [{"id": str(uuid.uuid4()), "organisation": {"name": "X"}, "evidence": [],
                              "attachments": [{"id": att_id, "sha256": hashlib.sha256(blob).hexdigest(),
                                               "size": len(blob)}]}]}


def test_public_key_text_round_trip_and_fingerprint():
    """Issue 11: a laptop's public key is one line to copy; parsing it gives the same key; junk is refused in Dutch."""
    pub = KeyPair.generate().public()
    assert PublicKey.parse("  " + pub.text() + "\n") == pub
    assert len(pub.fingerprint()) == 19 and pub.fingerprint().count(" ") == 3
    with pytest.raises(DomainError, match="geen geldige sleutel"):
        PublicKey.parse("age1qqqq")
    with pytest.raises(DomainError, match="geen geldige sleutel"):
        PublicKey.parse(pub.text()[:-3])


def test_sealed_package_opens_only_for_its_recipient_and_names_the_signer():
    """Issue 11: only the recipient's key opens a package; the signer is reported; a flipped byte is refused."""
    alice, bob, commission = KeyPair.generate(), KeyPair.generate(), KeyPair.generate()
    blob = seal({"a.json": b"{}"}, signer=commission, recipients=[alice.public()])
    opened = open_sealed(blob, identity=alice)
    assert opened.entries == {"a.json": b"{}"} and opened.signer == commission.public().verify_key
    with pytest.raises(PackageRefused) as err:
        open_sealed(blob, identity=bob)
    assert err.value.reason is Refusal.NOT_FOR_THIS_KEY
    flipped = bytearray(blob)
    flipped[-10] ^= 1
    with pytest.raises(PackageRefused) as err:
        open_sealed(bytes(flipped), identity=alice)
    assert err.value.reason is Refusal.DAMAGED
    with pytest.raises(PackageRefused) as err:
        open_sealed(b"PK\x03\x04 not age", identity=alice)
    assert err.value.reason is Refusal.NOT_A_PACKAGE
    unsigned = seal({"a.json": b"{}"}, signer=None, recipients=[alice.public()])
    assert open_sealed(unsigned, identity=alice).signer is None


def test_passphrase_package():
    """Issue 11: a first-contact package opens with its passphrase only, and says it needs one."""
    blob = seal({"a.json": b"1"}, signer=None, passphrase="correct horse")
    assert open_sealed(blob, passphrase="correct horse").entries == {"a.json": b"1"}
    for kwargs, reason in (({"passphrase": "wrong"}, Refusal.WRONG_PASSPHRASE),
                           ({"identity": KeyPair.generate()}, Refusal.NEEDS_PASSPHRASE)):
        with pytest.raises(PackageRefused) as err:
            open_sealed(blob, **kwargs)
        assert err.value.reason is reason


def test_package_format_round_trip_checks_attachments():
    """Issue 11: a package's attachments must be the listed ones, byte for byte."""
    att_id, blob = str(uuid.uuid4()), b"%PDF-1.4 bewijs"
    manifest = _manifest()
    content = read_package(package_entries(manifest, _data(att_id, blob), {att_id: blob}))
    assert content.manifest == manifest and content.attachments == {att_id: blob}
    entries = package_entries(manifest, _data(att_id, blob), {att_id: blob})
    entries["attachments/" + att_id] = b"%PDF-1.4 ander bewijs"
    with pytest.raises(PackageRefused) as err:
        read_package(entries)
    assert err.value.reason is Refusal.DAMAGED


def test_return_format_round_trip_and_kind_check():
    """Issue 11: a return holds only the member's work; a package where a return is expected is refused."""
    user = uuid.uuid4()
    manifest = _manifest(KIND_RETURN, user)
    content = ReturnContent(uuid.uuid4(), 2, NOW, user, (
        ReturnedAssessment(uuid.uuid4(), uuid.uuid4(), 3, {"q1": "ja"}, "final", NOW),))
    assert read_return(return_entries(manifest, content)) == (manifest, content)
    att = str(uuid.uuid4())
    with pytest.raises(PackageRefused) as err:
        read_return(package_entries(_manifest(), _data(att, b"x"), {att: b"x"}))
    assert err.value.reason is Refusal.WRONG_KIND


def test_laptop_key_is_made_once_and_private(tmp_path, monkeypatch):
    """Issue 11: the laptop's key pair is made once, kept in the config folder, readable by the user only."""
    monkeypatch.setenv("COMMISSIE_HOME", str(tmp_path))
    from commissie_app.services.laptop_keys import key_path, laptop_keys

    first = laptop_keys()
    assert laptop_keys() == first
    assert stat.S_IMODE(os.stat(key_path()).st_mode) == 0o600


def test_commission_identity_and_member_key(db):
    """Issue 11: the database has one id and one commission key; only the secretary registers a member's key."""
    from tests.conftest import make_ctx
    from commissie_app.domain.codes import Role
    from commissie_app.domain.permissions import PermissionDeniedError
    from commissie_app.services.review_keys import commission_identity, member_key, register_member_key
    from commissie_app.services.users import add_user

    sec = make_ctx(db, "Sara Secretaris", Role.SECRETARY)
    first = commission_identity(sec)
    assert commission_identity(sec) == first
    uid = add_user(sec, "Lars Lid", Role.MEMBER)
    pub = KeyPair.generate().public()
    assert register_member_key(sec, uid, pub.text()).key == pub
    assert member_key(sec, uid).fingerprint == pub.fingerprint()
    member = make_ctx(db, "Mia Lid", Role.MEMBER)
    with pytest.raises(PermissionDeniedError):
        register_member_key(member, uid, "")
