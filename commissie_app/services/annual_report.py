"""The annual report of one year from the database (issue 15): ``annual_report(ctx, year)`` reads the rows of
the year in one read transaction (a snapshot on PostgreSQL) and counts them with ``domain/annual_report.py``.

Read only and open to every role, like the lists it summarises. Decisions and attendance are taken as they
stand after the corrections of a closed meeting (``meeting_record``). The figures of the advice register and
the developments log come from ``advice_figures(session, year)``: one function, so that the advice register
fills the report's advice section without any other change here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from commissie_app.db.models import (
    Application,
    DecisionRecord,
    Meeting,
    Organisation,
    Recognition,
    RecognitionEventRecord,
    StatusChange,
)
from commissie_app.domain import annual_report as rep
from commissie_app.domain.codes import Criterion, DecisionType, Municipality, Status
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_record import (
    AMSTERDAM,
    attendees_of,
    decision_corrections,
    effective_decision,
    overrides_of,
)
from commissie_app.services.rules import rules_of_meeting
from commissie_app.services.advice import summarise_year
from commissie_app.services.uow import UnitOfWork


def advice_figures(session: Session, year: int) -> rep.AdviceFigures:
    """The advice to the Coördinatieteam adopted in ``year`` (with its status as it stands now) and the
    developments logged in that year, from the advice register and the developments log (services/advice.py)."""
    s = summarise_year(session, year)
    return rep.AdviceFigures(
        advices=tuple(rep.AdviceLine(day, subject, asked, status.label) for day, subject, asked, status in s.adopted),
        developments=tuple(rep.DevelopmentLine(day, topic) for day, topic in s.development_topics))


def report_years(ctx: ServiceContext) -> list[int]:
    """The years a report can be made of, newest first: from the first application or meeting to this year."""
    with UnitOfWork(ctx) as uow:
        first_app = uow.session.scalar(select(func.min(Application.received_on)))
        first_meeting = uow.session.scalar(select(func.min(Meeting.starts_at)))
    this_year = ctx.today().year
    first = min([d.year for d in (first_app, first_meeting) if d is not None] + [this_year])
    return list(range(this_year, max(first, 2000) - 1, -1))


def annual_report(ctx: ServiceContext, year: int) -> rep.AnnualReport:
    """The figures of ``year``, counted up to 31 December (or today, for the running year)."""
    start, as_of = rep.report_period(year, ctx.today())
    ctx.rules  # read (adopted when first needed) before the read transaction starts
    with UnitOfWork(ctx) as uow:
        if ctx.db.dialect == "postgresql":
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        s = uow.session
        received = _applications(s, start, as_of)
        decisions = _decisions(s, start, as_of)
        histories = _recognition_histories(s)
        meetings, attendance = _meetings(ctx, uow, start, as_of)
        active_criteria = [Criterion(c) for h, criteria in histories if rep.active_on(h, as_of) for c in criteria]
        open_count, longest_open = _open_applications(s, as_of)
        return rep.AnnualReport(
            year=year,
            as_of=as_of,
            applications_by_month=rep.by_month((day for day, _m in received), year),
            applications_by_municipality=rep.counted((m for _d, m in received), Municipality),
            decisions_by_type=rep.counted((d for d, _days in decisions), DecisionType),
            recognitions=rep.recognition_figures((h for h, _c in histories), start, as_of),
            register_by_criterion=rep.counted(active_criteria, Criterion),
            lead_time=rep.spread(days for d, days in decisions if d is not DecisionType.DEFERRED),
            longest_open=tuple(rep.open_applications(longest_open, as_of)),
            open_at_end=open_count,
            info_requests=rep.info_requests(_info_requests(s, start, as_of)),
            meetings=meetings,
            attendance=attendance,
            advice=advice_figures(s, year),
        )


def _applications(s: Session, start: dt.date, as_of: dt.date) -> list[tuple[dt.date, Municipality]]:
    """(received on, municipality) of each application of the period (counted per day in SQL)."""
    rows = s.execute(select(Application.received_on, Organisation.municipality, func.count())
                     .join(Organisation, Organisation.id == Application.organisation_id)
                     .where(Application.received_on.between(start, as_of))
                     .group_by(Application.received_on, Organisation.municipality))
    return [(day, town) for day, town, n in rows for _i in range(n)]


def _decisions(s: Session, start: dt.date, as_of: dt.date) -> list[tuple[DecisionType, int]]:
    """(type as it stands after corrections, days from receipt) of each decision of the period."""
    corrections = decision_corrections(s)
    rows = s.execute(select(DecisionRecord, Application.received_on)
                     .join(Application, Application.id == DecisionRecord.application_id)
                     .where(DecisionRecord.decided_on.between(start, as_of)))
    out = []
    for d, received_on in rows:
        info = effective_decision(d, corrections)
        out.append((info.decision_type, (d.decided_on - received_on).days))
    return out


def _recognition_histories(s: Session) -> list[tuple[rep.RecognitionHistory, list[str]]]:
    events: dict[uuid.UUID, list[tuple[dt.date, object, dt.date | None]]] = defaultdict(list)
    for e in s.execute(select(RecognitionEventRecord.recognition_id, RecognitionEventRecord.on_date,
                              RecognitionEventRecord.event, RecognitionEventRecord.valid_until)
                       .order_by(RecognitionEventRecord.on_date, RecognitionEventRecord.at)):
        events[e.recognition_id].append((e.on_date, e.event, e.valid_until))
    return [(rep.RecognitionHistory(r.valid_from, r.withdrawn_on, tuple(events[r.id])), list(r.criteria))
            for r in s.execute(select(Recognition.id, Recognition.valid_from, Recognition.withdrawn_on,
                                      Recognition.criteria))]


def _open_applications(s: Session, as_of: dt.date) -> tuple[int, list[tuple[str, dt.date, Status]]]:
    """How many applications were open at ``as_of`` (received by then, no decision or withdrawal by then), and
    the longest open of them."""
    closed = (select(StatusChange.id).where(StatusChange.application_id == Application.id,
                                            StatusChange.to_status.in_((Status.DECIDED, Status.WITHDRAWN)),
                                            StatusChange.on_date <= as_of).exists())
    where = (Application.received_on <= as_of, ~closed)
    count = s.scalar(select(func.count()).select_from(Application).where(*where))
    rows = s.execute(select(Organisation.name, Application.received_on, Application.status)
                     .join(Organisation, Organisation.id == Application.organisation_id).where(*where)
                     .order_by(Application.received_on, Organisation.name).limit(rep.LONGEST_OPEN))
    return count, [tuple(r) for r in rows]


def _info_requests(s: Session, start: dt.date, as_of: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    """(requested on, day of the next status change up to ``as_of`` or None) of each request of the period."""
    later = aliased(StatusChange)
    answered = (select(later.on_date).where(later.application_id == StatusChange.application_id,
                                            later.at > StatusChange.at, later.on_date <= as_of)
                .order_by(later.at).limit(1).scalar_subquery())
    return [tuple(r) for r in s.execute(select(StatusChange.on_date, answered).where(
        StatusChange.to_status == Status.INFO_REQUESTED, StatusChange.on_date.between(start, as_of)))]


def _meetings(ctx: ServiceContext, uow: UnitOfWork, start: dt.date, as_of: dt.date
              ) -> tuple[tuple[rep.MeetingLine, ...], tuple[rep.SeatAttendance, ...]]:
    """The meetings of the year (by their Dutch date, up to the end of the year) and the attendance per seat
    at those held, both as they stand after corrections."""
    end = dt.date(start.year, 12, 31)
    lines, present = [], []
    first = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    last = dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), tzinfo=dt.timezone.utc)
    for m in uow.session.scalars(select(Meeting).where(Meeting.starts_at.between(first, last))
                                 .order_by(Meeting.starts_at)):
        day = m.starts_at.astimezone(AMSTERDAM).date()
        if not start <= day <= end:
            continue
        seats = [a.seat for a in attendees_of(uow, m, overrides_of(uow, m)) if a.attendance is Attendance.PRESENT]
        line = rep.MeetingLine(day, MeetingStatus(m.status), len(seats),
                               rules_of_meeting(ctx, uow.session, m.closed_at).quorum_seats)
        lines.append(line)
        present.append((line.held, seats))
    return tuple(lines), rep.attendance_per_seat(present)
