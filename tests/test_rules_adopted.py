"""The commission's rules live in the database: adopted from a rules file, the same on every machine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from commissie_app.cli import main
from commissie_app.db.models import AuditEvent, RuleSet
from commissie_app.domain.codes import Criterion, Role
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.rules import RULES_FILE, Rules, load_rules
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from commissie_app.services.rules import adopt_rules, rules_in_force
from commissie_app.services.uow import UnitOfWork
from tests.conftest import make_ctx
from tests.test_meetings_service import app_item, complete_app, open_meeting, seat_members


def rules_file(folder, body: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rules.toml"
    path.write_text(body, encoding="utf-8")
    return path


def other_machine(db, forms_dir, code: str) -> str:
    """Run ``code`` as another machine would: its own process, its own forms folder (COMMISSIE_FORMS_DIR)
    and its own service context on the same database (``ctx``), signed in as the secretary."""
    make_ctx(db)  # the secretary's user record
    prelude = ("import sys\nfrom commissie_app.db.engine import Database\n"
               "from commissie_app.services.context import ServiceContext\n"
               "from commissie_app.services.users import sign_in\n"
               "ctx = ServiceContext(Database(sys.argv[1]))\nsign_in(ctx, 'Sanne Secretaris')\n")
    done = subprocess.run([sys.executable, "-c", prelude + code, db.url], capture_output=True, text=True,
                          env=dict(os.environ, COMMISSIE_FORMS_DIR=str(forms_dir)), timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def meeting_with_present(ctx, n_present: int):
    """An open meeting with one application and ``n_present`` of the five members present."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, [complete_app(ctx)])
    for n, m in enumerate(members):  # the others absent: a meeting closes with everyone's attendance recorded
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT if n < n_present else Attendance.ABSENT)
    return members, mid, app_item(ctx, mid)


def audit_of_rules(ctx) -> list[AuditEvent]:
    with UnitOfWork(ctx) as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "rule_set")
                                        .order_by(AuditEvent.at)))


def test_a_new_database_adopts_the_first_machines_rules_once_and_every_machine_applies_them(db, tmp_path):
    """Issue 10: two machines with different local rules files on one database apply the same quorum:
    the rules file of the machine that first needs the rules is adopted; the other machine's file is not
    silently applied (before, each machine read its own file on every call)."""
    machine_b = tmp_path / "machine-b"
    rules_file(machine_b, "[meeting]\nquorum_seats = 4\n")
    assert other_machine(db, machine_b, "print(ctx.rules.quorum_seats)") == "4"

    a = make_ctx(db)  # this machine's own file is the shipped one: quorum 3
    assert a.rules.quorum_seats == 4
    members, mid, item = meeting_with_present(a, 3)
    with pytest.raises(DomainError, match="geen quorum"):
        meeting_votes.record_vote(a, item.id, members[0], VoteChoice.FOR)
    assert rules_in_force(a).version == 1


def test_a_machine_whose_file_differs_votes_under_the_adopted_quorum(db, tmp_path):
    """Issue 10: the rules adopted first (the shipped quorum 3) hold on a machine whose own file says 4:
    it records a vote with three members present."""
    a = make_ctx(db)
    members, mid, item = meeting_with_present(a, 3)
    assert a.rules.quorum_seats == 3
    machine_b = tmp_path / "machine-b"
    rules_file(machine_b, "[meeting]\nquorum_seats = 4\n")
    out = other_machine(db, machine_b, (
        "import uuid\nfrom commissie_app.services import meeting_votes\nfrom commissie_app.domain.voting import VoteChoice\n"
        f"meeting_votes.record_vote(ctx, uuid.UUID('{item.id}'), uuid.UUID('{members[1]}'), VoteChoice.FOR)\n"
        "print(ctx.rules.quorum_seats)"))
    assert out == "3"
    assert app_item(a, mid).tally.votes_for == 1


def test_adopting_a_new_rules_file_changes_the_quorum_for_both_machines_and_is_audited(db, tmp_path):
    """Issue 10: rules adopted on one machine hold on the other at its next use, without a restart; the
    adoption is in the log with who did it and the old and new values."""
    a = make_ctx(db, "Sanne Secretaris")
    b = make_ctx(db, "Vera Voorzitter")
    members, mid, item = meeting_with_present(a, 3)
    meeting_votes.record_vote(b, item.id, members[0], VoteChoice.FOR)  # quorum 3: both machines agree
    assert (a.rules.quorum_seats, b.rules.quorum_seats) == (3, 3)

    adopted, changed = adopt_rules(a, rules_file(tmp_path / "new", "[meeting]\nquorum_seats = 4\n"))
    assert changed and (adopted.version, adopted.adopted_by, adopted.rules.quorum_seats) == (2, "Sanne Secretaris", 4)
    with pytest.raises(DomainError, match="geen quorum"):
        meeting_votes.record_vote(b, item.id, members[1], VoteChoice.FOR)
    assert (a.rules.quorum_seats, b.rules.quorum_seats) == (4, 4)
    assert rules_in_force(b).adopted_by == "Sanne Secretaris"

    events = audit_of_rules(a)
    assert [(e.actor, e.action, e.new_values["automatic"]) for e in events] == [
        ("Sanne Secretaris", "adopt", True), ("Sanne Secretaris", "adopt", False)]
    assert (events[1].old_values["quorum_seats"], events[1].new_values["quorum_seats"]) == (3, 4)
    assert events[1].new_values["version"] == 2 and events[1].new_values["file"].endswith("rules.toml")


def test_a_broken_rules_file_is_refused_in_dutch_and_the_adopted_rules_stay(db, tmp_path):
    """Issue 10: a rules file with problems is refused, naming each problem; nothing is adopted or logged."""
    ctx = make_ctx(db)
    before = rules_in_force(ctx)
    bad = rules_file(tmp_path / "bad", "[meeting]\nquorum_seats = 6\ntie_outcome = 'toegekend'\n")
    with pytest.raises(DomainError) as err:
        adopt_rules(ctx, bad)
    message = str(err.value)
    assert message.startswith(f"Fouten in {bad}:")
    assert "quorum_seats moet tussen 1 en 5 liggen" in message and "tie_outcome moet" in message
    unreadable = rules_file(tmp_path / "unreadable", "[meeting\n")
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        adopt_rules(ctx, unreadable)
    with pytest.raises(DomainError, match="geheel getal"):
        adopt_rules(ctx, rules_file(tmp_path / "word", "[meeting]\nquorum_seats = 'drie'\n"))
    assert rules_in_force(ctx) == before and ctx.rules == load_rules()  # the shipped file's
    assert len(audit_of_rules(ctx)) == 1  # only the first adoption of the shipped file


def test_the_same_rules_again_adopt_nothing(db, tmp_path):
    """Issue 10: adopting a file whose values equal the rules in force makes no new version."""
    ctx = make_ctx(db)
    first = rules_in_force(ctx)
    shipped = RULES_FILE.read_text(encoding="utf-8")  # the values in force, written otherwise (issue 15: with [evidence])
    same = rules_file(tmp_path / "same", "# another comment\n" + shipped.replace("quorum_seats = 3", "quorum_seats = 3  # 3 of 5"))
    adopted, changed = adopt_rules(ctx, same)
    assert not changed and adopted == first and len(audit_of_rules(ctx)) == 1


def test_decisions_taken_keep_what_the_rules_gave_them(db, tmp_path):
    """Issue 10: a rules change affects only decisions made afterwards (kenmerk, badge end stay)."""
    ctx = make_ctx(db)
    members, mid, item = meeting_with_present(ctx, 5)
    for m in members:
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    kenmerk = meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    old = app_item(ctx, mid).decision
    adopt_rules(ctx, rules_file(tmp_path / "new", "[recognition]\nbadge_validity_months = 12\n"
                                                  "[decision]\nkenmerk_pattern = 'CSI-{jaar}-{volgnummer}'\n"))
    assert kenmerk == "KIP-2026-001"
    assert app_item(ctx, mid).decision == old
    assert old.badge_valid_until == dt.date(2028, 11, 30)  # 24 months from 1 December 2026
    second = complete_app(ctx, "22222222")
    meeting_agenda.add_application_items(ctx, mid, [second])
    new_item = app_item(ctx, mid, 1)
    for m in members:
        meeting_votes.record_vote(ctx, new_item.id, m, VoteChoice.FOR)
    assert meeting_votes.record_decision(ctx, new_item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30]) == "CSI-2026-2"
    assert app_item(ctx, mid, 1).decision.badge_valid_until == dt.date(2027, 11, 30)


def test_an_adopted_rule_set_cannot_be_changed_in_the_database(db):
    """Issue 10: the database itself refuses to change or delete adopted rules (a new version replaces them)."""
    ctx = make_ctx(db)
    assert ctx.rules.quorum_seats == 3
    for sql in ("UPDATE rule_sets SET version = 7", "DELETE FROM rule_sets"):
        with pytest.raises(DBAPIError, match="vastgestelde regels kunnen niet worden gewijzigd"):
            with db.engine.begin() as conn:
                conn.execute(text(sql))
    assert rules_in_force(ctx).version == 1


def test_a_context_with_given_rules_uses_them_and_leaves_the_database_alone(db):
    """Issue 10: a test (or a fixed moment) passes rules to the context; nothing is read or adopted."""
    ctx = dataclasses.replace(make_ctx(db), rules=Rules(quorum_seats=2))
    members, mid, item = meeting_with_present(ctx, 2)
    meeting_votes.record_vote(ctx, item.id, members[0], VoteChoice.FOR)  # two present: enough under these rules
    with UnitOfWork(ctx) as uow:
        assert uow.session.scalars(select(RuleSet)).all() == []


def test_the_cli_shows_and_adopts_rules(sqlite_db, tmp_path, capsys):
    """Issue 10: ``commissie-app rules show`` and ``rules adopt FILE``; a broken file exits 1 in Dutch."""
    url = sqlite_db.url
    als = ["--db", url, "--als", "Sanne Secretaris"]  # the first user of a database is its secretary
    assert main(["rules", "show", *als]) == 0
    out = capsys.readouterr().out
    assert "Regels versie 1, vastgesteld op" in out and "Quorum: 3 van de 5 zetels aanwezig" in out
    path = rules_file(tmp_path / "new", "[meeting]\nquorum_seats = 4\n")
    assert main(["rules", "adopt", str(path), *als]) == 0
    out = capsys.readouterr().out
    assert "Regels versie 2" in out and f"(uit {path})" in out and "Quorum: 4 van de 5" in out
    assert main(["rules", "adopt", str(path), *als]) == 0
    assert "er is niets vastgesteld" in capsys.readouterr().out
    bad = rules_file(tmp_path / "bad", "[meeting]\nquorum_seats = 0\n")
    assert main(["rules", "adopt", str(bad), *als]) == 1
    assert "quorum_seats moet tussen 1 en 5 liggen" in capsys.readouterr().err
    assert make_ctx(sqlite_db).rules.quorum_seats == 4
    member = make_ctx(sqlite_db, "Lies Lid", Role.MEMBER)
    with pytest.raises(PermissionDeniedError):  # adopting rules is the secretary's
        adopt_rules(member, path)
    assert main(["rules", "adopt", str(bad), "--db", url, "--als", "Lies Lid"]) == 1
    assert "mag u niet formulierversies en regels vaststellen" in capsys.readouterr().err


def test_opening_the_app_does_not_read_the_rules(sqlite_db):
    """Issue 10 / issue 8: the rules are read on first use, not while the list is being shown."""
    from commissie_app.bootstrap import open_for_app
    from commissie_app.settings import LocalSettings

    ctx, rows = open_for_app(sqlite_db.url, LocalSettings(), with_rows=True)
    try:
        with UnitOfWork(ctx) as uow:
            assert uow.session.scalars(select(RuleSet)).all() == []
        assert ctx.rules.quorum_seats == 3
        with UnitOfWork(ctx) as uow:
            assert len(uow.session.scalars(select(RuleSet)).all()) == 1
    finally:
        ctx.db.dispose()


def test_the_advice_on_an_assessment_follows_the_adopted_grace_period(db, tmp_path):
    """Issue 10: an assessment's advice uses the rules adopted in the database (a startup founded 14 months
    ago is within the shipped 24 months, not within 12 adopted later)."""
    from commissie_app.domain.codes import Criterion
    from commissie_app.domain.form_model import AdviceOutcome
    from commissie_app.services import assessments
    from commissie_app.services.applications import register_application
    from commissie_app.services.attachments import add_attachment
    from tests.factories import app_data, org_data

    ctx = make_ctx(db)
    app_id = register_application(ctx, org_data(), app_data(Criterion.STARTUP))
    kvk = add_attachment(ctx, app_id, "kvk.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    answers = {"region_established": "ja", "crit_startup": "ja", "startup_founded_on": "01-09-2025",
               "crit_startup_evidence": str(kvk), "mission_primary": "ja"}
    a = assessments.get_or_create_assessment(ctx, app_id)
    a = assessments.save_answers(ctx, a.id, answers, a.version)
    assert a.advice is AdviceOutcome.CONDITIONAL_GRANT
    adopt_rules(ctx, rules_file(tmp_path / "new", "[recognition]\ngrace_period_months = 12\n"))
    a = assessments.save_answers(ctx, a.id, answers, a.version)
    assert a.advice is AdviceOutcome.REJECT and "meer dan 12 maanden geleden" in a.advice_reason


def test_a_closed_meeting_is_judged_by_the_rules_in_force_when_it_closed(db, tmp_path):
    """Issue 10: raising the quorum later does not turn a meeting closed with three seats present into a
    broken record: its view, warnings, minutes' quorum and corrections keep the rules it was held under;
    an open meeting follows the new rules."""
    ctx = make_ctx(db)
    members, mid, item = meeting_with_present(ctx, 3)
    for m in members[:3]:
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    adopt_rules(ctx, rules_file(tmp_path / "new", "[meeting]\nquorum_seats = 4\n"))

    detail = meeting_detail.get_meeting(ctx, mid)
    assert detail.problems == () and detail.rules.quorum_seats == 3
    assert mid not in meeting_planning.record_problems(ctx)
    meeting_corrections.correct_vote(ctx, item.id, members[2], VoteChoice.ABSTAIN, reason="Verkeerd genoteerd")
    assert app_item(ctx, mid).tally.votes_for == 2

    other = open_meeting(ctx, [complete_app(ctx, "22222222")], day=dt.datetime(2026, 12, 15, 14, 0))
    for m in members[:3]:
        meeting_attendance.set_attendance(ctx, other, m, Attendance.PRESENT)
    assert meeting_detail.get_meeting(ctx, other).rules.quorum_seats == 4
    with pytest.raises(DomainError, match="geen quorum"):
        meeting_votes.record_vote(ctx, app_item(ctx, other).id, members[0], VoteChoice.FOR)
