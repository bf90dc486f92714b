"""Votes on an agenda item: attendance, conflicts of interest, quorum, tally, outcome, decision.

Pure rules (see ``docs/meetings.md``); the service layer stores attendance, conflicts and votes and
calls these functions before it writes anything.

* **Attendance** per seat holder: aanwezig, afwezig, afgemeld. Only present seat holders count.
* **Conflict of interest** (belangenverstrengeling, with a reason) is declared per agenda item; the
  member then neither votes on that item nor counts for its quorum.
* **Quorum**: at least ``rules.quorum_seats`` of the five seats are held by members who are present
  and not conflicted. Without quorum no vote can be recorded.
* **Votes**: each counted member votes voor, tegen or onthouding, once. A vote of anyone else (absent,
  excused, conflicted, without a seat) is refused with a Dutch message.
* **Outcome** once every counted member has voted: more voor than tegen -> positive (the commission
  grants, possibly conditionally); more tegen -> afgewezen; a tie, including all abstentions ->
  ``rules.tie_outcome``. While votes are missing the outcome is ``Outcome.INCOMPLETE`` and
  ``Tally.missing`` names who has not voted yet; without quorum it is ``Outcome.NO_QUORUM``.
* **Decision**: the secretary picks a decision type that must agree with the vote
  (``accepted_decisions`` / ``check_decision``). 'Aangehouden' is also accepted without quorum and
  when no vote has been cast at all (the commission defers the item before voting); once voting has
  started it must be completed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from commissie_app.domain.codes import DecisionType, LabelledEnum  # noqa: F401  (DecisionType: also from here)
from commissie_app.domain.commission import Seat, add_months
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _, ngettext


class Attendance(LabelledEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"

    @classmethod
    def _labels(cls):
        return {cls.PRESENT: _("aanwezig"), cls.ABSENT: _("afwezig"), cls.EXCUSED: _("afgemeld")}


class VoteChoice(LabelledEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @classmethod
    def _labels(cls):
        return {cls.FOR: _("voor"), cls.AGAINST: _("tegen"), cls.ABSTAIN: _("onthouding")}


class Outcome(LabelledEnum):
    """What the votes on an item say so far."""

    NO_QUORUM = "no_quorum"
    INCOMPLETE = "incomplete"
    POSITIVE = "positive"
    REJECTED = "rejected"
    DEFERRED = "deferred"

    @classmethod
    def _labels(cls):
        return {
            cls.NO_QUORUM: _("geen quorum"),
            cls.INCOMPLETE: _("stemming niet compleet"),
            cls.POSITIVE: _("meerderheid voor"),
            cls.REJECTED: _("afgewezen"),
            cls.DEFERRED: _("aangehouden"),
        }

    @property
    def is_final(self) -> bool:
        return self in (Outcome.POSITIVE, Outcome.REJECTED, Outcome.DEFERRED)


#: Rules' ``tie_outcome`` text -> outcome.
TIE_OUTCOMES = {"aangehouden": Outcome.DEFERRED, "afgewezen": Outcome.REJECTED}

#: Which decision types agree with a final outcome.
DECISIONS_FOR_OUTCOME: dict[Outcome, frozenset[DecisionType]] = {
    Outcome.POSITIVE: frozenset({DecisionType.GRANTED, DecisionType.CONDITIONAL}),
    Outcome.REJECTED: frozenset({DecisionType.REJECTED}),
    Outcome.DEFERRED: frozenset({DecisionType.DEFERRED}),
    Outcome.NO_QUORUM: frozenset({DecisionType.DEFERRED}),
}


@dataclass(frozen=True)
class Attendee:
    """A seat holder on the meeting date and whether they came."""

    member_id: Hashable
    name: str
    seat: Seat
    attendance: Attendance


@dataclass(frozen=True)
class Conflict:
    """A declared conflict of interest of one member on one agenda item."""

    member_id: Hashable
    reason: str


@dataclass(frozen=True)
class Vote:
    member_id: Hashable
    choice: VoteChoice


def declare_conflict(member_id: Hashable, reason: str) -> Conflict:
    """A conflict of interest needs a reason (it is minuted)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(_("Geef de reden van de belangenverstrengeling op; die komt in de notulen."))
    return Conflict(member_id, reason)


@dataclass(frozen=True)
class Quorum:
    required: int
    present_seats: tuple[Seat, ...]  # present seat holders
    counted_seats: tuple[Seat, ...]  # present and not conflicted on this item

    @property
    def reached(self) -> bool:
        return len(self.counted_seats) >= self.required

    @property
    def message(self) -> str:
        """Dutch explanation, e.g. for the status bar of the vote dialog."""
        text = ngettext("{n} van de 5 zetels telt mee voor het quorum (aanwezig, zonder belangenverstrengeling); "
                        "nodig: {q}.",
                        "{n} van de 5 zetels tellen mee voor het quorum (aanwezig, zonder belangenverstrengeling); "
                        "nodig: {q}.", len(self.counted_seats)).format(n=len(self.counted_seats), q=self.required)
        if not self.reached:
            text = _("Geen quorum.") + " " + text
        return text


def _check_attendees(attendees: tuple[Attendee, ...]) -> None:
    """Each seat and each member at most once on the attendance list."""
    if len({a.seat for a in attendees}) == len({a.member_id for a in attendees}) == len(attendees):
        return
    seats, members = set(), set()
    for a in attendees:
        if a.seat in seats:
            raise DomainError(_("De zetel ‘{seat}’ staat twee keer op de presentielijst.").format(seat=a.seat.label))
        if a.member_id in members:
            raise DomainError(_("{name} staat twee keer op de presentielijst.").format(name=a.name))
        seats.add(a.seat)
        members.add(a.member_id)


def _conflicts_by_member(conflicts: Iterable[Conflict]) -> dict[Hashable, Conflict]:
    return {c.member_id: c for c in conflicts}


def _quorum(attendees: tuple[Attendee, ...], conflicted: dict[Hashable, Conflict], rules: Rules,
            *, checked: bool = True) -> Quorum:
    if checked:
        _check_attendees(attendees)
    present = [a for a in attendees if a.attendance is Attendance.PRESENT]
    return Quorum(
        rules.quorum_seats,
        tuple(a.seat for a in present),
        tuple(a.seat for a in present if a.member_id not in conflicted),
    )


def item_quorum(attendees: Iterable[Attendee], conflicts: Iterable[Conflict], rules: Rules,
                *, checked: bool = True) -> Quorum:
    """The quorum for one agenda item (``checked=False``: without refusing a duplicate on the list)."""
    return _quorum(tuple(attendees), _conflicts_by_member(conflicts), rules, checked=checked)


def eligible_voters(attendees: Iterable[Attendee], conflicts: Iterable[Conflict]) -> tuple[Attendee, ...]:
    """Present members without a conflict on the item, in the order given."""
    conflicted = _conflicts_by_member(conflicts)
    return tuple(a for a in attendees if a.attendance is Attendance.PRESENT and a.member_id not in conflicted)


def _refusal(attendee: Attendee | None, conflict: Conflict | None, quorum: Quorum | None) -> str | None:
    """Why this person's vote cannot be recorded, or None (quorum None: not checked yet)."""
    if attendee is None:
        return _("Alleen leden met een zetel in de commissie stemmen; de secretaris of een gast stemt niet mee.")
    if attendee.attendance is Attendance.ABSENT:
        return _("{name} is afwezig en kan niet stemmen.").format(name=attendee.name)
    if attendee.attendance is Attendance.EXCUSED:
        return _("{name} heeft zich afgemeld en kan niet stemmen.").format(name=attendee.name)
    if conflict is not None:
        return _(
            "{name} heeft belangenverstrengeling gemeld voor dit agendapunt ({reason}) en stemt daarom niet mee."
        ).format(name=attendee.name, reason=conflict.reason)
    if quorum is not None and not quorum.reached:
        return ngettext(
            "Er is geen quorum voor dit agendapunt: {n} van de 5 zetels telt mee (aanwezig en zonder "
            "belangenverstrengeling), er zijn er ten minste {q} nodig. Er kunnen geen stemmen worden vastgelegd.",
            "Er is geen quorum voor dit agendapunt: {n} van de 5 zetels tellen mee (aanwezig en zonder "
            "belangenverstrengeling), er zijn er ten minste {q} nodig. Er kunnen geen stemmen worden vastgelegd.",
            len(quorum.counted_seats)).format(n=len(quorum.counted_seats), q=quorum.required)
    return None


def check_vote(
    attendees: Iterable[Attendee], conflicts: Iterable[Conflict], member_id: Hashable, rules: Rules
) -> None:
    """Raise DomainError (Dutch) when ``member_id`` may not vote on this item."""
    attendees = tuple(attendees)
    conflicted = _conflicts_by_member(conflicts)
    attendee = next((a for a in attendees if a.member_id == member_id), None)
    conflict = conflicted.get(member_id)
    reason = _refusal(attendee, conflict, None) or _refusal(attendee, conflict, _quorum(attendees, conflicted, rules))
    if reason:
        raise DomainError(reason)


def outcome_of(votes_for: int, votes_against: int, rules: Rules) -> Outcome:
    """The outcome of a complete vote with a quorum."""
    if votes_for > votes_against:
        return Outcome.POSITIVE
    if votes_against > votes_for:
        return Outcome.REJECTED
    return TIE_OUTCOMES[rules.tie_outcome]


@dataclass(frozen=True)
class Tally:
    quorum: Quorum
    voters: tuple[Attendee, ...]  # who may vote on the item
    missing: tuple[Attendee, ...]  # who may vote and has not yet
    votes_for: int
    votes_against: int
    abstentions: int
    outcome: Outcome
    rules: Rules = field(default_factory=Rules, compare=False)

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def complete(self) -> bool:
        return self.quorum.reached and not self.missing

    @property
    def is_tie(self) -> bool:
        return self.complete and self.votes_for == self.votes_against

    @property
    def summary(self) -> str:
        """'3 voor, 1 tegen, 1 onthouding'"""
        return ngettext("{f} voor, {a} tegen, {o} onthouding", "{f} voor, {a} tegen, {o} onthoudingen",
                        self.abstentions).format(f=self.votes_for, a=self.votes_against, o=self.abstentions)


def count_votes(
    attendees: Iterable[Attendee], conflicts: Iterable[Conflict], votes: Iterable[Vote], rules: Rules
) -> tuple[Tally, tuple[str, ...]]:
    """Count the votes on one item as stored, never raising: a vote that may not be there is left out
    of the count and named in the problems (Dutch), so a broken record can still be shown."""
    attendees = tuple(attendees)
    problems: list[str] = []
    try:
        _check_attendees(attendees)
    except DomainError as err:
        problems.append(str(err))
    conflicted = _conflicts_by_member(conflicts)
    quorum = _quorum(attendees, conflicted, rules, checked=False)
    by_member = {a.member_id: a for a in attendees}
    choices: dict[Hashable, VoteChoice] = {}
    for vote in votes:
        attendee = by_member.get(vote.member_id)
        reason = _refusal(attendee, conflicted.get(vote.member_id), quorum)
        if reason is None and vote.member_id in choices:
            reason = _("{name} heeft al gestemd op dit agendapunt.").format(name=attendee.name)
        if reason is None and not isinstance(vote.choice, VoteChoice):
            reason = _("Kies voor, tegen of onthouding.")
        if reason:
            problems.append(reason)
            continue
        choices[vote.member_id] = vote.choice
    voters = tuple(a for a in attendees if a.attendance is Attendance.PRESENT and a.member_id not in conflicted)
    missing = tuple(a for a in voters if a.member_id not in choices)
    cast = list(choices.values())
    f, a, o = cast.count(VoteChoice.FOR), cast.count(VoteChoice.AGAINST), cast.count(VoteChoice.ABSTAIN)
    if not quorum.reached:
        outcome = Outcome.NO_QUORUM
    elif missing:
        outcome = Outcome.INCOMPLETE
    else:
        outcome = outcome_of(f, a, rules)
    return Tally(quorum, voters, missing, f, a, o, outcome, rules), tuple(dict.fromkeys(problems))


def tally_votes(
    attendees: Iterable[Attendee], conflicts: Iterable[Conflict], votes: Iterable[Vote], rules: Rules
) -> Tally:
    """Count the votes on one item; raise DomainError for a vote that may not be there."""
    tally, problems = count_votes(attendees, conflicts, votes, rules)
    if problems:
        raise DomainError(problems[0])
    return tally


def accepted_decisions(tally: Tally, *, reassessment: bool = False) -> frozenset[DecisionType]:
    """The decision types that agree with the vote (empty: finish the vote first). On a reassessment the
    vote is on keeping the recognition: a majority against withdraws it ('ingetrokken', not 'afgewezen')."""
    if tally.outcome is Outcome.INCOMPLETE:
        # Deferring before anyone voted is allowed; a vote once started must be completed.
        return frozenset({DecisionType.DEFERRED}) if tally.votes_cast == 0 else frozenset()
    allowed = DECISIONS_FOR_OUTCOME[tally.outcome]
    if reassessment and DecisionType.REJECTED in allowed:
        return frozenset({DecisionType.WITHDRAWN})
    return allowed


def badge_valid_until(decision_type: DecisionType, valid_from: dt.date | None, deadline: dt.date | None,
                      rules: Rules) -> dt.date | None:
    """Last day of the SROI badge: the deadline of a conditional recognition, otherwise
    ``rules.badge_validity_months`` from the start (the day before that anniversary).
    None for a decision that recognises nothing."""
    if valid_from is None or not decision_type.recognises:
        return None
    if decision_type is DecisionType.CONDITIONAL and deadline is not None:
        return deadline
    return add_months(valid_from, rules.badge_validity_months) - dt.timedelta(days=1)


def default_conditional_deadline(decision_date: dt.date, rules: Rules) -> dt.date:
    """Until when a conditional recognition runs if the secretary does not choose a date:
    ``rules.conditional_months`` from the decision date (seed 001: "twee jaar de tijd om alsnog een
    keurmerk te halen", counted from admission; issue 12). The founding date no longer counts. Like a full
    badge (``badge_valid_until``), the period ends the day before that anniversary (issue 14): two years from
    11 August 2026 run to and including 10 August 2028."""
    return add_months(decision_date, rules.conditional_months) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    decision_type: DecisionType
    decision_date: dt.date
    deadline: dt.date | None = None  # only for a conditional recognition


def _majority_text(tally: Tally) -> str:
    if tally.outcome is Outcome.NO_QUORUM:
        return _("er was geen quorum")
    if tally.is_tie:
        return _("de stemmen staken")
    if tally.votes_for > tally.votes_against:
        return _("de meerderheid stemde voor")
    return _("de meerderheid stemde tegen")


def check_decision(
    tally: Tally,
    decision_type: DecisionType,
    *,
    decision_date: dt.date,
    deadline: dt.date | None = None,
    reassessment: bool = False,
) -> Decision:
    """Check that ``decision_type`` agrees with the vote; return the decision with its deadline.

    A conditional recognition gets ``default_conditional_deadline`` when no deadline is given.
    'Ingetrokken' is a decision on a reassessment only (``reassessment=True``).
    """
    if decision_type is DecisionType.WITHDRAWN and not reassessment:
        raise DomainError(_("Een erkenning intrekken kan alleen met een besluit over een herbeoordeling."))
    allowed = accepted_decisions(tally, reassessment=reassessment)
    if decision_type not in allowed:
        if tally.outcome is Outcome.INCOMPLETE:
            names = ", ".join(a.name for a in tally.missing)
            if tally.votes_cast == 0:
                raise DomainError(
                    _("Er is nog niet gestemd over dit agendapunt. Zonder stemming kan het alleen worden "
                      "aangehouden.")
                )
            raise DomainError(
                _("De stemming is nog niet compleet; nog niet gestemd: {names}.").format(names=names)
            )
        labels = [f"‘{d.label}’" for d in DecisionType if d in allowed]
        options = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " " + _("of") + " " + labels[-1]
        raise DomainError(
            _("Het besluit ‘{d}’ past niet bij de stemming: {why} ({summary}). Kies {options}.").format(
                d=decision_type.label, why=_majority_text(tally), summary=tally.summary, options=options
            )
        )
    if decision_type is not DecisionType.CONDITIONAL:
        if deadline is not None:
            raise DomainError(_("Alleen een voorwaardelijke toekenning heeft een termijn."))
        return Decision(decision_type, decision_date)
    if deadline is None:
        deadline = default_conditional_deadline(decision_date, tally.rules)
    elif deadline <= decision_date:
        raise DomainError(
            _("De termijn van een voorwaardelijke toekenning moet na de besluitdatum ({day}) liggen.").format(
                day=format_date_nl(decision_date)
            )
        )
    return Decision(decision_type, decision_date, deadline)
