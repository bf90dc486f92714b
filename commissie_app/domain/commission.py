"""The commission itself: its five seats, who holds them (terms) and its officers.

Pure rules, no database: the service layer loads the terms and calls these functions.

* A seat is held by a member for a **term** from ``start`` up to and including ``end``
  (``None``: open-ended). History is kept: ``holder_on(terms, seat, day)`` answers who held a
  seat on the date of a meeting, so a vote of 2025 keeps showing the member of 2025.
* Terms on one seat may not overlap, and one member cannot hold two seats on the same day
  (a member would otherwise count twice for the quorum).
* The business representative (seat ``BUSINESS``) is appointed by the Coördinatieteam and may be
  replaced every year: when the current term of that seat started more than a year ago a warning
  ("Is vervanging nodig?") is given. A re-appointment is recorded as a new term, which silences it.
* Chair and secretary are roles at a meeting, not seats. The chair is a member; the secretary may
  be someone without a seat, who then does not vote and does not count for the quorum.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from commissie_app.domain.codes import LabelledEnum, Municipality
from commissie_app.domain.errors import DomainError
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _

#: After how many months the business representative is flagged as due for replacement.
BUSINESS_TERM_MONTHS = 12


class Seat(LabelledEnum):
    """The five seats of the Commissie Sociaal Inkopen (seed 004), in the order of that text."""

    BUSINESS = "business"
    SROI_IJMOND = "sroi_ijmond"
    SROI_SOUTH_KENNEMERLAND = "sroi_south_kennemerland"
    HAARLEM_IMPACT = "haarlem_impact"
    HAARLEM_WORK_INCOME = "haarlem_work_income"

    @classmethod
    def _labels(cls):
        return {
            cls.BUSINESS: _("Bedrijfsleven"),
            cls.SROI_IJMOND: _("SROI Velsen/Heemskerk/Beverwijk"),
            cls.SROI_SOUTH_KENNEMERLAND: _("SROI Bloemendaal/Haarlem/Heemstede/Zandvoort"),
            cls.HAARLEM_IMPACT: _("Haarlem Impact Ondernemen"),
            cls.HAARLEM_WORK_INCOME: _("Haarlem Werk en Inkomen"),
        }

    @property
    def description(self) -> str:
        """Who holds the seat, as the commission's own text puts it."""
        return {
            Seat.BUSINESS: _(
                "Vertegenwoordiger uit het bedrijfsleven die aan een van de criteria voldoet; benoemd door "
                "het Coördinatieteam, kan jaarlijks worden gewisseld"
            ),
            Seat.SROI_IJMOND: _("Vertegenwoordiger gemeenten Velsen/Heemskerk/Beverwijk belast met SROI"),
            Seat.SROI_SOUTH_KENNEMERLAND: _(
                "Vertegenwoordiger gemeenten Bloemendaal/Haarlem/Heemstede/Zandvoort belast met SROI"
            ),
            Seat.HAARLEM_IMPACT: _("Vertegenwoordiger gemeente Haarlem belast met Impact Ondernemen"),
            Seat.HAARLEM_WORK_INCOME: _("Vertegenwoordiger gemeente Haarlem belast met Werk en Inkomen"),
        }[self]

    @property
    def municipalities(self) -> tuple[Municipality, ...]:
        """The municipalities a seat represents (empty for the business seat)."""
        M = Municipality
        return {
            Seat.BUSINESS: (),
            Seat.SROI_IJMOND: (M.VELSEN, M.HEEMSKERK, M.BEVERWIJK),
            Seat.SROI_SOUTH_KENNEMERLAND: (M.BLOEMENDAAL, M.HAARLEM, M.HEEMSTEDE, M.ZANDVOORT),
            Seat.HAARLEM_IMPACT: (M.HAARLEM,),
            Seat.HAARLEM_WORK_INCOME: (M.HAARLEM,),
        }[self]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus a number of calendar months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Term:
    """A member holding a seat from ``start`` up to and including ``end`` (``None``: still sitting)."""

    member_id: Hashable
    member_name: str
    seat: Seat
    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Term) -> bool:
        return (self.end is None or other.start <= self.end) and (other.end is None or self.start <= other.end)

    @property
    def period_text(self) -> str:
        """'1 januari 2026 tot en met 31 december 2026' or 'vanaf 1 januari 2026'."""
        if self.end is None:
            return _("vanaf {start}").format(start=format_date_nl(self.start))
        return _("{start} tot en met {end}").format(start=format_date_nl(self.start), end=format_date_nl(self.end))


def term_problems(terms: Iterable[Term]) -> list[str]:
    """Every problem of a set of terms, as Dutch sentences (empty: the terms are consistent)."""
    terms = sorted(terms, key=lambda t: (t.start, list(Seat).index(t.seat)))
    problems: list[str] = []
    for t in terms:
        if not isinstance(t.seat, Seat):
            problems.append(_("Kies voor {name} een van de vijf zetels.").format(name=t.member_name))
        if t.end is not None and t.end < t.start:
            problems.append(
                _("De zittingsperiode van {name} eindigt ({end}) vóór ze begint ({start}).").format(
                    name=t.member_name, end=format_date_nl(t.end), start=format_date_nl(t.start)
                )
            )
    valid = [t for t in terms if isinstance(t.seat, Seat) and (t.end is None or t.start <= t.end)]
    for i, a in enumerate(valid):
        for b in valid[i + 1:]:
            if not a.overlaps(b):
                continue
            if a.seat == b.seat:
                problems.append(
                    _(
                        "De zittingsperioden op de zetel ‘{seat}’ overlappen: {a} ({pa}) en {b} ({pb}). "
                        "Een zetel heeft op elke dag hoogstens één lid; laat de ene periode eindigen vóór "
                        "de andere begint."
                    ).format(seat=a.seat.label, a=a.member_name, pa=a.period_text, b=b.member_name, pb=b.period_text)
                )
            elif a.member_id == b.member_id:
                problems.append(
                    _(
                        "{name} zou tegelijk twee zetels bezetten (‘{sa}’ {pa} en ‘{sb}’ {pb}). "
                        "Een lid heeft één zetel tegelijk."
                    ).format(name=a.member_name, sa=a.seat.label, pa=a.period_text, sb=b.seat.label, pb=b.period_text)
                )
    return problems


def check_terms(terms: Iterable[Term]) -> None:
    """Raise DomainError (Dutch, every problem listed) when the terms are inconsistent."""
    problems = term_problems(terms)
    if len(problems) == 1:
        raise DomainError(problems[0])
    if problems:
        raise DomainError(
            _("De zittingsperioden zijn niet in orde:") + "\n" + "\n".join(f"- {p}" for p in problems)
        )


def holder_on(terms: Iterable[Term], seat: Seat, day: dt.date) -> Term | None:
    """The term of the member who held ``seat`` on ``day``, or None when the seat was vacant."""
    for t in terms:
        if t.seat == seat and t.covers(day):
            return t
    return None


def composition_on(terms: Iterable[Term], day: dt.date) -> dict[Seat, Term | None]:
    """Every seat (in seat order) with the term of its holder on ``day`` (None: vacant)."""
    terms = list(terms)
    return {seat: holder_on(terms, seat, day) for seat in Seat}


def seat_of(terms: Iterable[Term], member_id: Hashable, day: dt.date) -> Seat | None:
    """The seat ``member_id`` held on ``day``; None for someone without a seat (a secretary, a guest)."""
    for t in terms:
        if t.member_id == member_id and t.covers(day):
            return t.seat
    return None


def business_seat_warning(terms: Iterable[Term], today: dt.date) -> str | None:
    """A warning when the current business representative's term began more than a year ago."""
    term = holder_on(terms, Seat.BUSINESS, today)
    if term is None or today <= add_months(term.start, BUSINESS_TERM_MONTHS):
        return None
    return _(
        "{name} vertegenwoordigt het bedrijfsleven sinds {start}. Het Coördinatieteam kan deze zetel jaarlijks "
        "opnieuw invullen. Is vervanging nodig?"
    ).format(name=term.member_name, start=format_date_nl(term.start))


def composition_warnings(terms: Iterable[Term], today: dt.date) -> list[str]:
    """Things the secretary should look at: vacant seats and a business seat due for replacement."""
    terms = list(terms)
    warnings = [
        _("De zetel ‘{seat}’ is onbezet.").format(seat=seat.label)
        for seat, term in composition_on(terms, today).items()
        if term is None
    ]
    business = business_seat_warning(terms, today)
    if business:
        warnings.append(business)
    return warnings


@dataclass(frozen=True)
class Officers:
    """Chair and secretary of one meeting (ids of people; the secretary need not hold a seat)."""

    chair_id: Hashable
    secretary_id: Hashable


def check_officers(terms: Iterable[Term], day: dt.date, officers: Officers) -> None:
    """The chair must hold a seat on the meeting date; the secretary may be anyone."""
    if officers.chair_id is None:
        raise DomainError(_("Kies een voorzitter voor de vergadering."))
    if officers.secretary_id is None:
        raise DomainError(_("Kies een secretaris voor de vergadering."))
    if seat_of(terms, officers.chair_id, day) is None:
        raise DomainError(
            _("De voorzitter moet op {day} een zetel in de commissie hebben.").format(day=format_date_nl(day))
        )
