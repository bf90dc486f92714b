"""Issue 13: a refused stale edit names who changed the record, when, and what (SQLite and PostgreSQL)."""

import datetime as dt

import pytest

from commissie_app.domain.codes import Role, Status
from commissie_app.domain.errors import StaleEditError
from commissie_app.services import applications as apps
from commissie_app.services import meeting_detail, meeting_planning, users
from tests.conftest import make_ctx
from tests.factories import app_data, org_data


def _registered(ctx):
    app_id = apps.register_application(ctx, org_data(), app_data())
    return app_id, apps.get_application(ctx, app_id)


def _recent(moment: dt.datetime) -> bool:
    return abs(dt.datetime.now(dt.timezone.utc) - moment) < dt.timedelta(minutes=5)


def test_stale_application_edit_names_who_when_and_what(ctx, db):
    """Issue 13: another user's save of the organisation makes a stale edit name that user, the moment and
    the changed fields in Dutch."""
    app_id, loaded = _registered(ctx)
    piet = make_ctx(db, "Piet Pieters", Role.SECRETARY)
    apps.update_application(piet, app_id, expected_version=loaded.version,
                            expected_organisation_version=loaded.organisation_version,
                            org=org_data(name="Nieuwe naam BV", email="info@nieuw.nl"), app=loaded.application)
    with pytest.raises(StaleEditError) as caught:
        apps.update_application(ctx, app_id, expected_version=loaded.version,
                                expected_organisation_version=loaded.organisation_version,
                                org=org_data(name="Mijn naam BV"), app=loaded.application)
    err = caught.value
    assert err.changed_by == "Piet Pieters" and _recent(err.changed_at)
    assert set(err.fields) == {"Naam", "E-mail"}
    assert "Laatst gewijzigd door Piet Pieters op " in str(err) and "Naam" in str(err)
    assert apps.get_application(ctx, app_id).organisation.name == "Nieuwe naam BV"


def test_stale_status_change_names_the_status_change(ctx, db):
    """Issue 13: a status change refused because someone moved the application names who did it."""
    app_id, loaded = _registered(ctx)
    piet = make_ctx(db, "Piet Pieters", Role.SECRETARY)
    apps.change_status(piet, app_id, Status.IN_PROGRESS, expected_version=loaded.version)
    with pytest.raises(StaleEditError) as caught:
        apps.change_status(ctx, app_id, Status.WITHDRAWN, expected_version=loaded.version)
    assert caught.value.changed_by == "Piet Pieters"
    assert "Status" in caught.value.fields


def test_stale_meeting_edit_names_who(ctx, db):
    """Issue 13: a meeting changed by someone else since it was loaded: the refusal says by whom."""
    meeting_id = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 10, 19, 0), place="Haarlem")
    loaded = meeting_detail.get_meeting(ctx, meeting_id)
    piet = make_ctx(db, "Piet Pieters", Role.SECRETARY)
    meeting_planning.update_meeting(piet, meeting_id, expected_version=loaded.version, starts_at=loaded.starts_at,
                                    place="Velsen", video_link="", duration_minutes=90,
                                    chair_member_id=None, secretary_user_id=None)
    with pytest.raises(StaleEditError) as caught:
        meeting_planning.update_meeting(ctx, meeting_id, expected_version=loaded.version, starts_at=loaded.starts_at,
                                        place="Heemstede", video_link="", duration_minutes=120,
                                        chair_member_id=None, secretary_user_id=None)
    assert caught.value.changed_by == "Piet Pieters" and _recent(caught.value.changed_at)
    assert "Plaats" in caught.value.fields


def test_stale_user_edit_names_who(ctx, db):
    """Issue 13: a user record changed by another secretary meanwhile: the refusal names that secretary."""
    user_id = users.add_user(ctx, "Lies Lid", Role.MEMBER)
    loaded = next(u for u in users.list_users(ctx) if u.id == user_id)
    piet = make_ctx(db, "Piet Pieters", Role.SECRETARY)
    users.update_user(piet, user_id, role=Role.OBSERVER, member_id=None, active=True, expected_version=loaded.version)
    with pytest.raises(StaleEditError) as caught:
        users.update_user(ctx, user_id, role=Role.CHAIR, member_id=None, active=True, expected_version=loaded.version)
    assert caught.value.changed_by == "Piet Pieters" and caught.value.fields == ("Rol",)


def test_stale_edit_without_audit_history_keeps_the_plain_message():
    """Issue 13: without a known change the message is the general one, with no empty name."""
    err = StaleEditError("application")
    assert err.changed_by is None and "Laatst gewijzigd" not in str(err)
