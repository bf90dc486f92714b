"""The first-run checklist on the start page (issue 13): what a new commission sets up first, and
whether it has been done: members in the seats, meetings planned, applications registered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select

from commissie_app.db.models import Application, Meeting
from commissie_app.domain.commission import Seat
from commissie_app.services.commission import domain_terms
from commissie_app.services.context import ServiceContext
from commissie_app.services.uow import UnitOfWork


@dataclass(frozen=True)
class Checklist:
    seats_held: int  # seats held by a member today
    seats: int  # seats of the commission
    quorum: int  # seats needed to decide (the commission's rules)
    meetings_planned: bool  # a meeting this year or later
    applications_registered: bool  # any application at all

    @property
    def seats_done(self) -> bool:
        """Enough members hold a seat for the commission to decide."""
        return self.seats_held >= self.quorum

    @property
    def done(self) -> bool:
        return self.seats_done and self.meetings_planned and self.applications_registered


def checklist(ctx: ServiceContext) -> Checklist:
    today = ctx.today()
    year_start = dt.datetime(today.year, 1, 1, tzinfo=dt.timezone.utc)
    quorum = ctx.rules.quorum_seats  # read before the unit of work: the rules may be adopted in a unit of their own
    with UnitOfWork(ctx) as uow:
        s = uow.session
        held = {t.seat for t in domain_terms(s) if t.covers(today)}
        meetings = s.scalar(select(exists().where(Meeting.starts_at >= year_start)))
        applications = s.scalar(select(exists().select_from(Application)))
    return Checklist(len(held), len(Seat), quorum, bool(meetings), bool(applications))
