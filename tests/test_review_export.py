"""Issue 11: the secretary makes review packages (services/review_export.py), lists and revokes them,
on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import stat
import uuid

import pytest
from sqlalchemy import func, select

from commissie_app.db.models import AuditEvent, Meeting, MemberNote, ReviewPackage, ReviewReturn
from commissie_app.domain.codes import Criterion, Role
from commissie_app.domain.errors import DomainError, NotFoundError, ValidationError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.review_crypto import KeyPair, PackageRefused, Refusal, open_sealed
from commissie_app.domain.review_format import read_package
from commissie_app.domain.rules import Rules, rules_to_values
from commissie_app.services import assessments, meeting_agenda, meeting_attendance, meeting_closing, meeting_detail
from commissie_app.services import meeting_planning, review_export
from commissie_app.services.attachments import add_attachment
from commissie_app.services.review_keys import commission_identity, register_member_key
from tests.conftest import make_ctx
from tests.test_assessments_service import COMPLETE_GRANT
from tests.test_meetings_service import complete_app, seat_members
from tests.meeting_days import step as step_

SECRET_SENTENCE = "Het leerwerkbedrijf begeleidt twaalf deelnemers naar betaald werk"
PDF_A = (b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + SECRET_SENTENCE.encode() + b"\ntrailer<<>>\n%%EOF\n")
PDF_B = b"%PDF-1.4\n1 0 obj<<>>endobj\n% certificaat PSO 30+\ntrailer<<>>\n%%EOF\n"
PDF_C = b"%PDF-1.4\n1 0 obj<<>>endobj\n% niet op de agenda\ntrailer<<>>\n%%EOF\n"


@dataclasses.dataclass
class World:
    db: object
    sec: object
    lars: object  # member context, key registered
    mia: object  # member context, key registered
    lars_keys: KeyPair
    mia_keys: KeyPair
    nora_id: uuid.UUID  # a member without a key
    wim_id: uuid.UUID  # an observer, not linked to a member
    meeting: uuid.UUID
    apps: tuple  # (a, b) on the agenda, c not
    attachments: dict  # attachment id (text) -> bytes, of the agenda's applications
    items: dict  # application id -> agenda item id
    own: dict  # name -> set of assessment ids

    def user_id(self, ctx):
        return ctx.actor.user_id


@pytest.fixture
def world(db):
    return build_world(db)


def build_world(db) -> World:
    """A meeting with two applications on its agenda (one more is not), attachments, assessments, declarations and
    notes of three members; two have a registered key (also used by tests/ui/test_review_export_ui.py)."""
    sec = make_ctx(db)
    members = seat_members(sec)
    lars = make_ctx(db, "Lars Lid", Role.MEMBER, member_id=members[0])
    mia = make_ctx(db, "Mia Lid", Role.MEMBER, member_id=members[1])
    nora = make_ctx(db, "Nora Nieuw", Role.MEMBER, member_id=members[2])
    wim = make_ctx(db, "Wim Waarnemer", Role.OBSERVER)
    lars_keys, mia_keys = KeyPair.generate(), KeyPair.generate()
    register_member_key(sec, lars.actor.user_id, lars_keys.public().text())
    register_member_key(sec, mia.actor.user_id, mia_keys.public().text())

    a, b, c = (complete_app(sec, kvk) for kvk in ("11111111", "22222222", "33333333"))
    att_a = add_attachment(sec, a, "jaarverslag.pdf", PDF_A)
    att_b = add_attachment(sec, b, "pso.pdf", PDF_B, Criterion.PSO30)
    add_attachment(sec, c, "ander.pdf", PDF_C)
    mid = meeting_planning.plan_meeting(sec, dt.datetime(2026, 12, 15, 14, 0), place="Stadhuis Haarlem",
                                        chair_member_id=members[0])
    meeting_agenda.add_application_items(sec, mid, [a, b])
    meeting_agenda.add_free_item(sec, mid, "Jaarplanning 2027")
    items = {i.application_id: i.id for i in meeting_detail.get_meeting(sec, mid).items
             if i.kind is ItemKind.APPLICATION}

    own = {"lars": set(), "mia_draft": set(), "mia_final": set(), "other": set()}
    la = assessments.get_or_create_assessment(lars, a)
    own["lars"].add(assessments.save_answers(lars, la.id, {"region_established": "ja"}, la.version).id)
    own["other"].add(assessments.get_or_create_assessment(lars, c).id)  # not on the agenda
    own["mia_draft"].add(assessments.get_or_create_assessment(mia, a).id)
    mb = assessments.get_or_create_assessment(mia, b)
    final = assessments.save_answers(mia, mb.id, dict(COMPLETE_GRANT, crit_pso30_evidence=str(att_b)), mb.version,
                                     final=True)
    own["mia_final"].add(final.id)
    own["other"].add(assessments.get_or_create_assessment(sec, a, kind=assessments.CONSOLIDATED).id)

    for step in (MeetingStatus.AGENDA_SET, MeetingStatus.OPEN):  # declarations are recorded in an open meeting
        step_(sec, mid, step)
    meeting_attendance.declare_conflict(lars, items[a], members[0], "Adviseur van de organisatie")
    meeting_attendance.declare_conflict(mia, items[b], members[1], "Familie werkt er")
    with db.session() as s:
        s.add_all([MemberNote(application_id=a, user_id=lars.actor.user_id, text="Vragen over de begeleiding"),
                   MemberNote(application_id=b, user_id=mia.actor.user_id, text="Notitie van Mia"),
                   MemberNote(application_id=c, user_id=lars.actor.user_id, text="Niet op de agenda")])
        s.commit()
    return World(db, sec, lars, mia, lars_keys, mia_keys, nora.actor.user_id, wim.actor.user_id, mid, (a, b, c),
                 {str(att_a): PDF_A, str(att_b): PDF_B}, items, own)


@pytest.fixture
def out(tmp_path):
    """The folder packages are written to (the SQLite database lives in tmp_path itself)."""
    folder = tmp_path / "pakketten"
    folder.mkdir()
    return folder


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _open(path, keys):
    opened = open_sealed(path.read_bytes(), identity=keys)
    return opened, read_package(opened.entries)


def test_package_holds_exactly_the_agenda_and_the_recipients_own_work(world, out):
    """Issue 11: the package of a meeting holds the agenda's applications only, the attachments byte for byte,
    only the recipient's own assessments, declarations and notes, the forms needed and the rules; it opens
    with the recipient's key, not with another's, and is signed by the commission's key."""
    result = review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id],
                                          out / "beoordeling-lars")
    assert result.path == out / "beoordeling-lars.kippakket"
    assert result.member_names == ("Lars Lid",)
    assert result.fingerprints == (world.lars_keys.public().fingerprint(),)
    assert result.expires_on == dt.date(2026, 12, 15) + dt.timedelta(days=Rules.review_package_days)
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o600
    assert [p.name for p in out.iterdir()] == ["beoordeling-lars.kippakket"]  # no temporary file left

    opened, content = _open(result.path, world.lars_keys)
    identity = commission_identity(world.sec)
    assert opened.signer == identity.public_key.verify_key
    with pytest.raises(PackageRefused) as refused:
        open_sealed(result.path.read_bytes(), identity=world.mia_keys)
    assert refused.value.reason is Refusal.NOT_FOR_THIS_KEY

    m, data = content.manifest, content.data
    a, b, c = world.apps
    assert (m.package_id, m.database_id, m.meeting_id) == (result.package_id, identity.database_id, world.meeting)
    assert m.meeting_label == "vergadering van 15 december 2026" and m.expires_on == result.expires_on
    assert m.commission_key == identity.public_key.text() and m.created_by == "Sanne Secretaris"
    assert [(p.user_id, p.member_id, p.name) for p in m.members] == [
        (world.lars.actor.user_id, world.lars.actor.member_id, "Lars Lid")]

    assert [app["id"] for app in data["applications"]] == [str(a), str(b)]
    assert content.attachments == world.attachments
    org = data["applications"][0]["organisation"]
    assert (org["name"], org["kvk"], org["municipality"], org["street"]) == ("Org 11111111", "11111111", "Haarlem",
                                                                             "Grote Markt 2")
    assert data["applications"][0]["evidence"] == [{"criterion": "PSO30", "reference": "REF-PSO30", "valid_until": None}]
    assert "notes" not in data["applications"][0]  # the secretary's internal notes stay home
    assert [i["title"] for i in data["items"]][5:8] == ["Aanvraag Org 11111111", "Aanvraag Org 22222222",
                                                       "Jaarplanning 2027"]
    assert data["meeting"]["status"] == "open" and data["meeting"]["label"] == m.meeting_label

    assert {x["id"] for x in data["assessments"]} == {str(i) for i in world.own["lars"]}
    assert data["assessments"][0]["answers"] == {"region_established": "ja"}
    assert data["assessments"][0]["user_id"] == str(world.lars.actor.user_id)
    assert data["conflicts"] == [{"agenda_item_id": str(world.items[a]), "member_id": str(world.lars.actor.member_id),
                                  "reason": "Adviseur van de organisatie"}]
    assert [(n["application_id"], n["text"]) for n in data["notes"]] == [(str(a), "Vragen over de begeleiding")]
    current = [f for f in data["forms"] if f["current"]]
    assert len(current) == 1 and current[0]["form_key"] == assessments.default_form_key()
    assert current[0]["source"] == assessments.shipped_form_paths()[-1].read_text(encoding="utf-8")
    assert data["rules"] == rules_to_values(world.sec.rules)


def test_other_members_final_assessments_only_when_the_rules_allow(world, out):
    """Issue 11: another member's draft never goes into a package; their final one only with the rule on."""
    off = review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], out / "uit")
    shared = dataclasses.replace(world.sec)
    shared.rules = dataclasses.replace(world.sec.rules, review_share_assessments=True)
    on = review_export.export_package(shared, world.meeting, [world.lars.actor.user_id], out / "aan")
    ids_off = {x["id"] for x in _open(off.path, world.lars_keys)[1].data["assessments"]}
    ids_on = {x["id"] for x in _open(on.path, world.lars_keys)[1].data["assessments"]}
    as_text = lambda ids: {str(i) for i in ids}  # noqa: E731
    assert ids_off == as_text(world.own["lars"])
    assert ids_on == as_text(world.own["lars"] | world.own["mia_final"])
    assert not ids_on & as_text(world.own["mia_draft"] | world.own["other"])


def test_one_package_for_two_members_and_the_row_recorded(world, out):
    """Issue 11: one package for several members opens with each one's key and carries each one's own work;
    the database records the package (for whom, hash, size, expiry, maker), not the file, and audits it."""
    users = [world.lars.actor.user_id, world.mia.actor.user_id]
    result = review_export.export_package(world.sec, world.meeting, users, out / "samen.kippakket")
    for keys in (world.lars_keys, world.mia_keys):
        data = _open(result.path, keys)[1].data
        assert {x["id"] for x in data["assessments"]} == {
            str(i) for i in world.own["lars"] | world.own["mia_draft"] | world.own["mia_final"]}
        assert len(data["conflicts"]) == 2 and len(data["notes"]) == 2
    blob = result.path.read_bytes()
    with world.db.session() as s:
        row = s.get(ReviewPackage, result.package_id)
        assert row.user_ids == [str(u) for u in users] and row.passphrase is False
        assert (row.sha256, row.size) == (hashlib.sha256(blob).hexdigest(), len(blob))
        assert row.expires_on == result.expires_on and row.created_by == "Sanne Secretaris"
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(result.package_id))).one()
        assert (event.action, event.entity_type, event.actor) == ("review_export", "review_package", "Sanne Secretaris")
    [info] = review_export.list_packages(world.sec, world.meeting)
    assert (info.id, info.member_names, info.passphrase, info.returns) == (
        result.package_id, ("Lars Lid", "Mia Lid"), False, 0)
    assert info.meeting_label == "vergadering van 15 december 2026" and not info.revoked


def test_passphrase_package_for_a_member_without_a_key(world, out, monkeypatch):
    """Issue 11: for a first contact the package is locked with a passphrase of at least 10 characters."""
    with pytest.raises(ValidationError, match="ten minste 10 tekens"):
        review_export.export_package(world.sec, world.meeting, [world.nora_id], out / "p", passphrase="kort")
    result = review_export.export_package(world.sec, world.meeting, [world.nora_id], out / "p",
                                          passphrase="lange zin als wachtwoord")
    assert result.fingerprints == ()
    opened = open_sealed(result.path.read_bytes(), passphrase="lange zin als wachtwoord")
    assert read_package(opened.entries).manifest.members[0].name == "Nora Nieuw"
    assert review_export.list_packages(world.sec)[0].passphrase is True


@pytest.mark.parametrize("case, message", [
    ("no key", "Voor ‘Nora Nieuw’ is nog geen sleutel geregistreerd. Laat het lid de sleutel van de laptop tonen"),
    ("not a member", "‘Wim Waarnemer’ is niet gekoppeld aan een lid van de commissie"),
    ("unknown meeting", "Deze vergadering bestaat niet (meer)."),
    ("closed", "De vergadering van 15 december 2026 is gesloten; voor een gesloten vergadering wordt geen "
               "beoordelingspakket gemaakt."),
    ("no applications", "Er staan geen aanvragen op de agenda van de vergadering van 16 december 2026"),
    ("nobody", "Kies ten minste één lid"),
    ("expired", "zou al verlopen zijn"),
])
def test_refusals_say_why_in_dutch_and_write_nothing(world, out, case, message):
    """Issue 11: every refusal is a Dutch message; no file and no row are left behind."""
    users, meeting, ctx = [world.lars.actor.user_id], world.meeting, world.sec
    if case == "no key":
        users = [world.lars.actor.user_id, world.nora_id]
    elif case == "not a member":
        users = [world.wim_id]
    elif case == "unknown meeting":
        meeting = uuid.uuid4()
    elif case == "closed":
        with world.db.session() as s:  # closing through the services needs votes and decisions: beside the point
            s.get(Meeting, meeting).status = MeetingStatus.CLOSED
            s.commit()
    elif case == "no applications":
        meeting = meeting_planning.plan_meeting(world.sec, dt.datetime(2026, 12, 16, 14, 0), place="Stadhuis")
    elif case == "nobody":
        users = []
    elif case == "expired":
        ctx = dataclasses.replace(world.sec, today=lambda: dt.date(2027, 6, 1))
    before = _count(world.db, ReviewPackage)
    with pytest.raises(DomainError) as err:
        review_export.export_package(ctx, meeting, users, out / "x.kippakket")
    assert message in str(err.value)
    assert list(out.iterdir()) == [] and _count(world.db, ReviewPackage) == before
    if case == "no key":
        assert "Sleutel registreren" in str(err.value) and "review key register" in str(err.value)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER, Role.CHAIR])
def test_only_the_secretary_makes_or_revokes_packages(world, out, role):
    """Issue 11: a member, observer or chair may not make or revoke packages (the refusal is audited)."""
    made = review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], out / "a")
    other = make_ctx(world.db, f"Iemand {role.value}", role)
    with pytest.raises(PermissionDeniedError, match="beoordelingspakketten maken en inlezen"):
        review_export.export_package(other, world.meeting, [world.lars.actor.user_id], out / "b")
    with pytest.raises(PermissionDeniedError):
        review_export.revoke_package(other, made.package_id, "laptop kwijt")
    assert not (out / "b.kippakket").exists() and _count(world.db, ReviewPackage) == 1
    assert review_export.list_packages(world.sec)[0].revoked_at is None


def test_revoke_with_a_reason_once(world, out):
    """Issue 11: the secretary revokes a package (a lost laptop) with a reason; a second time is refused politely;
    the list shows who revoked it, when and why, and how many returns were read from it."""
    made = review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], out / "a")
    with pytest.raises(ValidationError, match="reden"):
        review_export.revoke_package(world.sec, made.package_id, "   ")
    with pytest.raises(NotFoundError):
        review_export.revoke_package(world.sec, uuid.uuid4(), "laptop kwijt")
    sec = dataclasses.replace(world.sec, now=lambda: dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.timezone.utc))
    info = review_export.revoke_package(sec, made.package_id, "Laptop  verloren in de trein")
    assert info.revoked and info.revoked_by == "Sanne Secretaris" and info.revoke_reason == "Laptop verloren in de trein"
    with pytest.raises(DomainError, match="al ingetrokken, op 2 december 2026 door Sanne Secretaris"):
        review_export.revoke_package(world.sec, made.package_id, "nog eens")
    with world.db.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(made.package_id),
                                                   AuditEvent.action == "review_revoke")).one()
        assert event.new_values["revoke_reason"] == "Laptop verloren in de trein"
        s.add(ReviewReturn(id=uuid.uuid4(), package_id=made.package_id, user_id=world.lars.actor.user_id, sequence=1,
                           sha256="0" * 64, made_at=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc),
                           imported_by="Sanne Secretaris"))
        s.commit()
    assert review_export.list_packages(world.sec, world.meeting)[0].returns == 1
    assert review_export.list_packages(world.sec, uuid.uuid4()) == []
    assert review_export.find_package(world.sec, str(made.package_id)[:8]) == made.package_id
    with pytest.raises(NotFoundError):
        review_export.find_package(world.sec, "ffffffff-nope")


def test_progress_is_reported_and_a_cancel_leaves_nothing(world, out):
    """Issue 11: making a package reports progress per attachment; cancelling (the report raises) writes no file
    and no row."""
    seen = []
    review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], out / "a",
                                 progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (1, 1)]

    def cancel(done, total):
        raise DomainError("Afgebroken")

    with pytest.raises(DomainError, match="Afgebroken"):
        review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], out / "b", progress=cancel)
    assert [p.name for p in out.iterdir()] == ["a.kippakket"] and _count(world.db, ReviewPackage) == 1


def test_recipients_are_the_active_members_with_their_key(world):
    """Issue 11: the export dialog offers the users linked to a member, each with their key's fingerprint or none."""
    got = {r.name: r.fingerprint for r in review_export.recipients(world.sec)}
    assert got == {"Lars Lid": world.lars_keys.public().fingerprint(), "Mia Lid": world.mia_keys.public().fingerprint(),
                   "Nora Nieuw": ""}
    assert review_export.key_fingerprints(world.sec) == {
        world.lars.actor.user_id: world.lars_keys.public().fingerprint(),
        world.mia.actor.user_id: world.mia_keys.public().fingerprint()}


# --- the command line ----------------------------------------------------------------------------

def _cli(world, *argv, who="Sanne Secretaris") -> int:
    from commissie_app.cli import main

    return main(["review", *argv, "--db", world.db.url, "--als", who])


def test_cli_key_register_shows_the_fingerprint(world, capsys):
    """Issue 11: `review key register NAAM SLEUTEL` registers a member's laptop key and shows its fingerprint
    to compare with the member; a line that is no key is refused in Dutch."""
    from commissie_app.services.review_keys import member_key

    keys = KeyPair.generate()
    assert _cli(world, "key", "register", "nora nieuw", keys.public().text()) == 0
    out = capsys.readouterr().out
    assert f"Sleutel van Nora Nieuw geregistreerd. Vingerafdruk: {keys.public().fingerprint()}" in out
    assert "Vergelijk deze vingerafdruk met het lid (telefonisch of persoonlijk)." in out
    assert member_key(world.sec, world.nora_id).key == keys.public()
    assert _cli(world, "key", "register", "Nora Nieuw", "age1-geen-sleutel") == 1
    assert "geen geldige sleutel" in capsys.readouterr().err
    assert _cli(world, "key", "register", "Onbekend", keys.public().text()) == 1
    assert "Er is geen gebruiker ‘Onbekend’" in capsys.readouterr().err


def test_cli_export_list_and_revoke(world, out, capsys):
    """Issue 11: `review export DATUM --member ... --out FILE` writes the package and says where, how big, until
    when and for whom (with each key's fingerprint); `review list` shows it; `review revoke` revokes it."""
    target = out / "beoordeling-2026-12-15.kippakket"
    assert _cli(world, "export", "2026-12-15", "--member", "Lars Lid", "--lid", "mia lid", "--out", str(target)) == 0
    text = capsys.readouterr().out
    assert f"Beoordelingspakket geschreven naar {target} (" in text and " kB)" in text
    assert "Geldig tot en met 14 januari 2027." in text
    assert f"Voor: Lars Lid (sleutel met vingerafdruk {world.lars_keys.public().fingerprint()})" in text
    assert f"Voor: Mia Lid (sleutel met vingerafdruk {world.mia_keys.public().fingerprint()})" in text
    manifest = _open(target, world.mia_keys)[1].manifest
    assert f"Pakketnummer: {manifest.package_id}" in text

    assert _cli(world, "list", "2026-12-15") == 0
    listed = capsys.readouterr().out
    assert f"{manifest.package_id}  vergadering van 15 december 2026  voor Lars Lid, Mia Lid  (sleutel)" in listed
    assert "geldig tot en met 14 januari 2027; 0 retouren ingelezen" in listed and "INGETROKKEN" not in listed

    assert _cli(world, "revoke", str(manifest.package_id)[:8], "--reden", "Laptop gestolen") == 0
    assert "is ingetrokken: een retour ervan wordt niet meer ingelezen" in capsys.readouterr().out
    assert _cli(world, "list") == 0
    assert "door Sanne Secretaris: Laptop gestolen" in capsys.readouterr().out
    assert _cli(world, "revoke", str(manifest.package_id), "--reden", "nog eens") == 1
    assert "al ingetrokken" in capsys.readouterr().err


def test_cli_export_refusals(world, out, capsys):
    """Issue 11: the CLI refuses a member, a missing key and an unknown meeting with Dutch messages (exit 1)."""
    target = out / "x.kippakket"
    assert _cli(world, "export", "2026-12-15", "--member", "Lars Lid", "--out", str(target), who="Mia Lid") == 1
    assert "Als lid mag u niet beoordelingspakketten maken en inlezen" in capsys.readouterr().err
    assert _cli(world, "export", "2026-12-15", "--member", "Nora Nieuw", "--out", str(target)) == 1
    assert "Voor ‘Nora Nieuw’ is nog geen sleutel geregistreerd" in capsys.readouterr().err
    assert _cli(world, "export", "2026-12-17", "--member", "Lars Lid", "--out", str(target)) == 1
    assert "Er is geen vergadering op 2026-12-17." in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_cli_export_with_a_passphrase(world, out, capsys, monkeypatch):
    """Issue 11: `--wachtwoord` asks the passphrase twice (or takes it from COMMISSIE_REVIEW_PASSPHRASE);
    two different answers make no package."""
    import getpass

    answers = iter(["een lang wachtwoord", "een ander wachtwoord"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    target = out / "nora.kippakket"
    assert _cli(world, "export", str(world.meeting), "--member", "Nora Nieuw", "--out", str(target), "--wachtwoord") == 1
    assert "niet gelijk" in capsys.readouterr().err and not target.exists()
    monkeypatch.setenv("COMMISSIE_REVIEW_PASSPHRASE", "een lang wachtwoord")
    assert _cli(world, "export", str(world.meeting), "--member", "Nora Nieuw", "--out", str(target), "--wachtwoord") == 0
    assert "Versleuteld met een wachtwoord" in capsys.readouterr().out
    opened = open_sealed(target.read_bytes(), passphrase="een lang wachtwoord")
    assert read_package(opened.entries).manifest.members[0].name == "Nora Nieuw"
