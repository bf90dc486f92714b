"""What one decision letter states, gathered from the database (issue 14): the decision as it stands (with its
corrections), the application as the applicant knows it (date, KvK number, documents sent), the criteria the
commission found met next to those claimed, the assessment form and rules the decision rests on, and for a
deferral what is asked and by when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from commissie_app.db.models import (Application, Assessment, DecisionRecord, Meeting, Recognition,
                                     RecognitionEventRecord)
from commissie_app.documents.letter_content import DecisionType as LetterDecision, LetterData
from commissie_app.domain.codes import Criterion
from commissie_app.domain.recognition import Purpose, RecognitionEvent
from commissie_app.domain.voting import DecisionType
from commissie_app.services.meeting_record import DecisionInfo
from commissie_app.services.review_export import local_day
from commissie_app.services.rule_sets import in_force_at

CONSOLIDATED = "consolidated"  # services/assessments.CONSOLIDATED

#: the letter's opening for a follow-up application (template placeholder ``aanleiding``)
_OCCASION = {Purpose.CONVERSION: "omzetting", Purpose.RENEWAL: "verlenging"}
#: the recognition events a decision on it writes (not a correction or a certificate's renewal)
_DECIDING = (RecognitionEvent.GRANTED, RecognitionEvent.CONDITIONAL, RecognitionEvent.CONVERTED,
             RecognitionEvent.RENEWED)

_TO_LETTER = {
    DecisionType.GRANTED: LetterDecision.GRANTED,
    DecisionType.CONDITIONAL: LetterDecision.CONDITIONALLY_GRANTED,
    DecisionType.REJECTED: LetterDecision.REJECTED,
    DecisionType.DEFERRED: LetterDecision.DEFERRED,
    DecisionType.WITHDRAWN: LetterDecision.WITHDRAWN,
}


def claimed_criteria(app: Application) -> tuple[Criterion, ...]:
    """The criteria the application claimed (its evidence), in the usual order."""
    claimed = {e.criterion for e in app.evidence}
    return tuple(c for c in Criterion if c in claimed)


def criteria_found(session, d: DecisionInfo, app: Application) -> tuple[Criterion, ...]:
    """The criteria the letter names as met: those the decision records (migration 0016). A withdrawal names the
    criteria of the recognition it ends. A decision recorded before 0016 falls back to the recognition it set, else
    to the criteria claimed; a rejection or a deferral names none."""
    if d.criteria_met:
        return tuple(c for c in Criterion if c.value in set(d.criteria_met))
    if not (d.decision_type.recognises or d.decision_type is DecisionType.WITHDRAWN):
        return ()
    found = session.scalars(select(Recognition.criteria).where(Recognition.decision_id == d.id)).first()
    return tuple(Criterion(c) for c in found) if found else claimed_criteria(app)


def followed_up(session, d: DecisionInfo, app: Application) -> tuple[Recognition | None, RecognitionEventRecord | None]:
    """The recognition a conversion or renewal continues and the earlier decision on it (the last one before
    ``d``), as the register holds them; (None, None) for a new application."""
    if app.purpose not in _OCCASION or app.follow_up_of is None:
        return None, None
    rec = session.scalars(select(Recognition).where(Recognition.origin_application_id == app.follow_up_of)).first()
    if rec is None:
        return None, None
    earlier = session.scalars(select(RecognitionEventRecord).where(
        RecognitionEventRecord.recognition_id == rec.id, RecognitionEventRecord.event.in_(_DECIDING),
        RecognitionEventRecord.decision_id != d.id, RecognitionEventRecord.on_date <= d.decided_on)
        .order_by(RecognitionEventRecord.on_date.desc(), RecognitionEventRecord.at.desc())).first()
    return rec, earlier


def adopted_on(rules, decided_on: dt.date) -> dt.date | None:
    """The day the rules were adopted, when that was on or before the decision's day; None for a set adopted
    later (a database that got its rules after its first decisions falls back to that set: no false date)."""
    if rules is None or local_day(rules.adopted_at) > decided_on:
        return None
    return local_day(rules.adopted_at)


def letter_data(session, d: DecisionInfo, row: DecisionRecord, app: Application, meeting: Meeting,
                letter_date: dt.date) -> LetterData:
    """The data of the letter for decision ``d`` (as it stands; ``row`` the stored decision)."""
    org = app.organisation
    dtype = d.decision_type
    form = session.scalars(select(Assessment).where(Assessment.application_id == app.id,
                                                    Assessment.kind == CONSOLIDATED)).first()
    rules = in_force_at(session, row.recorded_at)
    rec, earlier = followed_up(session, d, app)
    # a conversion keeps the recognition's start: the letter prints the period the register holds
    valid_from = rec.valid_from if rec is not None and app.purpose is Purpose.CONVERSION else d.badge_valid_from
    return LetterData(
        kenmerk=d.kenmerk,
        letter_date=letter_date,
        decision=_TO_LETTER[dtype],
        organisation_name=org.name,
        contact_person=org.contact_person,
        contact_form=org.contact_salutation,  # the salutation (issue 14, letterhead)
        street=org.street,
        postcode=org.postcode,
        place=org.place,
        criteria=criteria_found(session, d, app),
        motivation=d.motivation,
        meeting_date=d.decided_on,
        chair_name=meeting.chair_name,
        secretary_name=meeting.secretary_name,
        badge_valid_from=valid_from,
        # a withdrawal: the badge ends on the decision's date (the recognition's withdrawn_on)
        badge_valid_until=d.decided_on if dtype is DecisionType.WITHDRAWN else d.badge_valid_until,
        conditional_deadline=d.conditional_deadline,
        conditions=d.conditions,
        received_on=app.received_on,
        kvk=org.kvk,
        claimed_criteria=claimed_criteria(app),
        form_title=form.form.title if form is not None else "",
        form_version=form.form.form_version if form is not None else None,
        rules_version=rules.version if rules is not None else None,
        rules_adopted_on=adopted_on(rules, d.decided_on),
        occasion=_OCCASION.get(app.purpose, "nieuw") if earlier is not None else "nieuw",
        earlier_kenmerk=earlier.kenmerk if earlier is not None else "",
        earlier_decided_on=earlier.on_date if earlier is not None else None,
        attachments=tuple(sorted(a.filename for a in app.attachments)),
        # a deferral recorded before migration 0016 has no request of its own: its motivation says what is missing
        deferral_request=(d.deferral_request or d.motivation) if dtype is DecisionType.DEFERRED else "",
        answer_by=d.answer_by,
    )
