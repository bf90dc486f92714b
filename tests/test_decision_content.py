"""Issue 14: what a decision letter states comes from the decision record: the conditions of a conditional
recognition, the criteria the commission found met (not those claimed), the application's date, KvK number,
form and rules version and documents, and for a deferral a request with a date and no objection paragraph.
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.decision_content import DecisionContent, default_answer_by
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import assessments, attachments, meeting_attendance, meeting_closing, meeting_corrections
from commissie_app.services import meeting_detail, meeting_votes
from commissie_app.services.letter_archive import letter_pdf
from commissie_app.services.letter_generation import generate_letters
from tests.factories import deferral, letter_contact
from tests.test_correspondence import pdf_text
from tests.test_meetings_service import app_item, open_meeting
from tests.test_recognitions import _complete, seat_members

DAY = dt.datetime(2026, 12, 1, 14)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONDITIONS = "Stuur na het eerste jaar een korte rapportage over uw maatschappelijke impact."


def _voted(ctx, app_ids, choice=VoteChoice.FOR, vote=True):
    """A meeting with the applications, everybody present and (unless ``vote`` is False) voting ``choice``."""
    members = seat_members(ctx)
    mid = open_meeting(ctx, app_ids, day=DAY)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    items = [app_item(ctx, mid, n).id for n in range(len(app_ids))]
    for item in items if vote else ():
        for m in members:
            meeting_votes.record_vote(ctx, item, m, choice)
    return mid, items


def _letters(ctx, mid) -> dict[str, str]:
    """Close the meeting and make its letters: kenmerk -> the letter's text."""
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    letter_contact(ctx)  # issue 14 (letterhead): no letter without the contact person
    return {info.kenmerk: pdf_text(letter_pdf(ctx, info.id)) for info in generate_letters(ctx, mid)}


def test_the_conditions_of_a_conditional_recognition_reach_its_letter(ctx):
    """Issue 14: the conditions recorded with a conditional recognition are kept on the decision and printed
    in its letter, under the standard condition."""
    app_id = _complete(ctx, "40000001", Criterion.STARTUP, founded=dt.date(2025, 6, 1))
    mid, (item,) = _voted(ctx, [app_id])
    k = meeting_votes.record_decision(ctx, item, DecisionType.CONDITIONAL, "Startup met een duidelijke missie.",
                                      criteria_met=[Criterion.STARTUP],
                                      content=DecisionContent(conditions=CONDITIONS))
    decision = app_item(ctx, mid).decision
    assert (decision.kenmerk, decision.conditions) == (k, CONDITIONS)
    text = _letters(ctx, mid)[k]
    assert "Daarnaast stelt de commissie deze voorwaarden: " + CONDITIONS in text
    assert "dan vervalt de erkenning na" in text


def test_the_letter_names_the_criteria_found_met_and_the_application_it_answers(ctx):
    """Issue 14: the grounds in the letter are the criteria the commission found met (PSO 30+), not all those
    claimed (also SE NL and B Corp); the letter names the application's date, the KvK number, the assessment
    form and its version, the rules' version and the documents sent with the application."""
    app_id = _complete(ctx, "40000002", Criterion.PSO30, Criterion.SE_NL, Criterion.BCORP,
                       received=dt.date(2026, 6, 3))
    attachments.add_attachment(ctx, app_id, "certificaat-pso30.pdf", PDF, Criterion.PSO30)
    assessments.get_or_create_assessment(ctx, app_id, kind=assessments.CONSOLIDATED)
    mid, (item,) = _voted(ctx, [app_id])
    k = meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Alleen het PSO-certificaat is aangetoond.",
                                      criteria_met=[Criterion.PSO30])
    text = _letters(ctx, mid)[k]
    grounds = text.split("stelt vast dat", 1)[1].split("Motivering", 1)[0]
    assert Criterion.PSO30.label in grounds
    assert Criterion.SE_NL.label not in grounds and Criterion.BCORP.label not in grounds
    assert "met uw aanvraag van 3 juni 2026" in text
    assert ", KvK-nummer 40000002," in text
    assert "beoordeeld met haar ‘Beoordelingsformulier erkenning sociaal ondernemer’, versie 1" in text
    assert "aan haar regels voor de werkwijze van de commissie (versie 1" in text  # issue 14: which rules
    assert "die u met uw aanvraag meestuurde: • certificaat-pso30.pdf" in text


def test_a_deferral_letter_asks_for_what_is_needed_by_a_date_and_has_no_objection(ctx):
    """Issue 14: the letter of a decision 'aangehouden' states what the commission asks for and the date it is
    due, does not repeat the minute text (the motivation), and has no objection paragraph, which the letter of
    a rejection in the same meeting has."""
    deferred = _complete(ctx, "40000003", Criterion.BCORP)
    rejected = _complete(ctx, "40000004", Criterion.CODE_SO)
    mid, (first, second) = _voted(ctx, [deferred, rejected], vote=False)
    request = "Een kopie van het B Corp-certificaat na de hercertificering."
    k_deferred = meeting_votes.record_decision(
        ctx, first, DecisionType.DEFERRED, "Besproken; de hercertificering loopt nog.",
        content=deferral(answer_by=dt.date(2027, 1, 12), request=request))
    for m in seat_members_of(ctx, mid):
        meeting_votes.record_vote(ctx, second, m, VoteChoice.AGAINST)
    k_rejected = meeting_votes.record_decision(ctx, second, DecisionType.REJECTED, "Geen criterium aangetoond.")
    letters = _letters(ctx, mid)
    text = letters[k_deferred]
    assert "Wat heeft de commissie van u nodig? " + request in text
    assert "uiterlijk op 12 januari 2027" in text
    assert "de hercertificering loopt nog" not in text  # the minute text stays in the minutes
    assert "Bezwaar" not in text and "heroverweging" not in text
    assert "Bezwaar" in letters[k_rejected] or "heroverweging" in letters[k_rejected]


def seat_members_of(ctx, mid):
    return [a.member_id for a in meeting_detail.get_meeting(ctx, mid).attendees]


@pytest.mark.parametrize("content, field, message", [
    (DecisionContent(answer_by=dt.date(2027, 1, 12)), "deferral_request", "Schrijf op wat de commissie"),
    (DecisionContent(deferral_request="Het certificaat."), "answer_by", "uiterlijk moet sturen"),
    (DecisionContent(deferral_request="Het certificaat.", answer_by=dt.date(2026, 12, 1)), "answer_by",
     "moet na de besluitdatum (1 december 2026) liggen"),
])
def test_a_deferral_without_request_or_date_is_refused(ctx, content, field, message):
    """Issue 14: a deferral needs what is asked and a date after the decision; refused with a Dutch message
    naming the field, and nothing is recorded."""
    app_id = _complete(ctx, "40000005", Criterion.BCORP)
    mid, (item,) = _voted(ctx, [app_id], vote=False)
    with pytest.raises(ValidationError) as err:
        meeting_votes.record_decision(ctx, item, DecisionType.DEFERRED, "Later.", content=content)
    assert message in err.value.errors[field]
    assert app_item(ctx, mid).decision is None
    assert apps.get_application(ctx, app_id).status is Status.SCHEDULED


def test_a_grant_without_criteria_found_and_content_of_another_type_are_refused(ctx):
    """Issue 14: a recognition rests on at least one criterion the commission found met; conditions belong to a
    conditional recognition and a request with a date to a deferral only."""
    app_id = _complete(ctx, "40000006", Criterion.PSO30)
    _mid, (item,) = _voted(ctx, [app_id])
    with pytest.raises(DomainError, match="zonder criterium is er geen erkenning"):
        meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[])
    with pytest.raises(ValidationError, match="Alleen een voorwaardelijke toekenning heeft voorwaarden"):
        meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30],
                                      content=DecisionContent(conditions=CONDITIONS))
    with pytest.raises(ValidationError, match="Alleen bij een besluit ‘aangehouden’"):
        meeting_votes.record_decision(ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30],
                                      content=deferral())


def test_a_corrected_conditional_decision_keeps_its_conditions_in_the_new_letter(ctx):
    """Issue 14: correcting a closed meeting's conditional decision to 'toegekend' drops the conditions from
    the new letter; a correction of the conditions themselves is a new, audited record the letter follows."""
    app_id = _complete(ctx, "40000007", Criterion.STARTUP, Criterion.PSO30, founded=dt.date(2025, 6, 1))
    mid, (item,) = _voted(ctx, [app_id])
    k = meeting_votes.record_decision(ctx, item, DecisionType.CONDITIONAL, "Voorlopig.",
                                      criteria_met=[Criterion.STARTUP, Criterion.PSO30],
                                      content=DecisionContent(conditions=CONDITIONS))
    assert CONDITIONS in _letters(ctx, mid)[k]
    decision = app_item(ctx, mid).decision
    meeting_corrections.correct_decision(ctx, decision.id, meeting_corrections.CorrectedDecision(
        DecisionType.CONDITIONAL, "Voorlopig.", conditions="Een jaarverslag over 2027."),
        "Voorwaarde verkeerd genoteerd")
    text = {i.kenmerk: pdf_text(letter_pdf(ctx, i.id)) for i in generate_letters(ctx, mid)}[k]
    assert "deze voorwaarden: Een jaarverslag over 2027." in text and CONDITIONS not in text
    meeting_corrections.correct_decision(ctx, decision.id, meeting_corrections.CorrectedDecision(
        DecisionType.GRANTED, "Voldoet aan PSO 30+."), "Volledig toegekend")
    stands = app_item(ctx, mid).decision
    assert (stands.decision_type, stands.conditions) == (DecisionType.GRANTED, "")
    assert stands.criteria_met == ("PSO30", "STARTUP")  # as recorded: the criteria the commission found met
    text = {i.kenmerk: pdf_text(letter_pdf(ctx, i.id)) for i in generate_letters(ctx, mid)}[k]
    assert "toe te kennen" in text and "Een jaarverslag over 2027" not in text


def test_the_default_answer_date_is_six_weeks_after_the_decision():
    """Issue 14: the rules have no period for a deferral: the dialog proposes six weeks."""
    assert default_answer_by(dt.date(2026, 12, 1)) == dt.date(2027, 1, 12)


def test_decisions_from_before_0016_keep_their_rows_and_still_get_a_letter(ctx):
    """Issue 14: migration 0016 adds the columns without changing a decision of a closed meeting; a decision
    recorded before it has none of the new values, and its letter names the criteria of the recognition it set
    (a grant) or asks for what the motivation says, without a date (a deferral)."""
    from sqlalchemy import select, update

    from commissie_app.db import migrate
    from commissie_app.db.models import DecisionRecord

    granted = _complete(ctx, "40000008", Criterion.PSO30, Criterion.SE_NL)
    deferred = _complete(ctx, "40000009", Criterion.BCORP)
    mid, (first, second) = _voted(ctx, [granted, deferred], vote=False)
    k_deferred = meeting_votes.record_decision(ctx, second, DecisionType.DEFERRED, "Stuur het nieuwe certificaat.",
                                               content=deferral())
    for m in seat_members_of(ctx, mid):
        meeting_votes.record_vote(ctx, first, m, VoteChoice.FOR)
    k_granted = meeting_votes.record_decision(ctx, first, DecisionType.GRANTED, "Voldoet.",
                                              criteria_met=[Criterion.PSO30])
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    db = ctx.db
    new = ("conditions", "criteria_met", "deferral_request", "answer_by")
    old_columns = [c for c in DecisionRecord.__table__.columns if c.name not in new]
    migrate.downgrade(db.engine, "0015")
    with db.engine.connect() as conn:
        before = sorted(map(tuple, conn.execute(select(*old_columns))))
    migrate.upgrade(db.engine, backup=False)
    with db.engine.connect() as conn:
        assert sorted(map(tuple, conn.execute(select(*old_columns)))) == before
        added = conn.execute(select(*(DecisionRecord.__table__.c[n] for n in new))).all()
        assert {(c, tuple(m), r, a) for c, m, r, a in added} == {("", (), "", None)}
    with pytest.raises(Exception, match="gesloten vergadering"):
        with db.engine.begin() as conn:  # the triggers of 0005 still guard the closed meeting's decisions
            conn.execute(update(DecisionRecord).values(conditions="x"))
    letter_contact(ctx)
    letters = {i.kenmerk: pdf_text(letter_pdf(ctx, i.id)) for i in generate_letters(ctx, mid)}
    grounds = letters[k_granted].split("stelt vast dat", 1)[1].split("Motivering", 1)[0]
    assert Criterion.PSO30.label in grounds and Criterion.SE_NL.label not in grounds
    assert "Wat heeft de commissie van u nodig? Stuur het nieuwe certificaat." in letters[k_deferred]
    assert "uiterlijk op" not in letters[k_deferred]
