"""Issue 10, "a service layer that composes": one unit of work over several service calls, audit events
written from the collected changes in one place, and the changes told to whoever shows the records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from commissie_app.db.models import Application, AuditEvent, StatusChange
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import ValidationError
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from commissie_app.services.changes import recording
from commissie_app.services.context import Actor
from commissie_app.services.importing import import_applications
from commissie_app.services.uow import UnitOfWork
from tests.factories import app_data, org_data
from tests.test_meetings_service import complete_app, open_meeting, seat_members
from tests.meeting_days import step


def events(ctx, **where) -> list[AuditEvent]:
    """The audit events (but the automatic adoption of the shipped rules at their first use)."""
    with ctx.db.session() as s:
        q = select(AuditEvent).where(AuditEvent.entity_type != "rule_set").order_by(AuditEvent.at)
        for column, value in where.items():
            q = q.where(getattr(AuditEvent, column) == value)
        return list(s.scalars(q))


def count(ctx, model) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- one unit of work, several calls


def test_services_inside_an_open_unit_of_work_commit_together(ctx):
    """Issue 10: a service called while the thread has an open unit of work takes part in it; the
    outer unit commits everything at once (the pairs register/add and change/apply are gone)."""
    with UnitOfWork(ctx) as uow:
        app_id = apps.register_application(ctx, org_data(), app_data())
        apps.change_status(ctx, app_id, Status.IN_PROGRESS, remark="Gestart")
        with ctx.db.session() as other:  # another connection sees nothing before the outer commit
            assert other.scalar(select(func.count()).select_from(Application)) == 0
        uow.commit()
    d = apps.get_application(ctx, app_id)
    assert d.status is Status.IN_PROGRESS
    assert [h.to_status for h in d.history] == [Status.RECEIVED, Status.IN_PROGRESS]


def test_a_failed_call_inside_an_outer_unit_leaves_nothing_written(ctx):
    """Issue 10: the outer unit rolls back everything, also what the inner calls did before the error."""
    with pytest.raises(ValidationError):
        with UnitOfWork(ctx) as uow:
            app_id = apps.register_application(ctx, org_data(), app_data())
            apps.change_status(ctx, app_id, Status.IN_PROGRESS)
            apps.change_status(ctx, app_id, Status.INFO_REQUESTED)  # refused: no description, no date
            uow.commit()
    assert count(ctx, Application) == 0 and count(ctx, StatusChange) == 0 and events(ctx) == []


def test_an_outer_unit_cannot_commit_after_a_joined_call_failed(ctx):
    """Issue 10: catching a joined call's error does not let the outer unit save half of the work."""
    with pytest.raises(RuntimeError):
        with UnitOfWork(ctx) as uow:
            apps.register_application(ctx, org_data(), app_data())
            with pytest.raises(ValidationError):
                apps.register_application(ctx, org_data(), app_data())  # same organisation, same day
            uow.commit()
    assert count(ctx, Application) == 0 and events(ctx) == []


def test_each_joined_call_is_audited_under_its_own_actor_and_action(ctx):
    """Issue 10: changes are attributed to the call that made them, also inside one outer unit."""
    chair = dataclasses.replace(ctx, actor=Actor("Vera Voorzitter"))
    with UnitOfWork(ctx) as uow:
        app_id = apps.register_application(ctx, org_data(), app_data())
        apps.change_status(chair, app_id, Status.IN_PROGRESS, remark="Gestart")
        uow.commit()
    got = [(e.actor, e.action, e.entity_type) for e in events(ctx)]
    assert sorted(got) == sorted([("Sanne Secretaris", "create", "organisation"),
                                  ("Sanne Secretaris", "create", "application"),
                                  ("Vera Voorzitter", "status", "application")])


# ---------------------------------------------------------------- audit events from the changes


def test_audit_events_hold_entity_id_and_only_the_changed_keys(ctx):
    """Issue 10: the events written from the collected changes name the record and hold only what changed."""
    app_id = apps.register_application(ctx, org_data(), app_data(Criterion.PSO30))
    d = apps.get_application(ctx, app_id)
    apps.update_application(ctx, app_id, expected_version=d.version,
                            expected_organisation_version=d.organisation_version,
                            org=org_data(place="Haarlem-Noord"), app=app_data(Criterion.PSO30, notes="Nagebeld"))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS, remark="Gestart")
    created = events(ctx, entity_type="application", action="create")[0]
    assert created.entity_id == str(app_id) and created.old_values is None
    assert created.new_values["status"] == "received" and created.new_values["evidence"] == ["PSO30|REF-PSO30|"]
    org_update = events(ctx, entity_type="organisation", action="update")[0]
    assert (org_update.entity_id, org_update.old_values, org_update.new_values) == (
        str(d.organisation_id), {"place": "Haarlem"}, {"place": "Haarlem-Noord"})
    app_update = events(ctx, entity_type="application", action="update")[0]
    assert (app_update.old_values, app_update.new_values) == ({"notes": ""}, {"notes": "Nagebeld"})
    status = events(ctx, action="status")[0]
    assert (status.entity_id, status.old_values, status.new_values) == (
        str(app_id), {"status": "received"}, {"status": "in_progress", "remark": "Gestart"})


def test_meeting_actions_are_audited_with_their_own_names_and_removals_as_deletes(ctx):
    """Issue 10: services name their action (vote, attendance); a row taken off the agenda is a delete."""
    members = seat_members(ctx)
    app_ids = [complete_app(ctx, kvk) for kvk in ("01234567", "07654321")]
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis Haarlem",
                                        chair_member_id=members[0])
    meeting_agenda.add_application_items(ctx, mid, app_ids)
    item = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id == app_ids[1])
    meeting_agenda.remove_item(ctx, item.id)
    removed = events(ctx, action="delete", entity_type="agenda_item")
    assert [e.entity_id for e in removed] == [str(item.id)] and removed[0].old_values["title"] == item.title
    back = events(ctx, action="status", entity_id=str(app_ids[1]))[-1]
    assert back.new_values == {"status": "complete", "remark": "Van de agenda gehaald"}

    from commissie_app.domain.meetings import MeetingStatus
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    meeting_attendance.set_attendance(ctx, mid, members[0], Attendance.PRESENT)
    first = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id == app_ids[0])
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_votes.record_vote(ctx, first.id, members[0], VoteChoice.FOR)
    meeting_votes.record_vote(ctx, first.id, members[0], VoteChoice.AGAINST)
    votes = events(ctx, action="vote")
    assert [(e.old_values, e.new_values.get("choice")) for e in votes] == [(None, "for"), ({"choice": "for"},
                                                                                           "against")]
    assert len({e.entity_id for e in votes}) == 1
    attendance = events(ctx, action="attendance")
    assert len(attendance) == len(members) and all(e.entity_type == "attendance" for e in attendance)


def test_the_import_writes_the_same_audit_events_as_registering_by_hand(ctx, tmp_path):
    """Issue 10: the import's bulk path writes its events through the same function, with the same values."""
    by_hand = apps.register_application(ctx, org_data(kvk="11111111", name="Met de hand BV"), app_data())
    path = tmp_path / "aanvragen.csv"
    path.write_text("naam;kvk;rechtsvorm;gemeente;adres;email;missie;criteria;ontvangen\n"
                    "Geimporteerd BV;22222222;bv;Haarlem;Grote Markt 2, 2011 RD Haarlem;a@example.nl;"
                    "Werk;PSO30;01-11-2026\n", encoding="utf-8")
    import_applications(ctx, path)
    imported = next(r.application_id for r in apps.list_rows(ctx) if r.application_id != by_hand)
    hand_event = events(ctx, entity_type="application", entity_id=str(by_hand))[0]
    import_event = events(ctx, entity_type="application", entity_id=str(imported))[0]
    assert import_event.action == hand_event.action == "create"
    assert set(import_event.new_values) == set(hand_event.new_values)
    assert import_event.new_values["evidence"] == ["PSO30||"]
    hand_org = events(ctx, entity_type="organisation", action="create")[0]
    import_org = events(ctx, entity_type="organisation", action="create")[1]
    assert set(import_org.new_values) == set(hand_org.new_values)


# ---------------------------------------------------------------- what changed, for the views


def test_the_committed_changes_name_the_records_touched(ctx):
    """Issue 10: a unit of work publishes which records it created and updated (as Anki's OpChanges)."""
    members = seat_members(ctx)
    app_ids = [complete_app(ctx, kvk) for kvk in ("01234567", "07654321")]
    mid = open_meeting(ctx, app_ids)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.application_id == app_ids[0])
    with recording() as seen:
        for m in members:
            meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    assert seen.changes.ids("vote") and not seen.changes.touches("application")
    with recording() as seen:
        meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet aan PSO 30+.", criteria_met=[Criterion.PSO30])
    assert seen.changes.ids("application") == {app_ids[0]}
    assert len(seen.changes.ids("decision")) == 1 and seen.changes.created
    with recording() as seen:
        meeting_detail.get_meeting(ctx, mid)  # reading changes nothing
    assert not seen.changes


def test_changes_are_published_only_after_the_outer_commit(ctx):
    """Issue 10: joined calls publish nothing themselves; a rolled back unit publishes nothing."""
    with recording() as seen:
        with pytest.raises(ValueError):
            with UnitOfWork(ctx):
                apps.register_application(ctx, org_data(), app_data())
                raise ValueError("afgebroken")
    assert not seen.changes
    with recording() as seen:
        with UnitOfWork(ctx) as uow:
            app_id = apps.register_application(ctx, org_data(), app_data())
            assert not seen.changes
            uow.commit()
    assert seen.changes.ids("application") == {app_id}
    assert isinstance(next(iter(seen.changes.ids("organisation"))), uuid.UUID)


def test_the_demo_data_is_one_transaction(ctx, monkeypatch):
    """Issue 10: the demo data calls the public services inside one outer unit of work, so a failing later
    step (here the demo meetings) leaves the database empty instead of half filled."""
    from commissie_app.services import demo

    def broken(_ctx):
        raise RuntimeError("stap mislukt")

    monkeypatch.setattr(demo, "create_demo_meetings", broken)  # the last step: the demo meetings
    with pytest.raises(RuntimeError):
        demo.create_demo_data(ctx)
    assert demo.is_empty(ctx) and count(ctx, Application) == 0 and events(ctx) == []


def test_a_meeting_step_is_checked_by_the_meeting_service_that_makes_it(ctx):
    """Issue 10: the chair may record a decision, which changes the application's status through the joined
    ``change_status``; the same status step called directly needs the right to change statuses."""
    from commissie_app.domain.codes import Role
    from commissie_app.domain.permissions import PermissionDeniedError

    members = seat_members(ctx)
    app_ids = [complete_app(ctx, kvk) for kvk in ("01234567", "07654321")]
    meeting_id = open_meeting(ctx, app_ids)
    for m in members:
        meeting_attendance.set_attendance(ctx, meeting_id, m, Attendance.PRESENT)
    items = {i.application_id: i.id for i in meeting_detail.get_meeting(ctx, meeting_id).items}
    for m in members:
        meeting_votes.record_vote(ctx, items[app_ids[0]], m, VoteChoice.FOR)
    chair = dataclasses.replace(ctx, actor=Actor("Vera Voorzitter", Role.CHAIR))
    meeting_votes.record_decision(chair, items[app_ids[0]], DecisionType.GRANTED, "Voldoet aan PSO 30+.", criteria_met=[Criterion.PSO30])
    assert apps.get_application(ctx, app_ids[0]).status is Status.DECIDED
    with pytest.raises(PermissionDeniedError):
        apps.change_status(chair, app_ids[1], Status.DECIDED, manual=False)
    assert apps.get_application(ctx, app_ids[1]).status is Status.SCHEDULED


def test_a_refusal_inside_an_outer_unit_stays_audited(ctx):
    """Issue 10: a refused call inside an outer unit rolls the outer work back, but its refusal is recorded."""
    from commissie_app.domain.codes import Role
    from commissie_app.domain.permissions import PermissionDeniedError

    guest = dataclasses.replace(ctx, actor=Actor("Wim Waarnemer", Role.OBSERVER))
    with pytest.raises(PermissionDeniedError):
        with UnitOfWork(ctx) as uow:
            apps.register_application(ctx, org_data(), app_data())
            apps.register_application(guest, org_data(kvk="07654321"), app_data())
            uow.commit()
    assert count(ctx, Application) == 0
    assert [(e.actor, e.action) for e in events(ctx)] == [("Wim Waarnemer", "refused")]
