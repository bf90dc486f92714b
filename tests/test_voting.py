"""Votes on an agenda item, checked exhaustively against an independent oracle of the rules.

The oracle below is written from the commission's rules, not from ``domain/voting.py``: it knows
nothing of the module's dataclasses and computes quorum, counts, outcome and the acceptable decision
types from plain tuples of letters.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules
from commissie_app.domain.voting import (
    Attendance,
    Attendee,
    Conflict,
    DecisionType,
    Outcome,
    Vote,
    VoteChoice,
    accepted_decisions,
    check_decision,
    check_vote,
    declare_conflict,
    badge_valid_until,
    default_conditional_deadline,
    item_quorum,
    tally_votes,
)

MEETING = dt.date(2026, 11, 23)
NAMES = ("Bas Bedrijf", "Ilse IJmond", "Karel Kennemerland", "Ingrid Impact", "Willem Werk")
SEATS = tuple(Seat)
DEFAULT = Rules()

# ---------------------------------------------------------------- the oracle (plain letters only)
# attendance: "P" aanwezig, "A" afwezig, "E" afgemeld; conflict: True/False;
# vote: None, "v" voor, "t" tegen, "o" onthouding.
G, C, R, D = "toegekend", "voorwaardelijk toegekend", "afgewezen", "aangehouden"


def oracle(states, quorum_seats, tie_outcome):
    """(refused, quorum, (voor, tegen, onthouding), outcome, accepted decisions) for five members."""
    may_vote = [att == "P" and not conflict for att, conflict, _ in states]
    quorum = sum(may_vote) >= quorum_seats
    votes = [vote for _, _, vote in states]
    if any(v is not None and not (ok and quorum) for v, ok in zip(votes, may_vote)):
        return True, quorum, None, None, None
    voor, tegen, onth = votes.count("v"), votes.count("t"), votes.count("o")
    if not quorum:
        return False, False, (voor, tegen, onth), "no_quorum", {D}
    if any(ok and v is None for v, ok in zip(votes, may_vote)):
        return False, True, (voor, tegen, onth), "incomplete", ({D} if voor + tegen + onth == 0 else set())
    if voor > tegen:
        return False, True, (voor, tegen, onth), "positive", {G, C}
    if tegen > voor:
        return False, True, (voor, tegen, onth), "rejected", {R}
    tie = {"aangehouden": ("deferred", {D}), "afgewezen": ("rejected", {R})}[tie_outcome]
    return False, True, (voor, tegen, onth), tie[0], tie[1]


# ---------------------------------------------------------------- translating letters to the domain
ATT = {"P": Attendance.PRESENT, "A": Attendance.ABSENT, "E": Attendance.EXCUSED}
CHOICE = {"v": VoteChoice.FOR, "t": VoteChoice.AGAINST, "o": VoteChoice.ABSTAIN}
# Built once: the product below reuses these objects.
ATTENDEES = {(i, a): Attendee(i, NAMES[i], SEATS[i], ATT[a]) for i in range(5) for a in ATT}
CONFLICTS = {i: Conflict(i, "eigen bedrijf van de zwager") for i in range(5)}
VOTES = {(i, v): Vote(i, CHOICE[v]) for i in range(5) for v in CHOICE}
LABEL = {d: d.label for d in DecisionType}

# Per member: every (attendance, conflict) pair; a member who may vote individually (present, no
# conflict) with each of the four vote options, the others without a vote. Votes of members who may
# not vote are covered separately (test_vote_of_a_member_who_may_not_vote_is_refused).
MEMBER_STATES = [(a, c, None) for a in "PAE" for c in (False, True)] + [("P", False, v) for v in "vto"]


def domain_result(states, rules):
    attendees = [ATTENDEES[i, a] for i, (a, _c, _v) in enumerate(states)]
    conflicts = [CONFLICTS[i] for i, (_a, c, _v) in enumerate(states) if c]
    votes = [VOTES[i, v] for i, (_a, _c, v) in enumerate(states) if v is not None]
    try:
        tally = tally_votes(attendees, conflicts, votes, rules)
    except DomainError:
        return True, None
    return False, tally


def check_against_oracle(states, rules, *, check_decisions):
    """Compare the domain with the oracle for one combination; True if the votes were refused."""
    want_refused, want_quorum, want_counts, want_outcome, want_accepted = oracle(
        states, rules.quorum_seats, rules.tie_outcome
    )
    got_refused, tally = domain_result(states, rules)
    assert got_refused == want_refused, states
    if want_refused:
        return True
    assert tally.quorum.reached == want_quorum, states
    assert (tally.votes_for, tally.votes_against, tally.abstentions) == want_counts, states
    assert tally.outcome.value == want_outcome, states
    assert {LABEL[d] for d in accepted_decisions(tally)} == want_accepted, states
    if check_decisions:
        for decision_type in DecisionType:
            try:
                check_decision(tally, decision_type, decision_date=MEETING)
                ok = True
            except DomainError:
                ok = False
            assert ok == (LABEL[decision_type] in want_accepted), (states, decision_type)
    return False


def test_every_combination_of_attendance_conflict_and_vote_follows_the_rules():
    """All 9**5 ordered combinations of five members under the rules of forms/rules.toml:
    refusal, quorum, counts, outcome and the decision types that agree with the vote."""
    refused = sum(
        check_against_oracle(states, DEFAULT, check_decisions=False)
        for states in itertools.product(MEMBER_STATES, repeat=5)
    )
    # The enumeration contains refusals (votes without quorum) as well as valid tallies.
    assert 0 < refused < 9**5


@pytest.mark.parametrize(
    "rules, any_refused",
    [
        (DEFAULT, True),
        (Rules(quorum_seats=4), True),
        (Rules(tie_outcome="afgewezen"), True),
        (Rules(quorum_seats=5, tie_outcome="afgewezen"), True),
        (Rules(quorum_seats=1), False),
    ],
    ids=["default", "quorum4", "tie-rejects", "quorum5-tie-rejects", "quorum1"],
)
def test_check_decision_and_other_rules_values_for_every_combination_up_to_member_order(rules, any_refused):
    """check_decision with each decision type, and rules values other than the default.

    The rules do not depend on which seat a member holds (the ordered product above shows that
    for the default rules), so each multiset of five member states is checked once: 1287 cases.
    """
    cases = list(itertools.combinations_with_replacement(MEMBER_STATES, 5))
    assert len(cases) == 1287
    refused = sum(check_against_oracle(states, rules, check_decisions=True) for states in cases)
    assert (refused > 0) == any_refused


def test_vote_of_a_member_who_may_not_vote_is_refused():
    """Every attendance/conflict combination of five members; each member who may not vote tries."""
    tried = 0
    for pairs in itertools.product([(a, c) for a in "PAE" for c in (False, True)], repeat=5):
        attendees = [ATTENDEES[i, a] for i, (a, _c) in enumerate(pairs)]
        conflicts = [CONFLICTS[i] for i, (_a, c) in enumerate(pairs) if c]
        counted = sum(a == "P" and not c for a, c in pairs)
        for i, (a, c) in enumerate(pairs):
            if a == "P" and not c and counted >= DEFAULT.quorum_seats:
                continue  # may vote: counted in the product above
            choice = "vto"[tried % 3]
            try:
                check_vote(attendees, conflicts, i, DEFAULT)
                raise AssertionError(("vote allowed", pairs, i))
            except DomainError as e:
                message = str(e)
            try:
                tally_votes(attendees, conflicts, [VOTES[i, choice]], DEFAULT)
                raise AssertionError(("vote counted", pairs, i))
            except DomainError as e:
                assert str(e) == message
            if a == "A":
                assert message == f"{NAMES[i]} is afwezig en kan niet stemmen."
            elif a == "E":
                assert message == f"{NAMES[i]} heeft zich afgemeld en kan niet stemmen."
            elif c:
                assert "belangenverstrengeling" in message and "eigen bedrijf van de zwager" in message
                assert message.startswith(NAMES[i])
            else:
                assert message.startswith("Er is geen quorum voor dit agendapunt")
                assert f"{counted} van de 5 zetels" in message
            tried += 1
    assert tried > 7776  # many refusals in 6**5 combinations


def _meeting(attendance="PPPPP"):
    return [ATTENDEES[i, a] for i, a in enumerate(attendance)]


def test_present_member_without_conflict_may_vote_when_there_is_quorum():
    check_vote(_meeting("PPPAE"), [], 2, DEFAULT)  # no exception
    check_vote(_meeting("PPPPE"), [CONFLICTS[0]], 3, DEFAULT)
    with pytest.raises(DomainError, match="geen quorum"):
        check_vote(_meeting("PPPAE"), [CONFLICTS[0]], 2, DEFAULT)


def test_secretary_without_a_seat_cannot_vote():
    with pytest.raises(DomainError, match="de secretaris of een gast stemt niet mee"):
        check_vote(_meeting(), [], "secretaris", DEFAULT)
    with pytest.raises(DomainError, match="secretaris"):
        tally_votes(_meeting(), [], [Vote("secretaris", VoteChoice.FOR)], DEFAULT)


def test_a_member_votes_once():
    with pytest.raises(DomainError, match="Bas Bedrijf heeft al gestemd"):
        tally_votes(_meeting(), [], [Vote(0, VoteChoice.FOR), Vote(0, VoteChoice.AGAINST)], DEFAULT)


def test_conflict_counts_out_of_quorum_but_not_out_of_the_meeting():
    quorum = item_quorum(_meeting("PPPAA"), [CONFLICTS[2]], DEFAULT)
    assert len(quorum.present_seats) == 3
    assert quorum.counted_seats == (Seat.BUSINESS, Seat.SROI_IJMOND)
    assert not quorum.reached
    assert quorum.message.startswith("Geen quorum.")
    assert "2 van de 5 zetels" in quorum.message and "nodig: 3" in quorum.message


def test_conflict_needs_a_reason():
    with pytest.raises(DomainError, match="reden van de belangenverstrengeling"):
        declare_conflict(1, "   ")
    assert declare_conflict(1, "  adviseert  de aanvrager ").reason == "adviseert de aanvrager"


def test_two_people_on_one_seat_in_the_attendance_list_is_refused():
    attendees = _meeting() + [Attendee("x", "Xander", Seat.BUSINESS, Attendance.PRESENT)]
    with pytest.raises(DomainError, match="‘Bedrijfsleven’ staat twee keer"):
        item_quorum(attendees, [], DEFAULT)


def test_incomplete_vote_names_who_has_not_voted():
    tally = tally_votes(_meeting(), [], [Vote(0, VoteChoice.FOR), Vote(1, VoteChoice.FOR)], DEFAULT)
    assert tally.outcome is Outcome.INCOMPLETE and not tally.complete
    assert [a.name for a in tally.missing] == list(NAMES[2:])
    with pytest.raises(DomainError) as err:
        check_decision(tally, DecisionType.DEFERRED, decision_date=MEETING)
    assert str(err.value) == (
        "De stemming is nog niet compleet; nog niet gestemd: Karel Kennemerland, Ingrid Impact, Willem Werk."
    )


def test_deferring_before_any_vote_is_allowed_but_deciding_is_not():
    tally = tally_votes(_meeting(), [], [], DEFAULT)
    assert check_decision(tally, DecisionType.DEFERRED, decision_date=MEETING).decision_type is DecisionType.DEFERRED
    with pytest.raises(DomainError, match="Er is nog niet gestemd"):
        check_decision(tally, DecisionType.GRANTED, decision_date=MEETING)


def test_granting_after_a_majority_against_is_refused_in_dutch():
    votes = [Vote(0, VoteChoice.FOR), Vote(1, VoteChoice.AGAINST), Vote(2, VoteChoice.AGAINST)]
    tally = tally_votes(_meeting("PPPAE"), [], votes, DEFAULT)
    assert tally.summary == "1 voor, 2 tegen, 0 onthoudingen"
    with pytest.raises(DomainError) as err:
        check_decision(tally, DecisionType.GRANTED, decision_date=MEETING)
    assert str(err.value) == (
        "Het besluit ‘toegekend’ past niet bij de stemming: de meerderheid stemde tegen "
        "(1 voor, 2 tegen, 0 onthoudingen). Kies ‘afgewezen’."
    )


def test_rejecting_after_a_majority_for_offers_both_kinds_of_recognition():
    votes = [Vote(i, VoteChoice.FOR) for i in range(3)] + [Vote(3, VoteChoice.ABSTAIN)]
    tally = tally_votes(_meeting("PPPPA"), [], votes, DEFAULT)
    with pytest.raises(DomainError) as err:
        check_decision(tally, DecisionType.REJECTED, decision_date=MEETING)
    assert "Kies ‘toegekend’ of ‘voorwaardelijk toegekend’." in str(err.value)
    assert "3 voor, 0 tegen, 1 onthouding)" in str(err.value)


def test_all_abstentions_is_a_tie():
    votes = [Vote(i, VoteChoice.ABSTAIN) for i in range(3)]
    tally = tally_votes(_meeting("PPPAA"), [], votes, DEFAULT)
    assert tally.is_tie and tally.outcome is Outcome.DEFERRED
    with pytest.raises(DomainError, match="de stemmen staken"):
        check_decision(tally, DecisionType.REJECTED, decision_date=MEETING)
    rejecting = tally_votes(_meeting("PPPAA"), [], votes, Rules(tie_outcome="afgewezen"))
    assert rejecting.outcome is Outcome.REJECTED
    assert check_decision(rejecting, DecisionType.REJECTED, decision_date=MEETING).decision_type is DecisionType.REJECTED


def test_without_quorum_the_item_can_only_be_deferred():
    tally = tally_votes(_meeting("PPAAE"), [], [], DEFAULT)
    assert tally.outcome is Outcome.NO_QUORUM
    with pytest.raises(DomainError, match="er was geen quorum"):
        check_decision(tally, DecisionType.REJECTED, decision_date=MEETING)
    assert check_decision(tally, DecisionType.DEFERRED, decision_date=MEETING).deadline is None


def _positive_tally(rules=DEFAULT):
    return tally_votes(_meeting("PPPAA"), [], [Vote(i, VoteChoice.FOR) for i in range(3)], rules)


def test_conditional_recognition_deadline_defaults_to_the_conditional_period_after_the_decision():
    """Issue 12: a conditional recognition runs ``conditional_months`` (24) from the decision date, whatever
    the founding date (a zzp'er founded in February 2025 and recognised in November 2026 gets two years)."""
    decision = check_decision(_positive_tally(), DecisionType.CONDITIONAL, decision_date=MEETING)
    assert decision.deadline == dt.date(2028, 11, 22)  # issue 14: the day before the anniversary


def test_conditional_deadline_runs_from_the_decision_with_the_commissions_period():
    """Issue 12: 12 months (seed 003) counts from the decision too; month ends are kept."""
    tally = _positive_tally(Rules(conditional_months=12))
    assert check_decision(tally, DecisionType.CONDITIONAL, decision_date=MEETING).deadline == dt.date(2027, 11, 22)
    assert default_conditional_deadline(dt.date(2026, 8, 31), DEFAULT) == dt.date(2028, 8, 30)
    assert default_conditional_deadline(dt.date(2024, 2, 29), Rules(conditional_months=12)) == dt.date(2025, 2, 27)
    # the startup age is a separate rule: it does not change the conditional period
    assert default_conditional_deadline(MEETING, Rules(startup_max_age_months=12)) == dt.date(2028, 11, 22)


def test_conditional_and_full_badges_end_by_the_same_convention():
    """Issue 14: a conditional recognition of two years ends, like a full badge of two years, the day before the
    anniversary of its start (11 August 2026: to and including 10 August 2028), not on the anniversary itself."""
    start, rules = dt.date(2026, 8, 11), Rules(conditional_months=24, badge_validity_months=24)
    deadline = default_conditional_deadline(start, rules)
    assert deadline == dt.date(2028, 8, 10)
    assert deadline == badge_valid_until(DecisionType.GRANTED, start, None, rules)
    assert badge_valid_until(DecisionType.CONDITIONAL, start, deadline, rules) == dt.date(2028, 8, 10)


def test_conditional_deadline_chosen_by_the_secretary_must_lie_after_the_decision():
    tally = _positive_tally()
    chosen = check_decision(tally, DecisionType.CONDITIONAL, decision_date=MEETING, deadline=dt.date(2027, 6, 1))
    assert chosen.deadline == dt.date(2027, 6, 1)
    with pytest.raises(DomainError, match="na de besluitdatum \\(23 november 2026\\)"):
        check_decision(tally, DecisionType.CONDITIONAL, decision_date=MEETING, deadline=MEETING)
    with pytest.raises(DomainError, match="Alleen een voorwaardelijke toekenning heeft een termijn"):
        check_decision(tally, DecisionType.GRANTED, decision_date=MEETING, deadline=dt.date(2027, 6, 1))


def test_labels_are_the_dutch_words_of_the_rules():
    assert [a.label for a in Attendance] == ["aanwezig", "afwezig", "afgemeld"]
    assert [v.label for v in VoteChoice] == ["voor", "tegen", "onthouding"]
    assert [d.label for d in DecisionType] == ["toegekend", "voorwaardelijk toegekend", "afgewezen", "aangehouden",
                                                "ingetrokken"]
    assert DecisionType.from_text("Voorwaardelijk toegekend") is DecisionType.CONDITIONAL
