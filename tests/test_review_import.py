"""Issue 11: the secretary imports members' return packages (services/review_import.py), on SQLite and
PostgreSQL: every check of a return, every merge rule, conflicts both ways, replays and older returns."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from commissie_app.db.models import (
    Assessment,
    AssessmentForm,
    AuditEvent,
    ConflictRecord,
    Meeting,
    MemberNote,
    ReviewReturn,
)
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError, StaleEditError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.review_crypto import KeyPair, PackageRefused, Refusal
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.services import assessments, meeting_agenda, meeting_attendance, meeting_closing
from commissie_app.services import commission, meeting_votes
from commissie_app.services.review_import import apply_import, prepare_import
from commissie_app.services.review_import_plan import DATABASE, PACKAGE, Outcome
from commissie_app.services.review_keys import register_member_key
from commissie_app.services.uow import UnitOfWork
from tests.factories import choose_chair
from tests.review_import_helpers import (
    COMPLETE,
    DRAFT_ANSWERS,
    agenda_item_of,
    assessment,
    declaration,
    make_return,
    note,
    row_counts,
    scenario,
    server_assessment,
)
from tests.meeting_days import step


@pytest.fixture
def s(db, tmp_path):
    return scenario(db, tmp_path)


def _one(s, path, **kwargs):
    plan = prepare_import(s.ctx, [path], **kwargs)
    assert len(plan.files) == 1
    return plan, plan.files[0]


def _refused(s, path, reason, **kwargs):
    before = row_counts(s.ctx.db)
    plan, f = _one(s, path, **kwargs)
    assert f.refusal is not None and f.refusal.reason is reason, f.message
    apply_import(s.ctx, plan, {})  # a refused file writes nothing, whatever the caller does
    assert row_counts(s.ctx.db) == before
    return f


def _row(s, member, app=0) -> Assessment | None:
    with s.ctx.db.session() as session:
        return session.scalars(select(Assessment).where(Assessment.application_id == s.apps[app],
                                                        Assessment.assessor_user_id == member.user_id)).first()


def _import(s, *paths, choices=None):
    plan = prepare_import(s.ctx, list(paths))
    return plan, apply_import(s.ctx, plan, choices or {})


# --- merge rules ----------------------------------------------------------------------------------

def test_new_work_is_added_with_its_form_version_and_the_audit_names_member_and_package(s):
    """Issue 11: a return's new assessment (final), note and declaration are added exactly as made on the laptop,
    with the advice worked out again; the audit trail names the member and the package."""
    a = s.members[0]
    item_id = agenda_item_of(s, 1)
    path = make_return(s, a, assessments=[assessment(s, 0, COMPLETE, state="final")], notes=[note(s, 1)],
                       declarations=[declaration(item_id)])
    plan, f = _one(s, path)
    assert f.status == "ready" and [(i.kind, i.outcome) for i in f.items] == [
        ("assessment", Outcome.NEW), ("note", Outcome.NEW), ("declaration", Outcome.NEW)]
    report = apply_import(s.ctx, plan, {})
    assert report.files[0].counts == {"new": 3}
    row = _row(s, a)
    assert (row.form_id, row.state, row.assessor, row.answers) == (s.form_id, "final", "Lid A", COMPLETE)
    assert row.advice is not None and row.advice_reason
    with s.ctx.db.session() as session:
        assert session.scalars(select(MemberNote.text).where(MemberNote.user_id == a.user_id)).all() == [
            "Vragen over de jaarrekening."]
        conflict = session.scalars(select(ConflictRecord)).one()
        assert (conflict.agenda_item_id, conflict.member_id, conflict.reason) == (item_id, a.member_id,
                                                                                  "Mijn zus werkt daar.")
        ret = session.scalars(select(ReviewReturn)).one()
        assert (ret.package_id, ret.user_id, ret.sequence, ret.imported_by) == (
            s.packages[a.user_id], a.user_id, 1, "Sanne Secretaris")
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "review_import")).all()
    package_events = [e for e in events if e.entity_type == "review_package"]
    assert len(package_events) == 1
    assert package_events[0].entity_id == str(s.packages[a.user_id])
    assert package_events[0].new_values["member"] == "Lid A"
    assert {e.entity_type for e in events} >= {"assessment", "member_note", "conflict", "review_return"}
    assert all(e.actor == "Sanne Secretaris" for e in events)


def test_unchanged_database_takes_the_laptop_answers(s):
    """Issue 11: the database's assessment is still at the package's version: the laptop's answers replace it."""
    a = s.members[0]
    base = server_assessment(s, a, answers={"region_established": "nee"})
    path = make_return(s, a, assessments=[assessment(s, 0, COMPLETE, state="final", base=base.version)])
    plan, f = _one(s, path)
    assert f.items[0].outcome is Outcome.UPDATED
    apply_import(s.ctx, plan, {})
    row = _row(s, a)
    assert (row.answers, row.state, row.version) == (COMPLETE, "final", base.version + 1)


@pytest.mark.parametrize("final, outcome, label", [(False, Outcome.UNCHANGED, "ongewijzigd"),
                                                    (True, Outcome.FINAL_STAYS, "al definitief")])
def test_laptop_unchanged_or_database_final_changes_nothing(s, final, outcome, label):
    """Issue 11: a returned assessment equal to the database's is 'ongewijzigd'; a laptop draft where the database
    holds a final one: the final one stays (never replaced by a draft). Neither is a conflict; the row is untouched."""
    a = s.members[0]
    base = server_assessment(s, a, answers=None if final else DRAFT_ANSWERS, final=final)
    plan, f = _one(s, make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS, base=base.version)]))
    assert (f.items[0].outcome, f.items[0].outcome.label, plan.conflicts) == (outcome, label, ())
    apply_import(s.ctx, plan, {})
    row = _row(s, a)
    assert (row.state, row.answers, row.version) == (base.state, base.answers, base.version)


def test_a_final_one_changed_on_the_laptop_is_a_conflict_never_silently_replaced(s):
    """Issue 11: the database holds a final assessment and the laptop brings another final one: a conflict for
    the secretary, not an overwrite."""
    a = s.members[0]
    base = server_assessment(s, a, final=True)
    other = dict(COMPLETE, advice_motivation="Toch anders gemotiveerd.")
    plan, f = _one(s, make_return(s, a, assessments=[assessment(s, 0, other, state="final", base=base.version)]))
    assert f.items[0].outcome is Outcome.CONFLICT
    apply_import(s.ctx, plan, {f.items[0].key: PACKAGE})
    assert _row(s, a).answers["advice_motivation"] == "Toch anders gemotiveerd."


def test_an_empty_new_note_adds_nothing(s):
    """Issue 11: a note left empty on the laptop, where the database has none, adds no row."""
    plan, f = _one(s, make_return(s, s.members[0], notes=[note(s, 0, "")]))
    assert f.items[0].outcome is Outcome.UNCHANGED
    apply_import(s.ctx, plan, {})
    with s.ctx.db.session() as session:
        assert session.scalars(select(MemberNote)).all() == []


@pytest.mark.parametrize("choice", [DATABASE, PACKAGE])
def test_conflict_is_shown_side_by_side_and_the_secretary_chooses(s, choice):
    """Issue 11: changed on the server and on the laptop since the package: a conflict with both sides; nothing
    is written before the choice; then the chosen side is in the database."""
    a = s.members[0]
    base = server_assessment(s, a, answers={"region_established": "nee"})
    server = assessments.save_answers(a.ctx, base.id, {"region_established": "ja", "region_municipality": "Velsen"}, base.version)
    path = make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS, base=base.version)])
    plan, f = _one(s, path)
    (item,) = plan.conflicts
    assert item.outcome is Outcome.CONFLICT and item.title == "Org 00000001"
    assert item.database.answers == {"region_established": "ja", "region_municipality": "Velsen"}
    assert item.package.answers == DRAFT_ANSWERS
    assert item.database.state == item.package.state == "draft"
    assert item.database.at is not None and item.package.at is not None and item.package.advice is not None
    before = row_counts(s.ctx.db)
    with pytest.raises(DomainError, match="Kies eerst bij 1 conflict"):
        apply_import(s.ctx, plan, {})
    assert row_counts(s.ctx.db) == before
    apply_import(s.ctx, plan, {item.key: choice})
    row = _row(s, a)
    if choice == DATABASE:
        assert (row.answers, row.version) == (server.answers, server.version)
    else:
        assert (row.answers, row.version) == (DRAFT_ANSWERS, server.version + 1)


def test_notes_follow_the_same_rules(s):
    """Issue 11: a note changed only on the laptop is updated; one changed on both sides is a conflict."""
    a, b = s.members
    with UnitOfWork(s.ctx) as uow:
        uow.session.add_all([MemberNote(application_id=s.apps[0], user_id=a.user_id, text="oud"),
                             MemberNote(application_id=s.apps[1], user_id=a.user_id, text="oud")])
        uow.commit()
    with UnitOfWork(s.ctx) as uow:  # changed on the server since the package (version 1)
        uow.session.scalars(select(MemberNote).where(MemberNote.application_id == s.apps[1])).one().text = "server"
        uow.commit()
    path = make_return(s, a, notes=[note(s, 0, "laptop 0", base=1), note(s, 1, "laptop 1", base=1)])
    plan, f = _one(s, path)
    assert [i.outcome for i in f.items] == [Outcome.UPDATED, Outcome.CONFLICT]
    assert (f.items[1].database.text, f.items[1].package.text) == ("server", "laptop 1")
    apply_import(s.ctx, plan, {f.items[1].key: PACKAGE})
    with s.ctx.db.session() as session:
        texts = dict(session.execute(select(MemberNote.application_id, MemberNote.text)).all())
    assert texts == {s.apps[0]: "laptop 0", s.apps[1]: "laptop 1"}


def test_declarations_already_made_or_after_a_vote_are_reported_not_added(db, tmp_path):
    """Issue 11: a declaration already recorded, or on an item the member already voted on, is reported and not
    added; in a closed meeting none is added."""
    s = scenario(db, tmp_path, n_members=3)
    for seat, m in zip(Seat, s.members):
        commission.appoint(s.ctx, m.member_id, seat, dt.date(2026, 1, 1))
    choose_chair(s.ctx, s.meeting_id)  # issue 13: the agenda is set with a chair who holds a seat
    step(s.ctx, s.meeting_id, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in s.members:
        meeting_attendance.set_attendance(s.ctx, s.meeting_id, m.member_id, Attendance.PRESENT)
    a, b = s.members[:2]
    item0, item1 = agenda_item_of(s, 0), agenda_item_of(s, 1)
    meeting_attendance.declare_conflict(a.ctx, item0, a.member_id, "Al gemeld")
    meeting_votes.record_vote(s.ctx, item1, a.member_id, VoteChoice.FOR)
    path = make_return(s, a, declarations=[declaration(item0), declaration(item1)])
    plan, f = _one(s, path)
    assert [(i.outcome, i.detail) for i in f.items] == [
        (Outcome.ALREADY, "Voor dit lid is al belangenverstrengeling gemeld bij dit agendapunt."),
        (Outcome.SKIPPED, "Het lid heeft al gestemd over dit agendapunt.")]
    report = apply_import(s.ctx, plan, {})
    assert len(report.files[0].skipped) == 2
    with s.ctx.db.session() as session:
        assert session.scalars(select(ConflictRecord.reason)).all() == ["Al gemeld"]
    with UnitOfWork(s.ctx) as uow:  # the meeting is closed (as closing would leave it)
        uow.session.get(Meeting, s.meeting_id).status = MeetingStatus.CLOSED
        uow.commit()
    path = make_return(s, b, declarations=[declaration(item0)])
    plan, f = _one(s, path)
    assert (f.items[0].outcome, f.items[0].detail) == (Outcome.SKIPPED, "De vergadering is gesloten.")


def test_application_taken_off_the_agenda_is_skipped_and_reported(s):
    """Issue 11: work on an application no longer on the meeting's agenda is skipped, the rest is imported."""
    a = s.members[0]
    meeting_agenda.remove_item(s.ctx, agenda_item_of(s, 1))
    path = make_return(s, a, assessments=[assessment(s, 0), assessment(s, 1)])
    plan, f = _one(s, path)
    assert [i.outcome for i in f.items] == [Outcome.NEW, Outcome.SKIPPED]
    assert "niet meer op de agenda" in f.items[1].detail
    report = apply_import(s.ctx, plan, {})
    assert report.files[0].counts == {"new": 1, "skipped": 1}
    assert _row(s, a, 0) is not None and _row(s, a, 1) is None


def test_a_form_this_database_did_not_adopt_refuses_the_file(s):
    """Issue 11: an assessment on a form version that is not adopted here refuses the whole file, in Dutch."""
    f = _refused(s, make_return(s, s.members[0], assessments=[assessment(s, 0), assessment(s, 1, form_id=uuid.uuid4())]),
                 Refusal.DAMAGED)
    assert "formulier dat in deze database niet is vastgesteld" in f.message


def test_a_final_assessment_must_be_complete(s):
    """Issue 11: a final assessment with an incomplete form is refused (as save_answers refuses it)."""
    f = _refused(s, make_return(s, s.members[0], assessments=[assessment(s, 0, DRAFT_ANSWERS, state="final")]),
                 Refusal.DAMAGED)
    assert "verplicht" in f.message


# --- replays and order ----------------------------------------------------------------------------

def test_the_same_file_twice_changes_nothing(s):
    """Issue 11: importing a return again is reported as 'al ingelezen' and writes no row."""
    path = make_return(s, s.members[0], assessments=[assessment(s)])
    _import(s, path)
    f = _refused(s, path, Refusal.ALREADY_IMPORTED)
    assert f.status == "already" and "al ingelezen" in f.message


def test_an_older_return_after_a_newer_one_is_refused(s):
    """Issue 11: return 1 after return 2 of the same member and package does not win."""
    a = s.members[0]
    older = make_return(s, a, assessments=[assessment(s, 0, {"region_established": "nee"})], sequence=1)
    newer = make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS)], sequence=2)
    _import(s, newer)
    _refused(s, older, Refusal.OLDER_THAN_IMPORTED)
    assert _row(s, a).answers == DRAFT_ANSWERS


def test_a_later_return_builds_on_the_earlier_one_without_a_conflict(s):
    """Issue 11: the laptop's second return (same base version as the first) updates what the first imported,
    without a conflict with the member's own earlier return."""
    a = s.members[0]
    _import(s, make_return(s, a, assessments=[assessment(s, 0, {"region_established": "nee"})], notes=[note(s)]))
    plan, f = _one(s, make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS)],
                                  notes=[note(s, 0, "Beter.")], sequence=2))
    assert [i.outcome for i in f.items] == [Outcome.UPDATED, Outcome.UPDATED]
    apply_import(s.ctx, plan, {})
    assert _row(s, a).answers == DRAFT_ANSWERS


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_two_returns_of_one_member_in_one_batch_apply_in_sequence_order(s, order):
    """Issue 11: two returns of the same member imported together are applied in sequence order, whatever the
    order of the files; both are recorded."""
    a, b = s.members
    files = [make_return(s, a, assessments=[assessment(s, 0, {"region_established": "nee"})], sequence=1),
             make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS)], sequence=2)]
    other = make_return(s, b, assessments=[assessment(s, 1)])
    plan, report = _import(s, *[files[i] for i in order], other)
    assert [f.status for f in plan.files] == ["ready"] * 3
    assert _row(s, a).answers == DRAFT_ANSWERS and _row(s, b, 1) is not None
    with s.ctx.db.session() as session:
        assert sorted(session.scalars(select(ReviewReturn.sequence).where(ReviewReturn.user_id == a.user_id))) == [1, 2]


def test_several_files_each_get_their_own_result(s):
    """Issue 11: in one batch a refused file is reported with its reason and the others are imported."""
    a, b = s.members
    good = make_return(s, a, assessments=[assessment(s)])
    bad = make_return(s, b, assessments=[assessment(s)], signer=None)
    plan, report = _import(s, good, bad)
    assert [f.status for f in plan.files] == ["ready", "refused"]
    assert plan.files[1].refusal.reason is Refusal.UNSIGNED and "niet ondertekend" in plan.files[1].message
    assert [r.member_name for r in report.files] == ["Lid A"]
    assert _row(s, a) is not None and _row(s, b) is None


def test_database_changed_after_the_plan_writes_nothing(s):
    """Issue 11: when the assessment changes between preparing and applying, the import stops with the stale
    edit message and writes nothing."""
    a = s.members[0]
    base = server_assessment(s, a, answers={"region_established": "nee"})
    plan, f = _one(s, make_return(s, a, assessments=[assessment(s, 0, DRAFT_ANSWERS, base=base.version)],
                                  notes=[note(s, 1)]))
    assessments.save_answers(a.ctx, base.id, {"region_established": "ja"}, base.version)
    before = row_counts(s.ctx.db)
    with pytest.raises(StaleEditError):
        apply_import(s.ctx, plan, {})
    assert row_counts(s.ctx.db) == before


def test_only_the_secretary_imports(s):
    """Issue 11: a member may not import return packages (the refusal is the permission message)."""
    with pytest.raises(PermissionDeniedError):
        prepare_import(s.members[0].ctx, [make_return(s, s.members[0])])


# --- refusals --------------------------------------------------------------------------------------

def test_refused_unsigned(s):
    """Issue 11: an unsigned return is refused."""
    _refused(s, make_return(s, s.members[0], assessments=[assessment(s)], signer=None), Refusal.UNSIGNED)


def test_refused_other_database(s):
    """Issue 11: a return of a package of another database is refused."""
    _refused(s, make_return(s, s.members[0], assessments=[assessment(s)], database_id=uuid.uuid4()),
             Refusal.OTHER_DATABASE)


def test_refused_unknown_package(s):
    """Issue 11: a return of a package this database never made is refused."""
    _refused(s, make_return(s, s.members[0], assessments=[assessment(s)], package_id=uuid.uuid4()),
             Refusal.UNKNOWN_PACKAGE)


def test_refused_other_meeting(s):
    """Issue 11: a return that names another meeting than its package's, or than the one being imported for,
    is refused."""
    a = s.members[0]
    _refused(s, make_return(s, a, assessments=[assessment(s)], meeting_id=uuid.uuid4()), Refusal.OTHER_MEETING)
    _refused(s, make_return(s, a, assessments=[assessment(s)]), Refusal.OTHER_MEETING, meeting_id=uuid.uuid4())


def test_refused_signed_by_another_members_key(s):
    """Issue 11: member A's return signed with member B's laptop key is refused; so is A's return claimed for B
    (signed by A) and a return for a member the package was not made for."""
    a, b = s.members
    f = _refused(s, make_return(s, a, assessments=[assessment(s)], signer=b.laptop), Refusal.WRONG_SIGNER)
    assert "Lid A" in f.message
    _refused(s, make_return(s, a, assessments=[assessment(s)], user_id=b.user_id, package_id=s.packages[b.user_id]),
             Refusal.WRONG_SIGNER)
    _refused(s, make_return(s, a, assessments=[assessment(s)], package_id=s.packages[b.user_id]), Refusal.WRONG_SIGNER)


def test_refused_member_without_registered_key_names_the_fingerprint(s):
    """Issue 11: a member without a registered key (the passphrase first contact): refused with the fingerprint of
    the key that signed, so the secretary can compare it and register the key; afterwards it imports."""
    from commissie_app.services.review_import import key_tail, signer_fingerprint

    a = s.members[0]
    register_member_key(s.ctx, a.user_id, "")
    path = make_return(s, a, assessments=[assessment(s)])
    f = _refused(s, path, Refusal.UNKNOWN_SIGNER)
    verify = a.laptop.public().verify_key
    assert signer_fingerprint(verify) in f.message and key_tail(verify) in f.message
    assert a.laptop.public().text().endswith(":" + key_tail(verify))
    register_member_key(s.ctx, a.user_id, a.laptop.public().text())
    _import(s, path)
    assert _row(s, a) is not None


def test_refused_revoked(s):
    """Issue 11: a return of a revoked package (lost laptop) is refused."""
    from commissie_app.db.models import ReviewPackage

    a = s.members[0]
    with UnitOfWork(s.ctx) as uow:
        row = uow.session.get(ReviewPackage, s.packages[a.user_id])
        row.revoked_at, row.revoked_by, row.revoke_reason = s.ctx.now(), "Sanne Secretaris", "laptop verloren"
        uow.commit()
    f = _refused(s, make_return(s, a, assessments=[assessment(s)]), Refusal.REVOKED)
    assert "ingetrokken" in f.message and "laptop verloren" in f.message


def test_refused_expired(s):
    """Issue 11: a return of a package past its expiry date (the meeting's date plus the rule's days) is refused."""
    from commissie_app.db.models import ReviewPackage

    a = s.members[0]
    with s.ctx.db.session() as session:
        expires_on = session.get(ReviewPackage, s.packages[a.user_id]).expires_on
    assert expires_on == dt.date(2026, 12, 1) + dt.timedelta(days=s.ctx.rules.review_package_days)
    path = make_return(s, a, assessments=[assessment(s)])
    _refused(s, path, Refusal.EXPIRED, today=expires_on + dt.timedelta(days=1))
    assert _one(s, path, today=expires_on)[1].status == "ready"


def test_refused_not_for_the_commission(s):
    """Issue 11: a return encrypted to another key than the commission's is refused."""
    _refused(s, make_return(s, s.members[0], recipients=[KeyPair.generate().public()]), Refusal.NOT_FOR_THIS_KEY)


def test_unreadable_file_is_refused_in_dutch(s, tmp_path):
    """Issue 11: a missing file is reported per file, in Dutch."""
    f = _refused(s, tmp_path / "weg.kipretour", Refusal.NOT_A_PACKAGE)
    assert "weg.kipretour" in f.message


def test_no_adopted_form_left_behind(s):
    """Issue 11: the plan is read-only: preparing an import writes no row."""
    before = row_counts(s.ctx.db)
    prepare_import(s.ctx, [make_return(s, s.members[0], assessments=[assessment(s)])])
    assert row_counts(s.ctx.db) == before
    with s.ctx.db.session() as session:
        assert session.scalars(select(AssessmentForm.id)).all() == [s.form_id]


# --- the command line -----------------------------------------------------------------------------

def _cli(s, *args):
    from commissie_app.cli import main

    return main(["review", "import", *map(str, args), "--db", s.ctx.db.url, "--als", "Sanne Secretaris"])


def test_cli_imports_and_reports_per_file(s, capsys):
    """Issue 11: `review import` prints per file what happened, in Dutch; a refused file exits 1 with its reason
    while the other file is imported; the same file again says 'al ingelezen'."""
    a, b = s.members
    good = make_return(s, a, assessments=[assessment(s)], notes=[note(s)])
    bad = make_return(s, b, assessments=[assessment(s)], database_id=uuid.uuid4())
    assert _cli(s, good, bad) == 1
    out = capsys.readouterr().out
    assert "nieuw: beoordeling Org 00000001" in out and "nieuw: notitie Org 00000001" in out
    assert "geweigerd: Het pakket is voor een andere database gemaakt dan deze." in out
    assert "Lid A: nieuw: 2" in out
    assert _row(s, a) is not None and _row(s, b) is None
    assert _cli(s, good) == 0
    assert "al ingelezen" in capsys.readouterr().out


@pytest.mark.parametrize("choice", [None, "database", "pakket"])
def test_cli_conflicts_need_a_choice(s, capsys, choice):
    """Issue 11: with a conflict and no --kies the conflicts are listed (database side and package side) and
    nothing of that file is written (exit 2); with --kies the chosen side is stored."""
    a = s.members[0]
    base = server_assessment(s, a, answers={"region_established": "nee"})
    server = assessments.save_answers(a.ctx, base.id, {"region_established": "ja"}, base.version)
    path = make_return(s, a, assessments=[assessment(s, 0, COMPLETE, state="final", base=base.version)])
    before = row_counts(s.ctx.db)
    code = _cli(s, path, *(["--kies", choice] if choice else []))
    out = capsys.readouterr().out
    assert "conflict: beoordeling van Org 00000001" in out
    assert "database: concept, 1 antwoord" in out and "pakket:   definitief, 14 antwoorden" in out
    if choice is None:
        assert code == 2 and "niets ingelezen" in out
        assert row_counts(s.ctx.db) == before
    else:
        assert code == 0
        row = _row(s, a)
        assert row.answers == (server.answers if choice == "database" else COMPLETE)


# --- round trip with the laptop's workspace -------------------------------------------------------

def test_round_trip_export_review_on_the_laptop_return_import(s):
    """Issue 11: export, open on the laptop, assess (one final on the server's draft, one new), declare a conflict,
    write a note, return, import: the database holds the work exactly as made on the laptop, with its form
    version; the audit trail names the member and the package; the same return again changes nothing."""
    from commissie_app.services.laptop_keys import laptop_public_key
    from commissie_app.services.review_export import export_package
    from commissie_app.services.review_workspace import open_package

    a = s.members[0]
    server = server_assessment(s, a, answers={"region_established": "nee"})
    register_member_key(s.ctx, a.user_id, laptop_public_key().text())  # this test's home is the laptop
    made = export_package(s.ctx, s.meeting_id, [a.user_id], s.tmp / "lid-a")
    ws = open_package(made.path)
    ws.save_assessment(s.apps[0], COMPLETE, final=True)
    ws.save_assessment(s.apps[1], DRAFT_ANSWERS)
    ws.declare_conflict(s.apps[1], "Adviseur van de organisatie geweest.")
    ws.save_note(s.apps[0], "Jaarrekening 2025 opvragen.")
    path = ws.make_return(s.tmp / "terug")

    plan, f = _one(s, path)
    assert [(i.kind, i.outcome) for i in f.items] == [
        ("assessment", Outcome.UPDATED), ("assessment", Outcome.NEW), ("note", Outcome.NEW),
        ("declaration", Outcome.NEW)]
    apply_import(s.ctx, plan, {})
    first, second = _row(s, a, 0), _row(s, a, 1)
    assert (first.id, first.answers, first.state, first.form_id) == (server.id, COMPLETE, "final", s.form_id)
    assert (second.answers, second.state, second.form_id, second.assessor) == (DRAFT_ANSWERS, "draft", s.form_id,
                                                                               "Lid A")
    with s.ctx.db.session() as session:
        assert session.scalars(select(MemberNote.text)).all() == ["Jaarrekening 2025 opvragen."]
        assert session.scalars(select(ConflictRecord.reason)).all() == ["Adviseur van de organisatie geweest."]
        event = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "review_package",
                                                         AuditEvent.action == "review_import")).one()
    assert (event.entity_id, event.new_values["member"]) == (str(made.package_id), "Lid A")
    assert _one(s, path)[1].status == "already"


def test_first_contact_by_passphrase_needs_the_key_registered_after_comparing(s):
    """Issue 11: a package locked with a passphrase (the member's key not registered yet) comes back signed by
    the laptop: refused with the fingerprint the laptop shows under "Mijn sleutel" and the key line to register;
    once the secretary registers that key it imports."""
    from commissie_app.services.laptop_keys import laptop_public_key
    from commissie_app.services.review_export import export_package
    from commissie_app.services.review_workspace import open_package

    a = s.members[0]
    register_member_key(s.ctx, a.user_id, "")
    made = export_package(s.ctx, s.meeting_id, [a.user_id], s.tmp / "eerste", passphrase="een lange zin als wachtwoord")
    ws = open_package(made.path, passphrase="een lange zin als wachtwoord")
    ws.save_assessment(s.apps[0], DRAFT_ANSWERS)
    path = ws.make_return(s.tmp / "terug")
    f = _refused(s, path, Refusal.UNKNOWN_SIGNER)
    laptop = laptop_public_key()
    assert laptop.fingerprint() in f.message and laptop.text() in f.message
    register_member_key(s.ctx, a.user_id, laptop_public_key().text())
    _import(s, path)
    assert _row(s, a).answers == DRAFT_ANSWERS
