"""Issue 15: the annual report (jaarverslag). Its figures for the demo data, checked against counts made here
with plain queries and loops; a year built with known edge cases; the XLSX and the PDF; the command line.
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from commissie_app.db.models import (
    Advice,
    Application,
    AttendanceRecord,
    Correction,
    DecisionRecord,
    Development,
    Meeting,
    Organisation,
    Recognition,
    RecognitionEventRecord,
    StatusChange,
)
from commissie_app.domain import annual_report as rep
from commissie_app.domain.codes import Criterion, DecisionType, Municipality, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError
from commissie_app.domain.recognition import Purpose, RecognitionEvent
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import meeting_attendance, meeting_votes, recognitions
from commissie_app.services.annual_report import advice_figures, annual_report, report_years
from commissie_app.services.annual_report_files import write_pdf, write_xlsx
from commissie_app.services.demo import create_demo_data
from tests.conftest import TODAY
from tests.factories import app_data, org_data
from tests.test_meetings_service import app_item, open_meeting, seat_members

AMS = ZoneInfo("Europe/Amsterdam")


# ---------------------------------------------------------------- the demo year, counted independently


def _count_demo_year(session, year: int, as_of: dt.date) -> dict:
    """The report's figures counted straight from the rows (the demo has no corrected decisions or attendance)."""
    start = dt.date(year, 1, 1)
    in_year = (lambda d: d is not None and start <= d <= as_of)
    out: dict = {}

    received = session.execute(select(Application.received_on, Organisation.municipality)
                               .join(Organisation, Organisation.id == Application.organisation_id)).all()
    months = [0] * 12
    towns = Counter()
    for day, town in received:
        if in_year(day):
            months[day.month - 1] += 1
            towns[Municipality(town)] += 1
    out["months"] = tuple(months)
    out["towns"] = tuple((m, towns[m]) for m in Municipality)

    types, lead = Counter(), []
    for d, received_on in session.execute(select(DecisionRecord, Application.received_on)
                                          .join(Application, Application.id == DecisionRecord.application_id)):
        if in_year(d.decided_on):
            types[DecisionType(d.decision_type)] += 1
            if DecisionType(d.decision_type) is not DecisionType.DEFERRED:
                lead.append((d.decided_on - received_on).days)
    out["types"] = tuple((t, types[t]) for t in DecisionType)
    out["lead"] = sorted(lead)

    recs = session.scalars(select(Recognition)).all()
    first_event = {}
    for e in session.scalars(select(RecognitionEventRecord).order_by(RecognitionEventRecord.on_date)):
        first_event.setdefault(e.recognition_id, e)
    active = [r for r in recs if r.valid_from <= as_of <= r.valid_until and not (r.withdrawn_on and r.withdrawn_on <= as_of)]
    out["new"] = sum(1 for r in recs if in_year(first_event[r.id].on_date))
    out["withdrawn"] = sum(1 for r in recs if in_year(r.withdrawn_on))
    out["converted"] = sum(1 for e in session.scalars(select(RecognitionEventRecord))
                           if e.event == RecognitionEvent.CONVERTED and in_year(e.on_date))
    out["active"] = len(active)
    per_criterion = Counter(c for r in active for c in r.criteria)
    out["criteria"] = tuple((c, per_criterion[c.value]) for c in Criterion)

    open_days = []
    for a, name in session.execute(select(Application, Organisation.name)
                                   .join(Organisation, Organisation.id == Application.organisation_id)):
        if Status(a.status).is_open and a.received_on <= as_of:  # as_of is today: the status now is the status then
            open_days.append((as_of - a.received_on).days)
    out["open"] = sorted(open_days, reverse=True)

    changes = session.scalars(select(StatusChange).order_by(StatusChange.at)).all()
    made = answered = 0
    for i, c in enumerate(changes):
        if c.to_status == Status.INFO_REQUESTED and in_year(c.on_date):
            made += 1
            answered += any(o.application_id == c.application_id for o in changes[i + 1:])
    out["info"] = (made, answered)

    held, quorum, seats = 0, 0, Counter()
    meetings = []
    for m in session.scalars(select(Meeting)):
        if m.starts_at.astimezone(AMS).year != year:
            continue
        meetings.append(m)
        if m.status in ("open", "closed"):
            held += 1
            present = session.scalars(select(AttendanceRecord).where(AttendanceRecord.meeting_id == m.id,
                                                                     AttendanceRecord.state == "present")).all()
            quorum += len(present) >= 3
            seats.update(Seat(p.seat) for p in present)
    out["meetings"] = (len(meetings), held, quorum)
    out["seats"] = tuple((s, seats[s]) for s in Seat)
    return out


def _median(values: list[int]) -> float:
    n = len(values)
    return float(values[n // 2]) if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def test_the_demo_years_report_matches_counts_made_independently(ctx):
    """Issue 15: the report of the demo year (counted up to today) gives the same figures as plain queries and
    loops over the rows: applications per month and municipality, decisions by type, recognitions new,
    converted, withdrawn and active, the register by criterion, lead times, open applications, information
    requests, meetings held with quorum, attendance per seat; the advice adopted that year and the developments
    logged that year, from the advice register and the developments log."""
    create_demo_data(ctx)
    year = TODAY.year
    r = annual_report(ctx, year)
    with ctx.db.session() as s:
        assert s.scalars(select(Correction).where(Correction.entity_type.in_(("decision", "attendance")))).all() == []
        want = _count_demo_year(s, year, TODAY)

    assert r.as_of == TODAY and not r.complete
    assert r.applications_by_month == want["months"] and r.applications > 0
    assert r.applications_by_municipality == want["towns"]
    assert r.decisions_by_type == want["types"] and r.decisions > 0
    assert r.recognitions.new == want["new"] > 0
    assert r.recognitions.withdrawn == want["withdrawn"] == 1
    assert r.recognitions.converted == want["converted"] == 1
    assert r.recognitions.active_at_end == want["active"] == r.recognitions.active_by_month[-1]
    assert r.register_by_criterion == want["criteria"]
    assert r.lead_time.count == len(want["lead"])
    assert r.lead_time.median == _median(want["lead"])
    assert r.lead_time.longest == want["lead"][-1]
    assert want["lead"][0] <= r.lead_time.p90 <= want["lead"][-1]
    assert r.open_at_end == len(want["open"])
    assert [o.days_open for o in r.longest_open] == want["open"][:rep.LONGEST_OPEN]
    assert (r.info_requests.made, r.info_requests.answered) == want["info"]
    assert (len(r.meetings), r.meetings_held, r.meetings_with_quorum) == want["meetings"]
    assert tuple((a.seat, a.present) for a in r.attendance) == want["seats"]
    assert all(a.held == r.meetings_held for a in r.attendance)
    with ctx.db.session() as s:
        adopted = sorted((a.adopted_on, a.subject, a.asked) for a in s.scalars(select(Advice))
                         if a.adopted_on is not None and a.adopted_on.year == year)
        developments = sorted((d.happened_on, d.topic) for d in s.scalars(select(Development))
                              if d.happened_on.year == year)
    assert adopted and developments, "the demo adopts advice and logs developments"
    assert sorted((a.day, a.subject, a.asked) for a in r.advice.advices) == adopted
    assert sorted((d.day, d.topic) for d in r.advice.developments) == developments
    assert r.advice.asked == sum(1 for _d, _s, asked in adopted if asked)
    assert report_years(ctx)[0] == year


# ---------------------------------------------------------------- a year with known edge cases


def on(ctx, day: dt.date):
    return dataclasses.replace(ctx, today=lambda: day)


def _register(ctx, kvk: str, received: dt.date, town=Municipality.HAARLEM, place="Haarlem"):
    return apps.register_application(on(ctx, received), org_data(kvk=kvk, name=f"Org {kvk}", municipality=town,
                                                                 place=place), app_data(received_on=received))


def _complete(ctx, app_id, day: dt.date):
    for target in (Status.IN_PROGRESS, Status.COMPLETE):
        apps.change_status(on(ctx, day), app_id, target)


def _meeting(ctx, members, app_ids, day: dt.date, present: int = 5):
    """A meeting on ``day`` with ``present`` of the five seats present (the others excused); returns its id."""
    at = on(ctx, day)
    mid = open_meeting(at, app_ids, day=dt.datetime.combine(day, dt.time(14, 0)))
    for n, m in enumerate(members):
        meeting_attendance.set_attendance(at, mid, m, Attendance.PRESENT if n < present else Attendance.EXCUSED)
    return mid


def _decide(ctx, members, mid, n, dtype, day, vote=VoteChoice.FOR, **kw):
    at = on(ctx, day)
    item = app_item(at, mid, n)
    for m in members:
        meeting_votes.record_vote(at, item.id, m, vote)
    return meeting_votes.record_decision(at, item.id, dtype, "Motivering.", **kw)


@pytest.fixture
def edge_year(ctx):
    """2025, built through the services on the dates given:
    - A, received 15 December 2024, granted 21 January 2025 (crosses the year boundary, 37 days);
    - B, received 6 January 2025, granted 21 January 2025 (15 days), reassessed from 1 September and withdrawn
      on 14 October 2025 (43 days);
    - a meeting on 10 June 2025 with two of the five seats present: held, no quorum;
    - C (Velsen), received 3 November 2025, information requested 10 November, answered 24 November (14 days),
      still open at the end of the year."""
    members = seat_members(ctx, since=dt.date(2024, 1, 1))
    a = _register(ctx, "10000001", dt.date(2024, 12, 15))
    _complete(ctx, a, dt.date(2024, 12, 20))
    b = _register(ctx, "10000002", dt.date(2025, 1, 6))
    _complete(ctx, b, dt.date(2025, 1, 8))
    day1 = dt.date(2025, 1, 21)
    m1 = _meeting(ctx, members, [a, b], day1)
    _decide(ctx, members, m1, 0, DecisionType.GRANTED, day1, criteria_met=[Criterion.PSO30])
    _decide(ctx, members, m1, 1, DecisionType.GRANTED, day1, criteria_met=[Criterion.PSO30])

    _meeting(ctx, members, [], dt.date(2025, 6, 10), present=2)

    rec = recognitions.recognition_of_application(ctx, b)
    again = recognitions.start_follow_up(on(ctx, dt.date(2025, 9, 1)), rec, Purpose.REASSESSMENT,
                                         received_on=dt.date(2025, 9, 1))
    _complete(ctx, again, dt.date(2025, 9, 2))
    day3 = dt.date(2025, 10, 14)
    m3 = _meeting(ctx, members, [again], day3)
    _decide(ctx, members, m3, 0, DecisionType.WITHDRAWN, day3, vote=VoteChoice.AGAINST)

    c = _register(ctx, "10000003", dt.date(2025, 11, 3), Municipality.VELSEN, "IJmuiden")
    apps.change_status(on(ctx, dt.date(2025, 11, 4)), c, Status.IN_PROGRESS)
    apps.change_status(on(ctx, dt.date(2025, 11, 10)), c, Status.INFO_REQUESTED, info_requested="De statuten.",
                       info_due_on=dt.date(2025, 12, 1))
    apps.change_status(on(ctx, dt.date(2025, 11, 24)), c, Status.IN_PROGRESS)
    return ctx


def test_a_year_with_known_edge_cases(edge_year):
    """Issue 15: an application received in December and decided in January counts as received in the first
    year and decided in the second (its lead time crosses the boundary); a withdrawn recognition is counted as
    withdrawn and not as active; a meeting without quorum counts as held but not as quorate; an answered
    information request counts with its days; what is open at the end is listed with its days open."""
    ctx = edge_year
    r = annual_report(ctx, 2025)
    assert r.complete and r.as_of == dt.date(2025, 12, 31)
    jan, sep, nov = 0, 8, 10
    assert [n for n in r.applications_by_month] == [1 if i in (jan, sep, nov) else 0 for i in range(12)]
    assert dict(r.applications_by_municipality)[Municipality.VELSEN] == 1
    assert dict(r.applications_by_municipality)[Municipality.HAARLEM] == 2
    assert dict(r.decisions_by_type) == {**{t: 0 for t in DecisionType}, DecisionType.GRANTED: 2,
                                         DecisionType.WITHDRAWN: 1}
    assert (r.lead_time.count, r.lead_time.median, r.lead_time.longest) == (3, 37.0, 43)
    f = r.recognitions
    assert (f.active_at_start, f.new_full, f.new_conditional, f.withdrawn, f.expired, f.active_at_end) == \
        (0, 2, 0, 1, 0, 1)
    assert f.active_by_month == (2,) * 9 + (1,) * 3  # B withdrawn in October
    assert dict(r.register_by_criterion)[Criterion.PSO30] == 1
    assert [(m.day, m.present_seats, m.held, m.quorum_reached) for m in r.meetings] == [
        (dt.date(2025, 1, 21), 5, True, True), (dt.date(2025, 6, 10), 2, True, False),
        (dt.date(2025, 10, 14), 5, True, True)]
    assert (r.meetings_held, r.meetings_with_quorum) == (3, 2)
    assert [(a.present, a.held) for a in r.attendance] == [(3, 3), (3, 3), (2, 3), (2, 3), (2, 3)]
    assert (r.info_requests.made, r.info_requests.answered, r.info_requests.days.median) == (1, 1, 14.0)
    assert [(o.organisation, o.days_open, o.status) for o in r.longest_open] == [
        ("Org 10000003", 58, Status.IN_PROGRESS)]

    before = annual_report(ctx, 2024)
    assert before.applications == 1 and before.decisions == 0 and before.meetings == ()
    assert [(o.organisation, o.days_open) for o in before.longest_open] == [("Org 10000001", 16)]
    assert before.recognitions.active_at_end == 0
    assert annual_report(ctx, 2026).recognitions.active_at_start == 1
    assert report_years(ctx) == [2026, 2025, 2024]


def test_a_year_still_to_come_is_refused_in_dutch(ctx):
    """Issue 15: a report of next year is a Dutch message, not an empty report."""
    with pytest.raises(DomainError, match="nog niet begonnen"):
        annual_report(ctx, TODAY.year + 1)


def test_a_year_without_advice_or_developments_has_an_empty_advice_section(ctx):
    """Issue 15: a year in which no advice was adopted and no development logged shows 'geen gegevens'."""
    with ctx.db.session() as s:
        assert advice_figures(s, 2025) == rep.AdviceFigures()
    assert not annual_report(ctx, 2025).advice.has_data


# ---------------------------------------------------------------- the files


def test_the_xlsx_carries_the_numbers_of_the_report(edge_year, tmp_path):
    """Issue 15: one sheet per chart or table, a header row, and the numbers equal to the report's."""
    r = annual_report(edge_year, 2025)
    path = tmp_path / "jaarverslag.xlsx"
    sheets = write_xlsx(r, path)
    wb = load_workbook(path)
    assert len(wb.sheetnames) == sheets and "aanvragen_per_maand" in wb.sheetnames

    def rows(name):
        return list(wb[name].iter_rows(values_only=True))

    month = rows("aanvragen_per_maand")
    assert month[0] == ("Maand", "Aanvragen")
    assert tuple(n for _m, n in month[1:]) == r.applications_by_month
    assert {name: n for name, n in rows("aanvragen_per_gemeente")[1:]} == {
        m.label: n for m, n in r.applications_by_municipality}
    assert {name: n for name, n in rows("besluiten")[1:]} == {t.label: n for t, n in r.decisions_by_type}
    assert [n for _l, n in rows("erkenningen")[1:]] == [r.recognitions.active_at_start, r.recognitions.new_full,
                                                         r.recognitions.new_conditional, r.recognitions.converted,
                                                         r.recognitions.renewed, r.recognitions.expired,
                                                         r.recognitions.withdrawn, r.recognitions.active_at_end]
    assert tuple(n for _l, n in rows("actief_per_maand")[1:]) == r.recognitions.active_by_month
    assert {name: n for name, n in rows("register_per_criterium")[1:]} == {
        c.short_label: n for c, n in r.register_by_criterion}
    assert [n for _l, n in rows("doorlooptijd")[1:]] == [r.lead_time.count, r.lead_time.median, r.lead_time.p90,
                                                          r.lead_time.longest]
    assert [(name, days) for name, _d, _s, days in rows("langst_open")[1:]] == [
        (o.organisation, o.days_open) for o in r.longest_open]
    assert [row[2] for row in rows("vergaderingen")[1:]] == [m.present_seats for m in r.meetings]
    assert [row[1:] for row in rows("aanwezigheid")[1:]] == [(a.present, a.held) for a in r.attendance]
    assert rows("adviezen") == [("Datum", "Onderwerp", "Gevraagd")]


def test_the_pdf_has_the_headings_charts_and_figures(edge_year, tmp_path):
    """Issue 15: the PDF on the commission's letterhead, with its sections, the chart titles and the year's
    figures in Dutch; 'geen gegevens' where the advice register has nothing yet."""
    r = annual_report(edge_year, 2025)
    path = tmp_path / "jaarverslag.pdf"
    write_pdf(edge_year, r, path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Jaarverslag 2025", "Commissie Sociaal Inkopen", "Samenvatting", "Aanvragen per maand",
                    "Aanvragen per gemeente", "Besluiten naar soort", "Doorlooptijd van ontvangst tot besluit",
                    "Langst openstaande aanvragen", "Erkenningen in het jaar", "Register naar criterium",
                    "Informatieverzoeken", "Vergaderingen", "Aanwezigheid per zetel",
                    "Advies aan het Coördinatieteam en ontwikkelingen", "geen gegevens", "Org 10000003",
                    "10 juni 2025", "Gehouden: 3 van minimaal 2.",
                    # labels drawn in the charts
                    "Velsen", "Beverwijk", "Nieuw, volledig erkend", "SROI Velsen/Heemskerk/Beverwijk", "PSO 30+"):
        assert heading in text, heading
    assert "De commissie ontving in 2025 3 aanvragen en nam 3 besluiten." in " ".join(text.split())
    assert f"pagina 1 van {len(reader.pages)}" in text


def test_the_command_writes_both_files_and_refuses_a_wrong_name(edge_year, tmp_path, capsys, monkeypatch):
    """Issue 15: commissie-app report YEAR --pdf FILE --xlsx FILE; a file name with another extension is a Dutch
    message before anything is written."""
    from commissie_app import cli

    url = edge_year.db.engine.url.render_as_string(hide_password=False)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert cli.main(["report", "2025", "--db", url, "--als", "Sanne Secretaris", "--pdf", str(pdf),
                     "--xlsx", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert "3 aanvragen" in out and pdf.read_bytes().startswith(b"%PDF") and load_workbook(xlsx).sheetnames
    assert cli.main(["report", "2025", "--db", url, "--pdf", str(tmp_path / "r.txt")]) == 1
    assert "eindigt op .pdf" in capsys.readouterr().err
    assert not (tmp_path / "r.txt").exists()


# ---------------------------------------------------------------- counting rules (pure)


def _history(*events, valid_from=dt.date(2024, 1, 1), withdrawn=None):
    return rep.RecognitionHistory(valid_from, withdrawn, tuple(events))


def test_a_badge_expires_the_day_after_its_end_unless_renewed_in_time():
    """Issue 15: expiry counted on the first day without a badge; a renewal before the end continues it; a
    renewal after a gap is an expiry and a new period; a withdrawal is no expiry."""
    G, R = RecognitionEvent.GRANTED, RecognitionEvent.RENEWED
    in_time = _history((dt.date(2024, 1, 1), G, dt.date(2025, 12, 31)), (dt.date(2025, 12, 1), R, dt.date(2027, 12, 31)))
    late = _history((dt.date(2024, 1, 1), G, dt.date(2025, 6, 30)), (dt.date(2025, 9, 1), R, dt.date(2027, 8, 31)))
    ended = _history((dt.date(2024, 1, 1), G, dt.date(2025, 12, 30)))
    withdrawn = _history((dt.date(2024, 1, 1), G, dt.date(2025, 12, 30)), withdrawn=dt.date(2025, 5, 1))
    assert rep.expiries(in_time) == [dt.date(2027, 12, 31) + dt.timedelta(days=1)]
    assert rep.expiries(late)[0] == dt.date(2025, 7, 1)
    assert rep.expiries(ended) == [dt.date(2025, 12, 31)]
    assert rep.expiries(withdrawn) == []
    assert not rep.active_on(late, dt.date(2025, 8, 1)) and rep.active_on(late, dt.date(2025, 9, 1))
    f = rep.recognition_figures([in_time, late, ended, withdrawn], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (f.active_at_start, f.renewed, f.expired, f.withdrawn, f.active_at_end) == (4, 2, 2, 1, 2)


def test_median_and_90th_percentile_of_lead_times():
    """Issue 15: median and 90th percentile (inclusive), also for one value and none."""
    assert rep.spread([]) == rep.Spread(0, None, None, None)
    assert rep.spread([12]) == rep.Spread(1, 12.0, 12.0, 12)
    s = rep.spread(range(1, 11))  # 1..10
    assert (s.median, s.p90, s.longest) == (5.5, 9.1, 10)
