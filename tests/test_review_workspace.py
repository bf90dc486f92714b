"""Issue 11: the member's review workspace on a laptop: opening a package, assessing, declaring, notes,
the encrypted working copy, the return package, and every reason a package is refused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.review_crypto import KeyPair, PackageRefused, Refusal, open_sealed
from commissie_app.domain.review_format import FINAL, KIND_RETURN, read_return
from commissie_app.services import review_working_copy as wc
from commissie_app.services.laptop_keys import laptop_keys
from commissie_app.services.review_workspace import AppStatus, PackageExpired, delete_local, open_package
from tests.review_builders import COMPLETE_GRANT, TODAY, build_package, pdf_with_text

DRAFT_ANSWERS = {"region_established": "ja", "region_municipality": "Haarlem", "crit_pso30": "ja", "mission_primary": "ja",
                 "impact_evidence": "Veertien leerwerkplekken in de werkplaats aan het Spaarne."}


def _open_return(path, commission: KeyPair):
    opened = open_sealed(path.read_bytes(), identity=commission)
    manifest, content = read_return(opened.entries)
    return opened, manifest, content


def test_work_is_saved_encrypted_at_once_and_continues_when_the_package_is_opened_again(tmp_path):
    """Issue 11: every change goes at once to the working copy, which is encrypted to (and signed by) the
    laptop's own key; opening the same package again continues the work."""
    built = build_package(tmp_path)
    app1, app2 = built.apps
    ws = open_package(built.path, today=TODAY)
    assert ws.status(app1) is AppStatus.NOT_STARTED and ws.status(app2) is AppStatus.DRAFT  # earlier draft
    ws.save_assessment(app1, DRAFT_ANSWERS)
    ws.save_note(app1, "Bellen met Ingrid over de begroting.")

    path = wc.working_copy_path(built.manifest.package_id)
    assert path.parent.name == "beoordeling" and path.name == f"{built.manifest.package_id}.werkkopie"
    blob = path.read_bytes()
    assert b"Veertien leerwerkplekken" not in blob and b"Ingrid" not in blob
    opened = open_sealed(blob, identity=laptop_keys())
    assert opened.signer == laptop_keys().public().verify_key
    with pytest.raises(PackageRefused):
        open_sealed(blob, identity=KeyPair.generate())  # nobody else can read it

    again = open_package(built.path, today=TODAY)
    mine = again.assessment(app1)
    assert mine.answers["impact_evidence"] == DRAFT_ANSWERS["impact_evidence"] and mine.state == "draft"
    assert mine.base_version is None and mine.edited_here
    assert again.note(app1) == "Bellen met Ingrid over de begroting."
    assert again.note(app2) == "Navragen: leerwerkplekken."  # the package's own note
    assert again.progress().text() == "0 van 2 beoordeeld, 2 concepten"


def test_a_final_assessment_needs_a_complete_form_and_then_stays_as_it_is(tmp_path):
    """Issue 11: as on the server, 'Definitief maken' refuses an incomplete form (per question), a draft may be
    incomplete, and a final assessment can no longer be changed."""
    built = build_package(tmp_path)
    app1 = built.apps[0]
    ws = open_package(built.path, today=TODAY)
    with pytest.raises(ValidationError) as err:
        ws.save_assessment(app1, DRAFT_ANSWERS, final=True)
    assert "member_advice" in err.value.errors
    assert ws.status(app1) is AppStatus.NOT_STARTED  # nothing stored
    with pytest.raises(ValidationError):
        ws.save_assessment(app1, dict(DRAFT_ANSWERS, crit_pso30_evidence="geen-bijlage-van-deze-aanvraag"))
    done = ws.save_assessment(app1, dict(COMPLETE_GRANT, crit_pso30_evidence=built.pdf_id), final=True)
    assert done.is_final and done.advice.value == "grant"
    assert ws.progress().text() == "1 van 2 beoordeeld, 1 concept"
    with pytest.raises(DomainError, match="definitief"):
        ws.save_assessment(app1, COMPLETE_GRANT)
    assert open_package(built.path, today=TODAY).assessment(app1).state == FINAL


def test_declaring_and_withdrawing_a_conflict_of_interest(tmp_path):
    """Issue 11: a conflict needs a reason; one declared on the laptop can be withdrawn there, one already
    recorded in the database (in the package) cannot."""
    built = build_package(tmp_path, recorded_conflict=True)
    app1, app2 = built.apps
    ws = open_package(built.path, today=TODAY)
    assert ws.status(app2) is AppStatus.CONFLICT and not ws.declaration(app2).made_here
    with pytest.raises(DomainError, match="al vastgelegd"):
        ws.withdraw_conflict(app2)
    with pytest.raises(DomainError, match="reden"):
        ws.declare_conflict(app1, "   ")
    ws.declare_conflict(app1, "Ik ben  penningmeester van de stichting.")
    assert ws.declaration(app1).reason == "Ik ben penningmeester van de stichting."
    assert ws.progress().conflict == 2
    assert open_package(built.path, today=TODAY).status(app1) is AppStatus.CONFLICT
    ws.withdraw_conflict(app1)
    assert ws.declaration(app1) is None and ws.status(app1) is AppStatus.NOT_STARTED


def test_the_return_holds_only_what_changed_with_base_versions_and_a_growing_sequence(tmp_path):
    """Issue 11: the return carries only the member's changes (a new assessment with base None, a changed one
    with the package's version, declarations made here, changed notes), is signed by the laptop key,
    opens with the commission's key, and each next return has the next sequence number (kept over reopening)."""
    built = build_package(tmp_path)
    app1, app2 = built.apps
    ws = open_package(built.path, today=TODAY)
    ws.save_assessment(app2, {"region_established": "ja", "region_municipality": "Zandvoort"})  # same as the package
    ws.save_note(app2, "Navragen: leerwerkplekken.")  # unchanged too
    first = ws.make_return(tmp_path / "terug")
    assert first.name == "terug.kipretour"
    opened, manifest, content = _open_return(first, built.commission)
    assert opened.signer == laptop_keys().public().verify_key
    assert manifest.kind == KIND_RETURN and manifest.package_id == built.manifest.package_id
    assert [m.user_id for m in manifest.members] == [built.user_id]
    assert (content.sequence, content.assessments, content.declarations, content.notes) == (1, (), (), ())
    with pytest.raises(PackageRefused):
        open_sealed(first.read_bytes(), identity=laptop_keys())  # for the commission only

    ws.save_assessment(app1, DRAFT_ANSWERS)
    ws.save_assessment(app2, {"region_established": "nee"})
    ws.declare_conflict(app1, "Oud-collega van de contactpersoon.")
    ws.save_note(app1, "Begroting 2027 ontbreekt.")
    later = open_package(built.path, today=TODAY)  # the sequence is kept in the working copy
    second = later.make_return(tmp_path / "terug-2.kipretour")
    _opened, _manifest, content = _open_return(second, built.commission)
    assert content.sequence == 2 and content.user_id == built.user_id
    by_app = {a.application_id: a for a in content.assessments}
    assert set(by_app) == {app1, app2}
    assert by_app[app1].base_version is None and by_app[app1].state == "draft"
    assert by_app[app1].answers["region_municipality"] == "Haarlem"
    assert by_app[app2].base_version == 3 and by_app[app2].answers == {"region_established": "nee"}
    assert by_app[app1].form_id == uuid.UUID(built.data["forms"][0]["id"])
    assert [(d.agenda_item_id, d.reason) for d in content.declarations] == [
        (built.items[0], "Oud-collega van de contactpersoon.")]
    assert [(n.application_id, n.text, n.base_version) for n in content.notes] == [
        (app1, "Begroting 2027 ontbreekt.", None)]
    assert later.last_return.assessments == 2 and later.returned_at is not None


def test_an_expired_package_is_refused_and_can_be_deleted_with_its_working_copy(tmp_path):
    """Issue 11: the laptop refuses a package after its expiry date and can delete it and its working copy."""
    built = build_package(tmp_path, expires_on=dt.date(2027, 4, 11))
    open_package(built.path, today=dt.date(2027, 4, 11)).save_note(built.apps[0], "nog geldig")
    with pytest.raises(PackageExpired) as err:
        open_package(built.path, today=dt.date(2027, 4, 12))
    assert err.value.reason is Refusal.EXPIRED and "verlopen" in str(err.value) and "11 april 2027" in str(err.value)
    assert wc.working_copy_path(err.value.package_id).exists()
    delete_local(built.path, err.value.package_id)
    assert not built.path.exists() and not wc.working_copy_path(err.value.package_id).exists()


def test_a_passphrase_package_needs_the_right_passphrase(tmp_path):
    """Issue 11: a first-contact package asks for its passphrase and refuses a wrong one, in Dutch."""
    built = build_package(tmp_path, passphrase="lange zin van de secretaris")
    for passphrase, reason in ((None, Refusal.NEEDS_PASSPHRASE), ("verkeerd wachtwoord", Refusal.WRONG_PASSPHRASE)):
        with pytest.raises(PackageRefused) as err:
            open_package(built.path, passphrase=passphrase, today=TODAY)
        assert err.value.reason is reason
    assert "wachtwoord klopt niet" in str(err.value)
    ws = open_package(built.path, passphrase="lange zin van de secretaris", today=TODAY)
    assert ws.by_passphrase and ws.member.name == "Lars Lid"


def test_the_commission_key_is_pinned_per_database_and_another_signer_is_refused(tmp_path):
    """Issue 11: the first package of a database pins its commission key on the laptop; a later package of the
    same database signed by another key is refused, as is a package not signed by the key it names, or unsigned."""
    database = uuid.uuid4()
    real = build_package(tmp_path, database_id=database, name="echt.kippakket")
    open_package(real.path, today=TODAY)
    assert wc.pinned_commission_key(database) == real.commission.public().text()

    forged = build_package(tmp_path, database_id=database, name="vals.kippakket")  # consistent, other key
    with pytest.raises(PackageRefused) as err:
        open_package(forged.path, today=TODAY)
    assert err.value.reason is Refusal.WRONG_SIGNER and real.commission.public().fingerprint() in str(err.value)
    assert not wc.working_copy_path(forged.manifest.package_id).exists()

    elsewhere = build_package(tmp_path, name="ander.kippakket")  # another commission's database: its own pin
    assert open_package(elsewhere.path, today=TODAY).manifest.database_id != database

    not_named = build_package(tmp_path, commission=real.commission, database_id=database, signer=KeyPair.generate(),
                              name="niet-genoemd.kippakket")
    with pytest.raises(PackageRefused) as err:
        open_package(not_named.path, today=TODAY)
    assert err.value.reason is Refusal.WRONG_SIGNER
    unsigned = build_package(tmp_path, commission=real.commission, database_id=database, signer=None,
                             name="ongetekend.kippakket")
    with pytest.raises(PackageRefused) as err:
        open_package(unsigned.path, today=TODAY)
    assert err.value.reason is Refusal.UNSIGNED
    assert open_package(real.path, today=TODAY).manifest.package_id == real.manifest.package_id


def test_a_package_for_another_laptop_or_not_a_package_is_refused(tmp_path):
    """Issue 11: a package encrypted to another laptop's key, or a file that is no package, is refused in Dutch."""
    other = build_package(tmp_path, recipients=[KeyPair.generate().public()])
    with pytest.raises(PackageRefused) as err:
        open_package(other.path, today=TODAY)
    assert err.value.reason is Refusal.NOT_FOR_THIS_KEY
    junk = tmp_path / "foto.kippakket"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(PackageRefused) as err:
        open_package(junk, today=TODAY)
    assert err.value.reason is Refusal.NOT_A_PACKAGE
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        open_package(tmp_path / "bestaat-niet.kippakket", today=TODAY)


def test_a_package_for_several_members_asks_who_is_working_and_remembers_it(tmp_path):
    """Issue 11: with several members in one package, the workspace asks which member works (nothing can be
    edited before) and remembers the choice; each member's work is their own."""
    built = build_package(tmp_path, extra_members=1)
    ws = open_package(built.path, today=TODAY)
    assert ws.member is None and len(ws.members) == 2
    with pytest.raises(DomainError, match="Kies eerst"):
        ws.save_note(built.apps[0], "x")
    other = ws.members[1]
    ws.choose_member(other.user_id)
    assert ws.status(built.apps[1]) is AppStatus.NOT_STARTED  # Lars's earlier draft is not this member's
    ws.save_note(built.apps[0], "van lid 2")
    again = open_package(built.path, today=TODAY)
    assert again.member == other and again.note(built.apps[0]) == "van lid 2"
    again.choose_member(built.user_id)
    assert again.note(built.apps[0]) == "" and again.status(built.apps[1]) is AppStatus.DRAFT
    _o, manifest, content = _open_return(again.make_return(tmp_path / "lars"), built.commission)
    assert [m.user_id for m in manifest.members] == [built.user_id] and content.notes == ()


def test_key_show_prints_the_laptop_key_and_its_fingerprint(capsys):
    """Issue 11: `review key show` prints the one line to give to the secretary, with its fingerprint."""
    from commissie_app import cli

    assert cli.main(["review", "key", "show"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == laptop_keys().public().text()
    assert laptop_keys().public().fingerprint() in out[1]
    assert "secretaris" in out[2]


def test_a_package_exported_from_the_demo_database_opens_and_its_return_refers_to_the_database(db, tmp_path):
    """Issue 11: a real package made by review_export from the demo database opens on the laptop (pinned,
    signed by the commission), shows the agenda's applications with their attachments and the member's own
    draft, and the return refers to that draft's database version and opens with the commission's key."""
    from sqlalchemy import select

    from commissie_app.db.models import Attachment, Meeting, Member
    from commissie_app.domain.codes import Role
    from commissie_app.domain.meetings import ItemKind, MeetingStatus
    from commissie_app.services import assessments, review_export
    from commissie_app.services.attachments import add_attachment
    from commissie_app.services.demo import create_demo_data
    from commissie_app.services.review_keys import commission_identity, register_member_key
    from tests.conftest import TODAY as DB_TODAY
    from tests.conftest import make_ctx

    sec = make_ctx(db)
    create_demo_data(sec)
    with db.session() as s:
        meeting = next(m for m in s.scalars(select(Meeting).order_by(Meeting.starts_at))
                       if m.status is MeetingStatus.PLANNED and any(i.kind is ItemKind.APPLICATION for i in m.items))
        meeting_id = meeting.id
        on_agenda = [i.application_id for i in meeting.items if i.kind is ItemKind.APPLICATION]
        member_id = s.scalars(select(Member.id).order_by(Member.name)).first()
    add_attachment(sec, on_agenda[0], "jaarverslag.pdf", pdf_with_text("Twaalf deelnemers in 2026."))
    with db.session() as s:
        stored = {str(a.id): a.data for a in s.scalars(select(Attachment).where(Attachment.application_id.in_(on_agenda)))}
    lars = make_ctx(db, "Lars Lid", Role.MEMBER, member_id=member_id)
    register_member_key(sec, lars.actor.user_id, laptop_keys().public().text())
    draft = assessments.get_or_create_assessment(lars, on_agenda[0])
    draft = assessments.save_answers(lars, draft.id, {"region_established": "ja"}, draft.version)

    made = review_export.export_package(sec, meeting_id, [lars.actor.user_id], tmp_path / "demo")
    ws = open_package(made.path, today=DB_TODAY)
    identity = commission_identity(sec)
    assert ws.member.user_id == lars.actor.user_id
    assert wc.pinned_commission_key(identity.database_id) == identity.public_key.text()
    assert list(ws.applications) == on_agenda
    assert stored and all(ws.attachment_bytes(att_id) == blob for att_id, blob in stored.items())
    mine = ws.assessment(on_agenda[0])
    assert mine.answers == {"region_established": "ja"} and mine.base_version == draft.version
    assert ws.status(on_agenda[1]) is AppStatus.NOT_STARTED

    ws.save_assessment(on_agenda[0], {"region_established": "ja", "region_municipality": "Velsen"})
    ws.save_assessment(on_agenda[1], {"region_established": "nee"})
    opened, manifest, content = _open_return(ws.make_return(tmp_path / "terug"), identity.keys)
    assert opened.signer == laptop_keys().public().verify_key
    assert (manifest.database_id, manifest.meeting_id) == (identity.database_id, meeting_id)
    bases = {a.application_id: (a.base_version, a.form_id) for a in content.assessments}
    assert bases == {on_agenda[0]: (draft.version, draft.form_row_id),
                     on_agenda[1]: (None, assessments.current_form(sec, draft.form.form_id).id)}


@pytest.mark.parametrize("spoil", ["item without title", "assessment of another form", "state", "attachment name",
                                   "organisation", "rules", "form source"])
def test_a_signed_package_whose_data_does_not_fit_is_refused_as_damaged(tmp_path, spoil, monkeypatch):
    """Issue 11: every value the laptop uses is checked when the package is opened: a package whose data.json does
    not fit the format is refused as damaged (in Dutch), not shown half or failing later in the window."""
    from tests import review_builders

    real = review_builders.package_entries

    def spoiled(manifest, data, attachments):
        app = data["applications"][0]
        if spoil == "item without title":
            del data["items"][1]["title"]
        elif spoil == "assessment of another form":
            data["assessments"][0]["form_id"] = str(uuid.uuid4())
        elif spoil == "state":
            data["assessments"][0]["state"] = "klaar"
        elif spoil == "attachment name":
            app["attachments"][2]["filename"] = None
        elif spoil == "organisation":
            app["organisation"]["street"] = {"nested": "object"}
        elif spoil == "rules":
            data["rules"]["quorum_seats"] = 99
        else:
            data["forms"][0]["source"] = "[form]\nid = 3\n"
        return real(manifest, data, attachments)

    monkeypatch.setattr(review_builders, "package_entries", spoiled)
    built = build_package(tmp_path)
    with pytest.raises(PackageRefused) as err:
        open_package(built.path, today=TODAY)
    assert err.value.reason is Refusal.DAMAGED and "beschadigd" in str(err.value)


def test_a_working_copy_this_laptop_cannot_read_is_reported_and_not_used(tmp_path):
    """Issue 11: a working copy that is damaged, or sealed by another laptop's key, is refused with a Dutch
    message naming the file; the package itself is left alone."""
    from commissie_app.domain.review_crypto import seal

    built = build_package(tmp_path)
    path = wc.working_copy_path(built.manifest.package_id)
    other = KeyPair.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(seal({wc.WORKING_COPY_ENTRY: b"{}"}, signer=other, recipients=[laptop_keys().public()]))
    with pytest.raises(wc.WorkingCopyDamaged) as err:
        open_package(built.path, today=TODAY)
    assert str(path) in str(err.value) and err.value.package_id == built.manifest.package_id
    path.write_bytes(b"age-encryption.org/v1\nkapot")
    with pytest.raises(wc.WorkingCopyDamaged):
        open_package(built.path, today=TODAY)
    wc.delete_working_copy(built.manifest.package_id)
    assert open_package(built.path, today=TODAY).progress().draft == 1 and built.path.exists()


def test_other_members_final_assessments_are_shown_only_read(tmp_path):
    """Issue 11: when the commission's rules share them, other members' final assessments are available to read;
    they never count as the member's own work."""
    built = build_package(tmp_path, shared_final=True)
    ws = open_package(built.path, today=TODAY)
    assert [o["assessor"] for o in ws.other_assessments(built.apps[0])] == ["Mia Lid"]
    assert ws.status(built.apps[0]) is AppStatus.NOT_STARTED and ws.assessment(built.apps[0]).base_version is None
