"""Meetings and their agenda: statuses, the standard agenda and the twice-a-year rule (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from commissie_app.domain import voting
from commissie_app.domain.codes import LabelledEnum
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules
from commissie_app.i18n import _, ngettext

MIN_MEETINGS_PER_YEAR = 2  # seed 004: "vergadert minstens 2 keer per jaar"


class MeetingStatus(LabelledEnum):
    PLANNED = "planned"
    AGENDA_SET = "agenda_set"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            cls.PLANNED: _("gepland"),
            cls.AGENDA_SET: _("agenda vastgesteld"),
            cls.OPEN: _("geopend"),
            cls.CLOSED: _("gesloten"),
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
        return {cls.STANDARD: _("vast agendapunt"), cls.APPLICATION: _("aanvraag"), cls.FREE: _("overig agendapunt")}


# The standard agenda; applications and free items go between 'advies' and 'rondvraag'.
STANDARD_ITEMS_BEFORE = (
    "Opening",
    "Vaststelling agenda",
    "Verslag vorige vergadering",
    "Ontwikkelingen Impact Ondernemen",
    "Advies aan het Coördinatieteam",
)
STANDARD_ITEMS_AFTER = ("Rondvraag", "Sluiting")
#: the standard item under which the minutes of the previous meeting are adopted (issue 14)
PREVIOUS_MINUTES_ITEM = "Verslag vorige vergadering"


def check_status_step(current: MeetingStatus, target: MeetingStatus) -> None:
    if NEXT_STATUS.get(current) is not target:
        raise DomainError(
            _("Een vergadering met status ‘{c}’ kan niet naar ‘{t}’.").format(c=current.label, t=target.label)
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
        ngettext("In {year} is {n} vergadering gehouden of gepland; de commissie vergadert minstens twee keer per jaar.",
                 "In {year} zijn {n} vergaderingen gehouden of gepland; de commissie vergadert minstens twee keer per "
                 "jaar.", counts.get(year, 0))
        .format(year=year, n=counts.get(year, 0))
        for year in sorted(set(years))
        if counts.get(year, 0) < MIN_MEETINGS_PER_YEAR
    ]


# ---------------------------------------------------------------- the record of a held meeting


@dataclass(frozen=True)
class ItemRecord:
    """What was recorded on one application item: conflicts, votes and the decision (None: not yet)."""

    label: str  # 'punt 6 (Aanvraag Bakkerij De Korf)'
    conflicts: tuple[voting.Conflict, ...]
    votes: tuple[voting.Vote, ...]
    decision: voting.DecisionType | None = None
    deadline: dt.date | None = None
    reassessment: bool = False  # the application reassesses a recognition ('ingetrokken' is possible)


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting's attendance and application items, as stored or as a correction would leave them."""

    decision_date: dt.date
    attendees: tuple[voting.Attendee, ...]
    items: tuple[ItemRecord, ...]


def item_problems(record: MeetingRecord, item: ItemRecord, rules: Rules) -> tuple[voting.Tally, tuple[str, ...]]:
    """The tally of one item and what in its record breaks a rule (Dutch, without the item's label)."""
    tally, problems = voting.count_votes(record.attendees, item.conflicts, item.votes, rules)
    out = list(problems)
    if item.decision is not None:
        try:
            voting.check_decision(tally, item.decision, decision_date=record.decision_date, deadline=item.deadline,
                                  reassessment=item.reassessment)
        except DomainError as err:
            out.append(str(err))
    return tally, tuple(dict.fromkeys(out))


def record_problems(record: MeetingRecord, rules: Rules) -> list[str]:
    """Every rule the record breaks, each naming its item: 'Punt 6 (...): Bea ... is afwezig ...'."""
    out = []
    for item in record.items:
        for problem in item_problems(record, item, rules)[1]:
            out.append(_("{item}: {problem}").format(item=item.label[:1].upper() + item.label[1:], problem=problem))
    return list(dict.fromkeys(out))


def correctable_decisions(current: voting.DecisionType, tally: voting.Tally,
                          reassessment: bool = False) -> frozenset[voting.DecisionType]:
    """The decisions a correction may give an item whose vote now stands as ``tally``: those the vote
    supports, but never into or out of 'aangehouden' (the application's status would change with it)."""
    allowed = voting.accepted_decisions(tally, reassessment=reassessment)
    deferred = frozenset({voting.DecisionType.DEFERRED})
    return allowed & deferred if current is voting.DecisionType.DEFERRED else allowed - deferred


class DecisionNeeded(DomainError):
    """A correction changes the outcome of an item: the corrected decision must come in the same step."""

    def __init__(self, item: ItemRecord, before: voting.Tally, after: voting.Tally):
        self.allowed = correctable_decisions(item.decision, after, item.reassessment)
        text = _("Deze correctie verandert de uitslag van {item} van ‘{before}’ in ‘{after}’ ({summary}); het besluit "
                 "‘{decision}’ past daar niet meer bij.").format(
            item=item.label, before=before.outcome.label, after=after.outcome.label, summary=after.summary,
            decision=item.decision.label)
        labels = [f"‘{d.label}’" for d in voting.DecisionType if d in self.allowed]
        if labels:
            text += " " + _("Leg in dezelfde stap het gecorrigeerde besluit vast ({options}).").format(
                options=(" " + _("of") + " ").join(labels))
        else:
            text += " " + _("Een ander besluit kan hier niet met een correctie worden vastgelegd (de aanvraag zou "
                            "dan een andere status krijgen); de correctie wordt niet vastgelegd.")
        super().__init__(text)


def check_correction(before: MeetingRecord, after: MeetingRecord, rules: Rules) -> None:
    """Refuse (Dutch) a correction that would leave the record breaking a rule it did not break before.

    The records list the same items in the same order. A record that was already broken (stored before
    this check existed, or by hand) can be repaired step by step: only new problems count. A correction
    that changes an item's outcome so that its decision no longer fits raises ``DecisionNeeded``.
    """
    old = set(record_problems(before, rules))
    new = [p for p in record_problems(after, rules) if p not in old]
    if not new:
        return
    for was, now in zip(before.items, after.items):
        if now.decision is None or now.decision is not was.decision:
            continue
        t_before = voting.count_votes(before.attendees, was.conflicts, was.votes, rules)[0]
        t_after, vote_problems = voting.count_votes(after.attendees, now.conflicts, now.votes, rules)
        allowed = voting.accepted_decisions(t_after, reassessment=now.reassessment)
        if not vote_problems and t_after.outcome is not t_before.outcome and allowed and now.decision not in allowed:
            raise DecisionNeeded(now, t_before, t_after)
    raise DomainError(_("Deze correctie wordt niet vastgelegd, want daarna klopt de vergadering niet meer:")
                      + "\n" + "\n".join(f"- {p}" for p in new))


# ---------------------------------------------------------------- corrections in words


def decision_field_label(field: str) -> str:
    """What a correction of a decision changed, e.g. 'Besluit' or 'Motivering van besluit'."""
    return {
        "decision_type": _("Besluit"),
        "motivation": _("Motivering van besluit"),
        "conditional_deadline": _("Termijn van besluit"),
        "badge_valid_from": _("Erkend vanaf, besluit"),
        "badge_valid_until": _("Geldig t/m, besluit"),
        "conditions": _("Voorwaarden van besluit"),
        "criteria_met": _("Criteria waaraan is voldaan, besluit"),
    }.get(field, _("Besluit"))


def correction_value_text(entity_type: str, field: str, value: object) -> str:
    """A corrected (or original) value in words: 'tegen', 'afwezig', 'afgewezen', '1 december 2026'."""
    from commissie_app.domain.validation import format_date_nl

    if value is None:
        return ""
    enum = {("vote", "choice"): voting.VoteChoice, ("attendance", "state"): voting.Attendance,
            ("decision", "decision_type"): voting.DecisionType}.get((entity_type, field))
    if enum is not None:
        try:
            return enum(value).label
        except ValueError:
            return str(value)
    if entity_type == "decision" and field == "criteria_met" and isinstance(value, list):
        from commissie_app.domain.codes import Criterion

        known = {c.value: c.label for c in Criterion}
        return ", ".join(known.get(str(v), str(v)) for v in value) or _("geen")
    if entity_type == "decision" and field in ("conditional_deadline", "badge_valid_from", "badge_valid_until"):
        try:
            return format_date_nl(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)
