"""The annual report (jaarverslag / voortgangsrapportage, seed 003): the figures of one year as values, and the
pure rules that count them (issue 15).

``services/annual_report.py`` reads the rows of the year and calls these functions; the PDF, the XLSX and the
Rapportage page show the ``AnnualReport`` as it is. Counting rules:

* a year is counted up to ``as_of``: 31 December, or today for the year that is still running;
* **lead time**: days from the application's receipt to its decision, for the decisions of the year that end the
  application (every type but 'aangehouden'); median and 90th percentile (inclusive method);
* **open applications**: received by ``as_of`` and neither decided nor withdrawn by then, longest first;
* **information requests**: each change to 'informatie opgevraagd' in the year, until the application's next
  status change (answered) or still open at ``as_of``;
* **recognitions** follow their history (``recognition_events``): the badge's end as it stood on each date, so a
  later renewal does not change what was active at the end of an earlier year. A recognition is *new* in the year
  of its first event, *expires* on the day after its badge's last day unless it was renewed or withdrawn before,
  and is *active* on a date when it has begun, its badge runs on that date and it was not withdrawn on or before;
* **meetings**: those of the year by their Dutch date; a meeting opened or closed counts as held; its quorum is
  reached when at least the rules' number of seats was present (the rules it was closed under).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from commissie_app.domain.codes import Criterion, DecisionType, Municipality, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.dates import MONTHS_NL, format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import MIN_MEETINGS_PER_YEAR, MeetingStatus
from commissie_app.domain.recognition import RecognitionEvent
from commissie_app.i18n import _, ngettext

#: How many of the longest-open applications the report lists.
LONGEST_OPEN = 5


def report_period(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """(1 January, the last day counted): 31 December, or today for the running year; a year still to come is
    refused (Dutch)."""
    if year > today.year:
        raise DomainError(_("Het jaar {year} is nog niet begonnen; kies {year_now} of een eerder jaar.").format(
            year=year, year_now=today.year))
    if year < 2000:
        raise DomainError(_("Kies een jaar vanaf 2000; {year} is geen jaar van de commissie.").format(year=year))
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


# ---------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Spread:
    """Days: how many values, median and 90th percentile (None without values), and the longest."""

    count: int
    median: float | None
    p90: float | None
    longest: int | None


def spread(days: Iterable[int]) -> Spread:
    values = sorted(days)
    if not values:
        return Spread(0, None, None, None)
    p90 = float(values[0]) if len(values) == 1 else statistics.quantiles(values, n=10, method="inclusive")[-1]
    return Spread(len(values), float(statistics.median(values)), round(p90, 1), values[-1])


@dataclass(frozen=True)
class OpenApplication:
    organisation: str
    received_on: dt.date
    status: Status
    days_open: int


@dataclass(frozen=True)
class InfoRequests:
    made: int  # requests made in the year
    answered: int  # of those, answered by the end of the period
    still_open: int
    days: Spread  # of the answered ones


@dataclass(frozen=True)
class RecognitionFigures:
    active_at_start: int  # on 31 December of the year before
    new_full: int
    new_conditional: int
    converted: int
    renewed: int
    expired: int
    withdrawn: int
    active_at_end: int  # at the last day counted
    active_by_month: tuple[int, ...]  # at the end of each month counted (up to as_of)

    @property
    def new(self) -> int:
        return self.new_full + self.new_conditional


@dataclass(frozen=True)
class MeetingLine:
    day: dt.date
    status: MeetingStatus
    present_seats: int
    quorum_seats: int

    @property
    def held(self) -> bool:
        return self.status in (MeetingStatus.OPEN, MeetingStatus.CLOSED)

    @property
    def quorum_reached(self) -> bool:
        return self.held and self.present_seats >= self.quorum_seats


@dataclass(frozen=True)
class SeatAttendance:
    seat: Seat
    present: int
    held: int  # meetings held in the year

    @property
    def share(self) -> float:
        return self.present / self.held if self.held else 0.0


@dataclass(frozen=True)
class AdviceLine:
    """One advice to the Coördinatieteam adopted in the year."""

    day: dt.date
    subject: str
    asked: bool
    status: str = ""


@dataclass(frozen=True)
class DevelopmentLine:
    """One entry of the developments log ('Ontwikkelingen Impact Ondernemen')."""

    day: dt.date
    topic: str


@dataclass(frozen=True)
class AdviceFigures:
    """Advice given to the Coördinatieteam and the developments followed; empty: no records ('geen gegevens')."""

    advices: tuple[AdviceLine, ...] = ()
    developments: tuple[DevelopmentLine, ...] = ()

    @property
    def has_data(self) -> bool:
        return bool(self.advices or self.developments)

    @property
    def asked(self) -> int:
        return sum(1 for a in self.advices if a.asked)

    @property
    def unasked(self) -> int:
        return len(self.advices) - self.asked


@dataclass(frozen=True)
class AnnualReport:
    year: int
    as_of: dt.date
    applications_by_month: tuple[int, ...]  # 12 values, January first
    applications_by_municipality: tuple[tuple[Municipality, int], ...]  # every municipality of the region
    decisions_by_type: tuple[tuple[DecisionType, int], ...]  # every type
    recognitions: RecognitionFigures
    register_by_criterion: tuple[tuple[Criterion, int], ...]  # recognitions active at the end, per criterion met
    lead_time: Spread
    longest_open: tuple[OpenApplication, ...]
    open_at_end: int
    info_requests: InfoRequests
    meetings: tuple[MeetingLine, ...]
    attendance: tuple[SeatAttendance, ...]
    advice: AdviceFigures = field(default_factory=AdviceFigures)
    minimum_meetings: int = MIN_MEETINGS_PER_YEAR

    @property
    def applications(self) -> int:
        return sum(self.applications_by_month)

    @property
    def decisions(self) -> int:
        return sum(n for _t, n in self.decisions_by_type)

    @property
    def meetings_held(self) -> int:
        return sum(1 for m in self.meetings if m.held)

    @property
    def meetings_with_quorum(self) -> int:
        return sum(1 for m in self.meetings if m.quorum_reached)

    @property
    def complete(self) -> bool:
        """The whole year is counted (not a running year)."""
        return self.as_of == dt.date(self.year, 12, 31)


# ---------------------------------------------------------------- counting rules


def by_month(days: Iterable[dt.date], year: int) -> tuple[int, ...]:
    counts = [0] * 12
    for day in days:
        if day.year == year:
            counts[day.month - 1] += 1
    return tuple(counts)


def counted(values: Iterable, members: Iterable) -> tuple[tuple[object, int], ...]:
    """(member, how often it occurs in ``values``) for every member, in the members' order."""
    values = list(values)
    return tuple((m, values.count(m)) for m in members)


def open_applications(rows: Iterable[tuple[str, dt.date, Status]], as_of: dt.date) -> list[OpenApplication]:
    """``rows``: (organisation, received on, status) of the applications open at ``as_of``; longest open first."""
    out = [OpenApplication(name, received_on, status, (as_of - received_on).days) for name, received_on, status in rows]
    return sorted(out, key=lambda o: (-o.days_open, o.organisation))


def info_requests(requests: Iterable[tuple[dt.date, dt.date | None]]) -> InfoRequests:
    """``requests``: (requested on, day of the application's next status change or None) per request."""
    requests = list(requests)
    days = [(answered - asked).days for asked, answered in requests if answered is not None]
    return InfoRequests(len(requests), len(days), len(requests) - len(days), spread(days))


@dataclass(frozen=True)
class RecognitionHistory:
    valid_from: dt.date
    withdrawn_on: dt.date | None
    events: tuple[tuple[dt.date, RecognitionEvent, dt.date | None], ...]  # (on date, event, badge end), in order


def _badge_end_on(h: RecognitionHistory, day: dt.date) -> dt.date | None:
    end = None
    for on, _event, until in h.events:
        if on > day:
            break
        end = until if until is not None else end
    return end


def active_on(h: RecognitionHistory, day: dt.date) -> bool:
    if not h.events or h.events[0][0] > day or h.valid_from > day:
        return False
    if h.withdrawn_on is not None and h.withdrawn_on <= day:
        return False
    end = _badge_end_on(h, day)
    return end is not None and end >= day


def expiries(h: RecognitionHistory) -> list[dt.date]:
    """The first days without a badge: the day after each badge end that no later event (a renewal) reached
    in time and that came before a withdrawal."""
    out = []
    for i, (_on, _event, until) in enumerate(h.events):
        if until is None:
            continue
        expiry = until + dt.timedelta(days=1)
        nxt = h.events[i + 1][0] if i + 1 < len(h.events) else None
        if nxt is not None and nxt < expiry:
            continue
        if h.withdrawn_on is not None and h.withdrawn_on < expiry:
            continue
        if expiry not in out:
            out.append(expiry)
    return out


def month_ends(year: int, as_of: dt.date) -> list[dt.date]:
    ends = []
    for month in range(1, 13):
        last = (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)) - dt.timedelta(days=1)
        if last > as_of:
            if dt.date(year, month, 1) <= as_of:
                ends.append(as_of)
            break
        ends.append(last)
    return ends


def recognition_figures(histories: Iterable[RecognitionHistory], start: dt.date,
                        as_of: dt.date) -> RecognitionFigures:
    hs = list(histories)
    in_year = (lambda d: d is not None and start <= d <= as_of)
    firsts = [h.events[0] for h in hs if h.events and in_year(h.events[0][0])]
    events = [e for h in hs for (on, e, _u) in h.events if in_year(on)]
    return RecognitionFigures(
        active_at_start=sum(active_on(h, start - dt.timedelta(days=1)) for h in hs),
        new_full=sum(1 for _on, e, _u in firsts if e is not RecognitionEvent.CONDITIONAL),
        new_conditional=sum(1 for _on, e, _u in firsts if e is RecognitionEvent.CONDITIONAL),
        converted=events.count(RecognitionEvent.CONVERTED),
        renewed=events.count(RecognitionEvent.RENEWED),
        expired=sum(1 for h in hs for d in expiries(h) if in_year(d)),
        withdrawn=sum(1 for h in hs if in_year(h.withdrawn_on)),
        active_at_end=sum(active_on(h, as_of) for h in hs),
        active_by_month=tuple(sum(active_on(h, d) for h in hs) for d in month_ends(start.year, as_of)),
    )


def attendance_per_seat(meetings: Iterable[tuple[bool, Iterable[Seat]]]) -> tuple[SeatAttendance, ...]:
    """``meetings``: (held, seats present) per meeting of the year."""
    held = [set(seats) for was_held, seats in meetings if was_held]
    return tuple(SeatAttendance(seat, sum(1 for present in held if seat in present), len(held)) for seat in Seat)


# ---------------------------------------------------------------- the report as tables (PDF, XLSX, page)


@dataclass(frozen=True)
class ReportTable:
    """One table of the report with its header row; ``chart``: how the PDF and the page draw it ('bar': one
    bar per row, 'hbar': horizontal bars, 'pie', 'line'; '' a table only). A chart shows the first column as
    labels and the second as values."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    chart: str = ""

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(row[1] for row in self.rows)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(row[0]) for row in self.rows)


def cell_text(value: object) -> str:
    """A value of a table as shown in the PDF and on the page: a date the Dutch way, a decimal comma."""
    if isinstance(value, dt.date):
        return format_date_nl(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def summary(r: AnnualReport) -> str:
    """The opening paragraph: the year in a few sentences."""
    period = _("in {year}").format(year=r.year) if r.complete else _("in {year} tot en met {date}").format(
        year=r.year, date=format_date_nl(r.as_of))
    parts = [
        ngettext("De commissie ontving {period} {n} aanvraag", "De commissie ontving {period} {n} aanvragen",
                 r.applications).format(period=period, n=r.applications),
        ngettext("en nam {n} besluit.", "en nam {n} besluiten.", r.decisions).format(n=r.decisions),
        ngettext("Op {date} was {n} organisatie erkend als sociaal ondernemer.",
                 "Op {date} waren {n} organisaties erkend als sociaal ondernemer.",
                 r.recognitions.active_at_end).format(date=format_date_nl(r.as_of), n=r.recognitions.active_at_end),
        _("De commissie vergaderde {n} keer (minimaal {m} keer per jaar); het quorum werd {q} keer gehaald.").format(
            n=r.meetings_held, m=r.minimum_meetings, q=r.meetings_with_quorum),
    ]
    return " ".join(parts)


def meetings_sentence(r: AnnualReport) -> str:
    planned = len(r.meetings) - r.meetings_held
    text = _("Gehouden: {held} van minimaal {minimum}.").format(held=r.meetings_held, minimum=r.minimum_meetings)
    if planned:
        text += " " + _("Nog gepland: {n}.").format(n=planned)
    if r.meetings_held + planned < r.minimum_meetings:
        text += " " + _("De commissie vergadert minstens twee keer per jaar; dat is dit jaar niet gehaald.")
    return text


def _days(value: float | None) -> object:
    return "" if value is None else value


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def recognition_rows(r: RecognitionFigures, year: int, as_of: dt.date) -> tuple[tuple[str, int], ...]:
    return (
        (_("Actief op 31 december {year}").format(year=year - 1), r.active_at_start),
        (_("Nieuw, volledig erkend"), r.new_full),
        (_("Nieuw, voorwaardelijk erkend"), r.new_conditional),
        (_("Omgezet naar volledige erkenning"), r.converted),
        (_("Verlengd"), r.renewed),
        (_("Verlopen"), r.expired),
        (_("Ingetrokken"), r.withdrawn),
        (_("Actief op {date}").format(date=format_date_nl(as_of)), r.active_at_end),
    )


def report_tables(report: AnnualReport) -> tuple[ReportTable, ...]:
    """Every table of the report, in the report's order, with the numbers as they are in ``report``."""
    r = report
    ends = month_ends(r.year, r.as_of)
    tables = [
        ReportTable("aanvragen_per_maand", _("Aanvragen per maand"), (_("Maand"), _("Aanvragen")),
                    tuple(zip(MONTHS_NL, r.applications_by_month)), "bar"),
        ReportTable("aanvragen_per_gemeente", _("Aanvragen per gemeente"), (_("Gemeente"), _("Aanvragen")),
                    tuple((m.label, n) for m, n in r.applications_by_municipality), "hbar"),
        ReportTable("besluiten", _("Besluiten naar soort"), (_("Besluit"), _("Aantal")),
                    tuple((t.label, n) for t, n in r.decisions_by_type), "pie"),
        ReportTable("erkenningen", _("Erkenningen in het jaar"), (_("Erkenningen"), _("Aantal")),
                    recognition_rows(r.recognitions, r.year, r.as_of), "hbar"),
        ReportTable("actief_per_maand", _("Actieve erkenningen aan het einde van elke maand"),
                    (_("Einde maand"), _("Actieve erkenningen")),
                    tuple((MONTHS_NL[d.month - 1], n) for d, n in zip(ends, r.recognitions.active_by_month)), "line"),
        ReportTable("register_per_criterium", _("Register naar criterium (actieve erkenningen)"),
                    (_("Criterium"), _("Erkenningen")), tuple((c.short_label, n) for c, n in r.register_by_criterion),
                    "hbar"),
        ReportTable("doorlooptijd", _("Doorlooptijd van ontvangst tot besluit"), (_("Doorlooptijd"), _("Dagen")), (
            (_("Besluiten (zonder aangehouden)"), r.lead_time.count),
            (_("Mediaan (dagen)"), _days(r.lead_time.median)),
            (_("90e percentiel (dagen)"), _days(r.lead_time.p90)),
            (_("Langste (dagen)"), _days(r.lead_time.longest)),
        )),
        ReportTable("langst_open", _("Langst openstaande aanvragen"),
                    (_("Organisatie"), _("Ontvangen"), _("Status"), _("Dagen open")),
                    tuple((o.organisation, o.received_on, o.status.label, o.days_open) for o in r.longest_open)),
        ReportTable("informatieverzoeken", _("Informatieverzoeken"), (_("Informatieverzoeken"), _("Aantal")), (
            (_("Gedaan"), r.info_requests.made),
            (_("Beantwoord"), r.info_requests.answered),
            (_("Nog open"), r.info_requests.still_open),
            (_("Mediaan tot antwoord (dagen)"), _days(r.info_requests.days.median)),
            (_("Langste tot antwoord (dagen)"), _days(r.info_requests.days.longest)),
        )),
        ReportTable("vergaderingen", _("Vergaderingen"),
                    (_("Datum"), _("Status"), _("Aanwezige zetels"), _("Quorum"), _("Quorum bereikt")),
                    tuple((m.day, m.status.label, m.present_seats if m.held else "", m.quorum_seats,
                           _yes_no(m.quorum_reached) if m.held else "") for m in r.meetings)),
        ReportTable("aanwezigheid", _("Aanwezigheid per zetel ({n} gehouden vergaderingen)").format(n=r.meetings_held), (_("Zetel"), _("Aanwezig"), _("Gehouden vergaderingen")),
                    tuple((a.seat.label, a.present, a.held) for a in r.attendance), "hbar"),
        ReportTable("adviezen", _("Adviezen aan het Coördinatieteam"), (_("Datum"), _("Onderwerp"), _("Gevraagd")),
                    tuple((a.day, a.subject, _yes_no(a.asked)) for a in r.advice.advices)),
        ReportTable("ontwikkelingen", _("Ontwikkelingen Impact Ondernemen"), (_("Datum"), _("Onderwerp")),
                    tuple((d.day, d.topic) for d in r.advice.developments)),
    ]
    return tuple(tables)
