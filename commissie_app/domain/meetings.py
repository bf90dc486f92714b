"""Meetings and their agenda: statuses, the standard agenda and the twice-a-year rule (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from commissie_app.domain.codes import LabelledEnum
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

MIN_MEETINGS_PER_YEAR = 2  # seed 004: "vergadert minstens 2 keer per jaar"


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    AGENDA_SET = "agenda_set"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            cls.PLANNED: "gepland",
            cls.AGENDA_SET: "agenda vastgesteld",
            cls.OPEN: "geopend",
            cls.CLOSED: "gesloten",
        }


NEXT_STATUS = {
    MeetingStatus.PLANNED: MeetingStatus.AGENDA_SET,
    MeetingStatus.AGENDA_SET: MeetingStatus.OPEN,
    MeetingStatus.OPEN: MeetingStatus.CLOSED,
}


class ItemKind(LabelledEnum):
    STANDARD = "standard"
    APPLICATION = "application"
    FREE = "free"

    @classmethod
    def _labels(cls):
        return {cls.STANDARD: "vast agendapunt", cls.APPLICATION: "aanvraag", cls.FREE: "overig agendapunt"}


# The standard agenda; applications and free items go between 'advies' and 'rondvraag'.
STANDARD_ITEMS_BEFORE = (
    "Opening",
    "Vaststelling agenda",
    "Verslag vorige vergadering",
    "Ontwikkelingen Impact Ondernemen",
    "Advies aan het Coördinatieteam",
)
STANDARD_ITEMS_AFTER = ("Rondvraag", "Sluiting")


def check_status_step(current: MeetingStatus, target: MeetingStatus) -> None:
    if NEXT_STATUS.get(current) is not target:
        raise DomainError(
            _("Een vergadering met status '{c}' kan niet naar '{t}'.").format(c=current.label, t=target.label)
        )


def check_agenda_editable(status: MeetingStatus) -> None:
    if status is MeetingStatus.CLOSED:
        raise DomainError(_("De vergadering is gesloten; de agenda kan niet meer worden gewijzigd."))


def check_open_for_business(status: MeetingStatus) -> None:
    """Attendance, conflicts, votes and decisions are recorded in an opened meeting only."""
    if status is MeetingStatus.CLOSED:
        raise DomainError(
            _("De vergadering is gesloten: aanwezigheid, stemmen en besluiten liggen vast. "
              "Leg een correctie vast met een reden.")
        )
    if status is not MeetingStatus.OPEN:
        raise DomainError(_("Open eerst de vergadering; pas dan worden aanwezigheid en stemmen vastgelegd."))


def insert_position(kinds: list[ItemKind], titles: list[str]) -> int:
    """Where a new application or free item goes: before 'Rondvraag' (or at the end)."""
    for i, (kind, title) in enumerate(zip(kinds, titles)):
        if kind is ItemKind.STANDARD and title in STANDARD_ITEMS_AFTER:
            return i
    return len(kinds)


def year_warnings(meetings: Iterable[tuple[dt.date, MeetingStatus]], years: Iterable[int]) -> list[str]:
    """A warning per year with fewer than two meetings held or planned."""
    counts = Counter(day.year for day, _status in meetings)
    return [
        _("In {year} zijn {n} vergadering(en) gehouden of gepland; de commissie vergadert minstens twee keer per jaar.")
        .format(year=year, n=counts.get(year, 0))
        for year in sorted(set(years))
        if counts.get(year, 0) < MIN_MEETINGS_PER_YEAR
    ]
