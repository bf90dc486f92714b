"""The register of recognitions (issue 12): status, badge cap, follow-up applications decided in meetings,
renewal, withdrawal, history; SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from commissie_app.domain import recognition as rrules
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import DomainError
from commissie_app.domain.recognition import (
    Purpose,
    RecognitionDates,
    RecognitionEvent,
    RecognitionKind,
    RecognitionStatus,
)
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import assessments, commission, meeting_attendance, meeting_planning, meeting_votes
from commissie_app.services import recognitions
from tests.factories import app_data, deferral, org_data
from tests.test_meetings_service import app_item, open_meeting
from tests.test_meetings_service import seat_members as meeting_seat_members

TODAY = dt.date(2026, 11, 23)
RULES = Rules()  # reminder_months = 3: the window runs to 23 February 2027


# ---------------------------------------------------------------- status (pure)


@pytest.mark.parametrize("until, certificate, kind, expected", [
    (dt.date(2026, 11, 22), None, RecognitionKind.FULL, RecognitionStatus.EXPIRED),      # ended yesterday
    (dt.date(2026, 11, 23), None, RecognitionKind.FULL, RecognitionStatus.EXPIRING),     # last day today
    (dt.date(2027, 2, 23), None, RecognitionKind.FULL, RecognitionStatus.EXPIRING),      # last day of the window
    (dt.date(2027, 2, 24), None, RecognitionKind.FULL, RecognitionStatus.RECOGNISED),    # just outside it
    (dt.date(2027, 2, 24), None, RecognitionKind.CONDITIONAL, RecognitionStatus.CONDITIONAL),
    (dt.date(2028, 1, 1), dt.date(2027, 2, 23), RecognitionKind.FULL, RecognitionStatus.EXPIRING),  # certificate
    (dt.date(2028, 1, 1), dt.date(2027, 2, 24), RecognitionKind.FULL, RecognitionStatus.RECOGNISED),
])
def test_status_at_each_boundary(until, certificate, kind, expected):
    """Issue 12: verlopen the day after the badge's last day; verloopt binnenkort from reminder_months before
    the badge's (or its certificate's) end up to that day; else erkend or voorwaardelijk erkend."""
    assert rrules.status_of(RecognitionDates(kind, until, certificate), TODAY, RULES) is expected


def test_withdrawn_wins_and_the_window_follows_the_rule():
    """Issue 12: a withdrawn recognition is 'ingetrokken' even with a valid badge; a longer reminder period
    makes an end further ahead 'verloopt binnenkort'."""
    valid = RecognitionDates(RecognitionKind.FULL, dt.date(2028, 1, 1), withdrawn_on=dt.date(2026, 11, 23))
    assert rrules.status_of(valid, TODAY, RULES) is RecognitionStatus.WITHDRAWN
    later = RecognitionDates(RecognitionKind.FULL, dt.date(2027, 5, 1))
    assert rrules.status_of(later, TODAY, RULES) is RecognitionStatus.RECOGNISED
    assert rrules.status_of(later, TODAY, Rules(reminder_months=6)) is RecognitionStatus.EXPIRING
    assert [s.label for s in RecognitionStatus] == ["erkend", "voorwaardelijk erkend", "verloopt binnenkort",
                                                    "verlopen", "ingetrokken"]


def test_badge_never_runs_past_the_certificate_without_a_reason():
    """Issue 12: the badge ends on the certificate's end date unless the commission gives a reason."""
    cert = dt.date(2027, 3, 31)
    assert rrules.capped_badge_end(dt.date(2028, 11, 30), cert) == cert
    assert rrules.capped_badge_end(dt.date(2028, 11, 30), cert, "   ") == cert
    assert rrules.capped_badge_end(dt.date(2028, 11, 30), cert, "Hercertificering loopt") == dt.date(2028, 11, 30)
    assert rrules.capped_badge_end(dt.date(2027, 1, 31), cert) == dt.date(2027, 1, 31)
    assert rrules.capped_badge_end(dt.date(2028, 11, 30), None) == dt.date(2028, 11, 30)
    assert rrules.certificate_end([(Criterion.PSO30, cert), (Criterion.BCORP, dt.date(2027, 1, 1)),
                                   (Criterion.SE_NL, None)], [Criterion.PSO30, Criterion.SE_NL]) == cert


def test_startup_is_founded_at_most_the_rules_months_before_the_application():
    """Issue 12: who counts as a startup is a rule of its own (startup_max_age_months, from the application)."""
    received = dt.date(2026, 11, 1)
    assert rrules.is_startup(dt.date(2024, 11, 1), received, RULES)
    assert not rrules.is_startup(dt.date(2024, 10, 31), received, RULES)
    assert rrules.is_startup(dt.date(2025, 11, 1), received, Rules(startup_max_age_months=12))
    assert not rrules.is_startup(dt.date(2025, 10, 31), received, Rules(startup_max_age_months=12))
    assert not rrules.is_startup(None, received, RULES)


# ---------------------------------------------------------------- through the services


def seat_members(ctx):
    """Five members on the five seats since 2024 (meetings from December 2024 on have a quorum)."""
    return meeting_seat_members(ctx, since=dt.date(2024, 1, 1))


def on(ctx, day: dt.date):
    """The same user, acting on ``day``."""
    return dataclasses.replace(ctx, today=lambda: day)


def _complete(ctx, kvk: str, *criteria: Criterion, founded=dt.date(2020, 1, 1), received=dt.date(2026, 11, 1),
              valid_until: dict | None = None):
    evidence = tuple(EvidenceData(c, reference=f"REF-{c.value}", valid_until=(valid_until or {}).get(c))
                     for c in criteria)
    app_id = apps.register_application(ctx, org_data(kvk=kvk, name=f"Org {kvk}", founded_on=founded),
                                       app_data(*criteria, received_on=received, evidence=evidence))
    _to_complete(ctx, app_id)
    return app_id


def _to_complete(ctx, app_id):
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)


def _decide(ctx, members, app_id, decision_type, *, day, votes=VoteChoice.FOR, **kwargs) -> str:
    mid = open_meeting(ctx, [app_id], day=day)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    if decision_type is not DecisionType.DEFERRED:
        for m in members:
            meeting_votes.record_vote(ctx, item.id, m, votes)
    return meeting_votes.record_decision(ctx, item.id, decision_type, "Motivering.", **kwargs)


def _only(ctx, **kw):
    (row,) = recognitions.list_register(ctx, **kw)
    return row


def test_a_grant_makes_a_recognition_with_the_criteria_found_met(ctx):
    """Issue 12: a granting decision makes a recognition with the criteria the commission found met (not all
    the criteria claimed), its kenmerk and badge dates; a rejection makes none."""
    members = seat_members(ctx)
    app_id = _complete(ctx, "10000001", Criterion.PSO30, Criterion.SE_NL)
    k = _decide(ctx, members, app_id, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14),
                criteria_met=[Criterion.SE_NL])
    row = _only(ctx)
    assert (row.kenmerk, row.criteria, row.kind) == (k, (Criterion.SE_NL,), RecognitionKind.FULL)
    assert (row.valid_from, row.valid_until, row.status) == (dt.date(2026, 12, 1), dt.date(2028, 11, 30),
                                                             RecognitionStatus.RECOGNISED)
    other = _complete(ctx, "10000002", Criterion.CODE_SO)
    _decide(ctx, members, other, DecisionType.REJECTED, day=dt.datetime(2026, 12, 8, 14), votes=VoteChoice.AGAINST)
    assert len(recognitions.list_register(ctx)) == 1


def test_criteria_default_to_the_consolidated_assessment_and_are_refused_without(ctx):
    """Issue 12: without a choice the criteria answered 'ja' in the consolidated assessment are used; without
    those a granting decision is refused with a Dutch message, and nothing is written."""
    members = seat_members(ctx)
    app_id = _complete(ctx, "10000003", Criterion.PSO30, Criterion.BCORP)
    with pytest.raises(DomainError, match="gezamenlijke beoordeling"):
        _decide(ctx, members, app_id, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14))
    assert recognitions.list_register(ctx) == []
    assert apps.get_application(ctx, app_id).status is Status.SCHEDULED
    a = assessments.get_or_create_assessment(ctx, app_id, kind=assessments.CONSOLIDATED)
    assessments.save_answers(ctx, a.id, {"crit_bcorp": "ja", "crit_pso30": "nee"}, a.version)
    assert recognitions.assessed_criteria(ctx, app_id) == (Criterion.BCORP,)
    mid = next(r.id for r in meeting_planning.list_meetings(ctx))
    meeting_votes.record_decision(ctx, app_item(ctx, mid).id, DecisionType.GRANTED, "Voldoet.")
    assert _only(ctx).criteria == (Criterion.BCORP,)


def test_the_badge_ends_with_the_certificate_unless_the_commission_gives_a_reason(ctx):
    """Issue 12: the badge never runs past the earliest end date of the certificates it rests on; with a
    reason it may, and the register shows both dates and keeps the reason."""
    members = seat_members(ctx)
    cert = dt.date(2027, 6, 30)
    a = _complete(ctx, "10000004", Criterion.PSO30, Criterion.BCORP,
                  valid_until={Criterion.PSO30: cert, Criterion.BCORP: dt.date(2027, 3, 31)})
    _decide(ctx, members, a, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.PSO30])
    row = _only(ctx)
    assert (row.valid_until, row.certificate_until) == (cert, cert)  # the B Corp date is not a criterion met
    b = _complete(ctx, "10000005", Criterion.PSO30, valid_until={Criterion.PSO30: cert})
    _decide(ctx, members, b, DecisionType.GRANTED, day=dt.datetime(2026, 12, 8, 14), criteria_met=[Criterion.PSO30],
            override_reason="Hercertificering is aangevraagd; de commissie laat de badge doorlopen.")
    row = next(r for r in recognitions.list_register(ctx) if r.origin_application_id == b)
    assert (row.valid_until, row.certificate_until) == (dt.date(2028, 12, 7), cert)
    assert "Hercertificering" in recognitions.get_recognition(ctx, row.id).override_reason


def test_a_certificate_ended_before_the_decision_is_refused(ctx):
    """Issue 12: a badge capped to a certificate that already ended is refused (nothing written)."""
    members = seat_members(ctx)
    a = _complete(ctx, "10000006", Criterion.PSO30, valid_until={Criterion.PSO30: dt.date(2026, 11, 30)})
    with pytest.raises(DomainError, match="verlopen op 30 november 2026"):
        _decide(ctx, members, a, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.PSO30])
    assert recognitions.list_register(ctx) == []


def test_a_conditional_recognition_becomes_full_through_a_follow_up_decided_in_a_meeting(ctx):
    """Issue 12: conditional -> full, end to end: a startup recognised conditionally (24 months from the
    decision); the owed evidence arrives as a follow-up application linked to the original; it is completed,
    put on the agenda, voted on and granted; the recognition is then full with a new end date, and its whole
    history stays visible."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000007", Criterion.STARTUP, founded=dt.date(2025, 2, 1))
    k1 = _decide(ctx, members, first, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
                 criteria_met=[Criterion.STARTUP])
    row = _only(ctx)
    assert (row.kind, row.status, row.conditional_deadline, row.valid_until) == (
        RecognitionKind.CONDITIONAL, RecognitionStatus.CONDITIONAL, dt.date(2028, 11, 30), dt.date(2028, 11, 30))  # issue 14
    assert recognitions.get_recognition(ctx, row.id).evidence_owed

    later = on(ctx, dt.date(2027, 3, 1))
    with pytest.raises(DomainError, match="toekomst"):
        recognitions.start_follow_up(ctx, row.id, Purpose.CONVERSION, received_on=dt.date(2027, 3, 1))
    follow = recognitions.start_follow_up(later, row.id, Purpose.CONVERSION)
    detail = apps.get_application(later, follow)
    assert (detail.purpose, detail.follow_up_of, detail.status) == (Purpose.CONVERSION, first, Status.RECEIVED)
    assert detail.application.received_on == dt.date(2027, 3, 1)
    data = dataclasses.replace(detail.application, evidence=detail.application.evidence + (
        EvidenceData(Criterion.CODE_SO, reference="CSO-2027-1"),))
    apps.update_application(later, follow, expected_version=detail.version,
                            expected_organisation_version=detail.organisation_version,
                            org=detail.organisation, app=data)
    _to_complete(later, follow)
    k2 = _decide(later, members, follow, DecisionType.GRANTED, day=dt.datetime(2027, 3, 16, 14),
                 criteria_met=[Criterion.CODE_SO])

    row = _only(ctx, today=dt.date(2027, 3, 20))
    assert (row.id, row.kind, row.status, row.kenmerk) == (row.id, RecognitionKind.FULL, RecognitionStatus.RECOGNISED,
                                                           k2)
    assert (row.criteria, row.valid_until, row.conditional_deadline) == ((Criterion.CODE_SO,), dt.date(2029, 3, 15),
                                                                         None)
    rec = recognitions.get_recognition(ctx, row.id)
    assert [(e.event, e.kenmerk, e.valid_until) for e in rec.history] == [
        (RecognitionEvent.CONDITIONAL, k1, dt.date(2028, 11, 30)), (RecognitionEvent.CONVERTED, k2, dt.date(2029, 3, 15))]
    assert [f.application_id for f in rec.follow_ups] == [follow]
    assert apps.get_application(ctx, follow).status is Status.DECIDED


def test_renewal_before_the_end_continues_the_badge(ctx):
    """Issue 12: a renewal decided before the end date continues the badge from the day after it ends;
    a second follow-up while one is in progress is refused."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000008", Criterion.PSO30, received=dt.date(2024, 11, 1))
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2024, 12, 3, 14), criteria_met=[Criterion.PSO30])
    row = _only(ctx)
    assert row.valid_until == dt.date(2026, 12, 2) and row.status is RecognitionStatus.EXPIRING
    assert [r.id for r in recognitions.due_for_reassessment(ctx)] == [row.id]
    renewal = recognitions.start_follow_up(ctx, row.id, Purpose.RENEWAL, received_on=dt.date(2026, 11, 2))
    assert recognitions.due_for_reassessment(ctx) == []  # a follow-up is in progress
    with pytest.raises(DomainError, match="loopt al een vervolgaanvraag"):
        recognitions.start_follow_up(ctx, row.id, Purpose.REASSESSMENT)
    _to_complete(ctx, renewal)
    _decide(ctx, members, renewal, DecisionType.GRANTED, day=dt.datetime(2026, 11, 24, 14),
            criteria_met=[Criterion.PSO30])
    row = _only(ctx)
    assert (row.valid_from, row.valid_until, row.status) == (dt.date(2024, 12, 3), dt.date(2028, 12, 2),
                                                             RecognitionStatus.RECOGNISED)
    events = [e.event for e in recognitions.get_recognition(ctx, row.id).history]
    assert events == [RecognitionEvent.GRANTED, RecognitionEvent.RENEWED]


def test_withdrawal_through_a_withdrawn_decision_on_a_reassessment(ctx):
    """Issue 12: a reassessment whose vote goes against the recognition ends in 'ingetrokken' (not
    'afgewezen'); the recognition shows 'ingetrokken' with the decision's date and reason; 'ingetrokken' is
    refused on a new application, and no follow-up starts from a withdrawn recognition."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000009", Criterion.BCORP)
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.BCORP])
    other = _complete(ctx, "10000010", Criterion.PSO30)
    with pytest.raises(DomainError, match="alleen met een besluit over een herbeoordeling"):
        _decide(ctx, members, other, DecisionType.WITHDRAWN, day=dt.datetime(2026, 12, 8, 14),
                votes=VoteChoice.AGAINST)
    row = next(r for r in recognitions.list_register(ctx) if r.origin_application_id == first)
    again = recognitions.start_follow_up(on(ctx, dt.date(2027, 1, 5)), row.id, Purpose.REASSESSMENT)
    _to_complete(ctx, again)
    with pytest.raises(DomainError, match="Kies ‘ingetrokken’"):
        _decide(ctx, members, again, DecisionType.REJECTED, day=dt.datetime(2027, 1, 19, 14), votes=VoteChoice.AGAINST)
    mid = next(r.id for r in meeting_planning.list_meetings(ctx) if r.local_start.date() == dt.date(2027, 1, 19))
    k = meeting_votes.record_decision(ctx, app_item(ctx, mid).id, DecisionType.WITHDRAWN,
                                      "Het B Corp-certificaat is ingetrokken.")
    row = next(r for r in recognitions.list_register(ctx, today=dt.date(2027, 2, 1)) if r.id == row.id)
    assert (row.status, row.withdrawn_on, row.kenmerk) == (RecognitionStatus.WITHDRAWN, dt.date(2027, 1, 19), k)
    rec = recognitions.get_recognition(ctx, row.id)
    assert rec.withdrawal_reason == "Het B Corp-certificaat is ingetrokken."
    assert [e.event for e in rec.history] == [RecognitionEvent.GRANTED, RecognitionEvent.WITHDRAWN]
    with pytest.raises(DomainError, match="ingetrokken"):
        recognitions.start_follow_up(ctx, row.id, Purpose.RENEWAL)
    assert recognitions.due_for_reassessment(ctx, dt.date(2028, 11, 1)) == []


def test_history_is_kept_as_it_was_written(ctx):
    """Issue 12: a later decision adds to the history; the earlier event keeps its kenmerk, date and end."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000011", Criterion.STARTUP, founded=dt.date(2025, 6, 1))
    _decide(ctx, members, first, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
            criteria_met=[Criterion.STARTUP])
    rid = _only(ctx).id
    before = recognitions.get_recognition(ctx, rid).history
    follow = recognitions.start_follow_up(on(ctx, dt.date(2027, 2, 1)), rid, Purpose.CONVERSION)
    _to_complete(ctx, follow)
    _decide(ctx, members, follow, DecisionType.GRANTED, day=dt.datetime(2027, 2, 16, 14),
            criteria_met=[Criterion.PSO30])
    after = recognitions.get_recognition(ctx, rid).history
    assert after[0] == before[0] and len(after) == 2


def test_follow_ups_are_refused_where_they_make_no_sense(ctx):
    """Issue 12: only a conditional recognition converts; a follow-up is a conversion, renewal or
    reassessment."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000012", Criterion.PSO30)
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.PSO30])
    rid = _only(ctx).id
    with pytest.raises(DomainError, match="Alleen een voorwaardelijke erkenning"):
        recognitions.start_follow_up(ctx, rid, Purpose.CONVERSION)
    with pytest.raises(DomainError, match="omzetting, verlenging of herbeoordeling"):
        recognitions.start_follow_up(ctx, rid, Purpose.NEW)


def test_startup_criterion_only_for_a_startup_and_only_conditionally(ctx):
    """Issue 12: the startup criterion needs an organisation founded within startup_max_age_months of the
    application, and alone it gives no full recognition."""
    members = seat_members(ctx)
    old = _complete(ctx, "10000013", Criterion.STARTUP, founded=dt.date(2023, 1, 1))
    with pytest.raises(DomainError, match="geen start-up volgens de regels"):
        _decide(ctx, members, old, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
                criteria_met=[Criterion.STARTUP])
    young = _complete(ctx, "10000014", Criterion.STARTUP, founded=dt.date(2026, 1, 1))
    with pytest.raises(DomainError, match="geeft een voorwaardelijke erkenning"):
        _decide(ctx, members, young, DecisionType.GRANTED, day=dt.datetime(2026, 12, 8, 14),
                criteria_met=[Criterion.STARTUP])


def test_todo_lists_what_ends_and_overdue_information_requests(ctx):
    """Issue 12: 'Te doen' holds the badges, certificates and conditional deadlines ending within the reminder
    period and information requests past their due date, by date."""
    members = seat_members(ctx)
    a = _complete(ctx, "10000015", Criterion.PSO30, valid_until={Criterion.PSO30: dt.date(2027, 1, 31)},
                  received=dt.date(2026, 10, 1))
    _decide(ctx, members, a, DecisionType.GRANTED, day=dt.datetime(2026, 10, 6, 14), criteria_met=[Criterion.PSO30],
            override_reason="Hercertificering loopt.")
    asked = apps.register_application(ctx, org_data(kvk="10000016", name="Vraag BV"), app_data())
    apps.change_status(ctx, asked, Status.IN_PROGRESS)
    apps.change_status(ctx, asked, Status.INFO_REQUESTED, info_requested="Certificaat", on_date=dt.date(2026, 11, 2),
                       info_due_on=dt.date(2026, 11, 20))
    items = recognitions.todo(ctx)
    assert [(i.kind, i.on_date, i.name) for i in items] == [
        ("info_request", dt.date(2026, 11, 20), "Vraag BV"), ("certificate", dt.date(2027, 1, 31), "Org 10000015")]


# ---------------------------------------------------------------- the migration, the demo, the list


def _decisions(db) -> list:
    from sqlalchemy import select

    from commissie_app.db.models import DecisionRecord
    # the columns a database at 0010 has (0016 added what the letter states)
    later = {"conditions", "criteria_met", "deferral_request", "answer_by"}
    columns = [c for c in DecisionRecord.__table__.columns if c.name not in later]
    with db.engine.connect() as conn:
        return sorted(map(tuple, conn.execute(select(*columns))))


def test_the_migration_turns_existing_decisions_into_recognitions_without_changing_a_date(ctx):
    """Issue 12: a database at 0010 with decisions (granted, conditional, one corrected after closing,
    rejected, deferred) is upgraded: each granting decision, as the record stands, becomes a recognition with
    exactly its recorded dates and the application's evidence criteria (noted as taken over); no decision row
    changes."""
    from sqlalchemy import inspect

    from commissie_app.db import migrate
    from commissie_app.domain.meetings import MeetingStatus
    from commissie_app.services import meeting_closing, meeting_corrections, meeting_detail

    members = seat_members(ctx)
    granted = _complete(ctx, "20000001", Criterion.PSO30, Criterion.SE_NL,
                        valid_until={Criterion.PSO30: dt.date(2029, 6, 30)})
    conditional = _complete(ctx, "20000002", Criterion.STARTUP, founded=dt.date(2025, 3, 1))
    corrected = _complete(ctx, "20000003", Criterion.STARTUP, founded=dt.date(2025, 3, 1))
    rejected = _complete(ctx, "20000004", Criterion.CODE_SO)
    mid = open_meeting(ctx, [granted, conditional, corrected, rejected], day=dt.datetime(2026, 12, 1, 14))
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    items = {i.application_id: i.id for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id}
    for app_id, dtype in ((granted, DecisionType.GRANTED), (conditional, DecisionType.CONDITIONAL),
                          (corrected, DecisionType.CONDITIONAL), (rejected, DecisionType.REJECTED)):
        for m in members:
            meeting_votes.record_vote(ctx, items[app_id], m,
                                      VoteChoice.AGAINST if dtype is DecisionType.REJECTED else VoteChoice.FOR)
        meeting_votes.record_decision(ctx, items[app_id], dtype, "Motivering.", criteria_met=(
            [Criterion.PSO30] if dtype is DecisionType.GRANTED else [Criterion.STARTUP]) if dtype.recognises else None,
            deadline=dt.date(2027, 12, 1) if app_id == conditional else None)
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    fixed = next(i.decision for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id == corrected)
    meeting_corrections.correct_decision(ctx, fixed.id, meeting_corrections.CorrectedDecision(
        DecisionType.GRANTED, "Motivering."), "Verkeerd besluittype genoteerd")
    stands = {i.application_id: i.decision for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id}
    assert stands[corrected].decision_type is DecisionType.GRANTED

    db = ctx.db
    migrate.downgrade(db.engine, "0010")
    assert "recognitions" not in inspect(db.engine).get_table_names()
    before = _decisions(db)
    migrate.upgrade(db.engine, backup=False)
    assert _decisions(db) == before

    rows = {r.origin_application_id: r for r in recognitions.list_register(ctx)}
    assert set(rows) == {granted, conditional, corrected}
    for app_id, row in rows.items():
        d = stands[app_id]
        assert (row.kenmerk, row.valid_from, row.valid_until) == (d.kenmerk, d.badge_valid_from, d.badge_valid_until)
        assert row.conditional_deadline == d.conditional_deadline if d.decision_type is DecisionType.CONDITIONAL \
            else row.conditional_deadline is None
        rec = recognitions.get_recognition(ctx, row.id)
        assert len(rec.history) == 1 and "Overgenomen" in rec.history[0].note
    assert rows[conditional].valid_until == dt.date(2027, 12, 1)
    assert rows[granted].criteria == (Criterion.SE_NL, Criterion.PSO30)  # the application's evidence
    assert rows[granted].certificate_until == dt.date(2029, 6, 30)
    assert (rows[corrected].kind, rows[conditional].kind) == (RecognitionKind.FULL, RecognitionKind.CONDITIONAL)


def test_demo_data_has_the_three_promised_recognitions(ctx):
    """Issue 12: the demo data holds a recognition ending within the reminder period (its badge capped by its
    certificate), a conditional one whose proof arrived (a follow-up decided in a meeting made it full) and a
    withdrawn one; the one ending is proposed for reassessment."""
    from commissie_app.services.demo import create_demo_data

    create_demo_data(ctx)
    rows = {r.name: r for r in recognitions.list_register(ctx)}
    ending = rows["Wasserette Werkkans (demo)"]
    assert ending.status is RecognitionStatus.EXPIRING and ending.valid_until == ending.certificate_until
    assert ending.valid_until <= rrules.reminder_horizon(TODAY, RULES)
    converted = rows["Zzp Duurzaam Advies Zandvoort (demo)"]
    assert (converted.kind, converted.status) == (RecognitionKind.FULL, RecognitionStatus.RECOGNISED)
    detail = recognitions.get_recognition(ctx, converted.id)
    assert [e.event for e in detail.history] == [RecognitionEvent.CONDITIONAL, RecognitionEvent.CONVERTED]
    assert [(f.purpose, f.status) for f in detail.follow_ups] == [(Purpose.CONVERSION, Status.DECIDED)]
    withdrawn = rows["Staalstart IJmond Leerbedrijf (demo)"]
    assert withdrawn.status is RecognitionStatus.WITHDRAWN and withdrawn.withdrawn_on < TODAY
    assert [r.name for r in recognitions.due_for_reassessment(ctx)] == ["Wasserette Werkkans (demo)"]


def test_the_list_shows_the_outcome_instead_of_besloten(ctx):
    """Issue 12: the application list and the editor's data show toegekend, voorwaardelijk toegekend,
    afgewezen, aangehouden (deferred, not yet on a new agenda) or 'erkenning ingetrokken' instead of 'besloten';
    an application its applicant withdrew stays 'ingetrokken', so the two cannot be mistaken for each other."""
    from commissie_app.services.demo import create_demo_data

    create_demo_data(ctx)
    members = [m.member_id for m in commission.terms(ctx) if m.covers(TODAY)]
    deferred = _complete(ctx, "20000005", Criterion.PSO30)
    _decide(ctx, members, deferred, DecisionType.DEFERRED, day=dt.datetime(2026, 12, 22, 14), content=deferral())
    shown = {(r.organisation, r.status_text) for r in apps.list_rows(ctx)}
    assert {("Staalstart IJmond Leerbedrijf (demo)", "toegekend"), ("Staalstart IJmond Leerbedrijf (demo)",
            "erkenning ingetrokken"), ("Taalcafé Voorbeeldwijk (demo)", "ingetrokken"), ("Zzp Duurzaam Advies Zandvoort (demo)", "voorwaardelijk toegekend"),
            ("Zzp Duurzaam Advies Zandvoort (demo)", "toegekend"), ("Zorgboerderij De Verzonnen Hoeve (demo)",
            "afgewezen"), ("Groenwerk Bloemendaal Voorbeeld (demo)", "geagendeerd"), ("Org 20000005", "aangehouden"),
            ("Wasserette Werkkans (demo)", "toegekend")} <= shown
    assert "besloten" not in {text for _name, text in shown}
    assert apps.get_application(ctx, deferred).outcome is DecisionType.DEFERRED


def test_a_correction_of_the_decision_is_followed_by_the_recognition(ctx):
    """Issue 12: a closed meeting's decision corrected from 'voorwaardelijk toegekend' to 'toegekend' makes the
    recognition full with the corrected end date; the history shows the correction and its reason; the
    application list shows the corrected outcome."""
    from commissie_app.domain.meetings import MeetingStatus
    from commissie_app.services import meeting_closing, meeting_corrections

    members = seat_members(ctx)
    app_id = _complete(ctx, "20000006", Criterion.PSO30)
    _decide(ctx, members, app_id, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
            criteria_met=[Criterion.PSO30])
    mid = next(r.id for r in meeting_planning.list_meetings(ctx))
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    decision = app_item(ctx, mid).decision
    meeting_corrections.correct_decision(ctx, decision.id, meeting_corrections.CorrectedDecision(
        DecisionType.GRANTED, "Motivering."), "Volledig toegekend, niet voorwaardelijk")
    # the list and the editor show the outcome as the record stands (the correction wins)
    assert [r.status_text for r in apps.list_rows(ctx, [app_id])] == ["toegekend"]
    assert apps.get_application(ctx, app_id).outcome is DecisionType.GRANTED
    row = _only(ctx)
    assert (row.kind, row.conditional_deadline, row.status) == (RecognitionKind.FULL, None,
                                                                RecognitionStatus.RECOGNISED)
    assert row.valid_until == app_item(ctx, mid).decision.badge_valid_until == dt.date(2028, 11, 30)
    history = recognitions.get_recognition(ctx, row.id).history
    assert [(e.event, e.note) for e in history] == [(RecognitionEvent.CONDITIONAL, ""), (
        RecognitionEvent.CORRECTED, "Volledig toegekend, niet voorwaardelijk")]


def test_only_who_registers_applications_starts_a_follow_up(ctx):
    """Issue 12: starting a follow-up application is registering an application (Action.REGISTER_APPLICATION):
    a member or an observer is refused; everyone may read the register."""
    from commissie_app.domain.codes import Role
    from commissie_app.domain.permissions import PermissionDeniedError
    from tests.conftest import make_ctx

    members = seat_members(ctx)
    first = _complete(ctx, "20000007", Criterion.PSO30)
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.PSO30])
    rid = _only(ctx).id
    for name, role in (("Lars Lid", Role.MEMBER), ("Olga Observer", Role.OBSERVER)):
        other = make_ctx(ctx.db, name, role)
        with pytest.raises(PermissionDeniedError):
            recognitions.start_follow_up(other, rid, Purpose.RENEWAL)
        assert recognitions.get_recognition(other, rid).row.id == rid
        assert [r.id for r in recognitions.list_register(other)] == [rid]


def test_a_line_of_the_history_is_never_changed_or_removed(ctx):
    """Issue 12: the history of a recognition is kept as written: changing or removing a line through the
    application is refused with a Dutch message and nothing changes."""
    from sqlalchemy import select

    from commissie_app.db.models import RecognitionEventRecord
    from commissie_app.services.uow import UnitOfWork

    members = seat_members(ctx)
    first = _complete(ctx, "20000008", Criterion.PSO30)
    _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14), criteria_met=[Criterion.PSO30])
    rid = _only(ctx).id
    before = recognitions.get_recognition(ctx, rid).history
    for change in (lambda e, s: setattr(e, "note", "vervalst"), lambda e, s: s.delete(e)):
        with pytest.raises(DomainError, match="geschiedenis van een erkenning"):
            with UnitOfWork(ctx) as uow:
                change(uow.session.scalars(select(RecognitionEventRecord)).one(), uow.session)
                uow.commit()
    assert recognitions.get_recognition(ctx, rid).history == before


def test_recognitions_and_their_history_are_in_the_audit_log(ctx):
    """Issue 12: making a recognition and each line of its history is logged (who, what, in the hash chain)
    in the same unit of work as the decision."""
    from sqlalchemy import select

    from commissie_app.db.models import AuditEvent

    members = seat_members(ctx)
    first = _complete(ctx, "20000009", Criterion.PSO30)
    k = _decide(ctx, members, first, DecisionType.GRANTED, day=dt.datetime(2026, 12, 1, 14),
                criteria_met=[Criterion.PSO30])
    rid = _only(ctx).id
    with ctx.db.session() as s:
        events = s.execute(select(AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.actor, AuditEvent.new_values)
                           .where(AuditEvent.entity_type.in_(("recognition", "recognition_event")))).all()
    assert {(t, a) for t, _i, a, _v in events} == {("recognition", "Sanne Secretaris"),
                                                  ("recognition_event", "Sanne Secretaris")}
    assert any(i == str(rid) and v["criteria"] == ["PSO30"] for t, i, _a, v in events if t == "recognition")
    assert any(v["kenmerk"] == k for t, _i, _a, v in events if t == "recognition_event")


def test_the_conversion_letter_names_the_criteria_found_met(ctx):
    """Issue 12: the letter that turns the demo's conditional recognition into a full one names the criterion the
    commission found met (the Code Sociale Ondernemingen register), not the startup criterion the follow-up
    application also claimed; the conditional letter before it still names the startup criterion."""
    from commissie_app.services.demo import create_demo_data
    from commissie_app.services.letter_archive import letter_pdf
    from commissie_app.services.letter_generation import generate_letters
    from commissie_app.services.meeting_planning import list_meetings
    from tests.test_correspondence import pdf_text

    create_demo_data(ctx)
    texts = {}
    for m in list_meetings(ctx):
        if m.status.value == "closed":
            for info in generate_letters(ctx, m.id):
                texts[info.kenmerk] = pdf_text(letter_pdf(ctx, info.id))
    converted = next(t for t in texts.values() if "de voorwaardelijke erkenning wordt een volledige" in t)
    criteria = converted.split("stelt vast dat", 1)[1].split("Motivering", 1)[0]
    assert "Register Code Sociale Ondernemingen" in criteria and "Start-up" not in criteria
    conditional = next(t for t in texts.values() if "voorwaardelijk toegekend" in t and "Zzp Duurzaam" in t)
    assert "Start-up of zzp'er" in conditional
