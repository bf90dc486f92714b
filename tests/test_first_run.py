"""Issue 13: the first-run checklist's service, on SQLite and PostgreSQL."""

import datetime as dt

from commissie_app.domain.commission import Seat
from commissie_app.services import applications as apps
from commissie_app.services import commission, meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.services.first_run import checklist
from tests.factories import app_data, org_data


def test_an_empty_database_has_every_step_open(ctx):
    """Issue 13: no members in seats, no meetings, no applications: nothing ticked."""
    c = checklist(ctx)
    assert (c.seats_held, c.seats, c.meetings_planned, c.applications_registered) == (0, 5, False, False)
    assert not c.seats_done and not c.done


def test_each_step_is_ticked_when_done(ctx):
    """Issue 13: seats held up to the quorum, a meeting this year, an application: all done."""
    seats = list(Seat)[:ctx.rules.quorum_seats]
    for n, seat in enumerate(seats):
        member = commission.add_member(ctx, f"Lid {n}")
        if n < len(seats) - 1:
            commission.appoint(ctx, member, seat, dt.date(2026, 1, 1))
    assert not checklist(ctx).seats_done  # one seat short of the quorum
    commission.appoint(ctx, member, seats[-1], dt.date(2026, 1, 1))
    assert checklist(ctx).seats_done
    meeting_planning.plan_meeting(ctx, dt.datetime(2025, 6, 1, 19, 0), place="Haarlem")
    assert not checklist(ctx).meetings_planned  # last year's meeting does not count
    meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 10, 19, 0), place="Haarlem")
    apps.register_application(ctx, org_data(), app_data())
    assert checklist(ctx).done


def test_the_demo_data_has_everything_done(ctx):
    """Issue 13: on the demo data the checklist has nothing left to do."""
    create_demo_data(ctx)
    assert checklist(ctx).done
