"""Builders of valid input for tests."""

from __future__ import annotations

import datetime as dt

from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality
from commissie_app.domain.validation import ApplicationData, EvidenceData, OrganisationData


def org_data(**over) -> OrganisationData:
    values = dict(
        name="Testbedrijf Sociaal BV",
        kvk="01234567",
        legal_form=LegalForm.BV,
        municipality=Municipality.HAARLEM,
        street="Grote Markt 2",
        postcode="2011 RD",
        place="Haarlem",
        contact_person="Tessa Test",
        email="tessa@example.nl",
        phone="023 511 5115",
        website="www.example.nl",
        founded_on=dt.date(2020, 1, 1),
        mission="Werk voor mensen met afstand tot de arbeidsmarkt.",
        impact_domains=(ImpactDomain.WORK,),
    )
    values.update(over)
    return OrganisationData(**values)


def app_data(*criteria: Criterion, received_on=dt.date(2026, 11, 1), **over) -> ApplicationData:
    criteria = criteria or (Criterion.PSO30,)
    values = dict(
        received_on=received_on,
        evidence=tuple(EvidenceData(c, reference=f"REF-{c.value}") for c in criteria),
        notes="",
    )
    values.update(over)
    return ApplicationData(**values)


def seated_chair(ctx, when: dt.datetime | dt.date):
    """Issue 13: a meeting's agenda is set and it is opened only with a chair who holds a seat on its date: the
    first seat holder of that date (in seat order), None when nobody holds a seat."""
    from commissie_app.services import meeting_officers

    day = meeting_officers.meeting_day(when) if isinstance(when, dt.datetime) else when
    chairs = meeting_officers.officer_choices(ctx, day).chairs
    return chairs[0].member_id if chairs else None


def choose_chair(ctx, meeting_id) -> None:
    """Issue 13: give a planned meeting the first seat holder of its date as chair (details unchanged)."""
    from commissie_app.services import meeting_detail, meeting_planning

    d = meeting_detail.get_meeting(ctx, meeting_id)
    meeting_planning.update_meeting(ctx, meeting_id, expected_version=d.version, starts_at=d.starts_at, place=d.place,
                                    video_link=d.video_link, duration_minutes=d.duration_minutes,
                                    chair_member_id=seated_chair(ctx, d.starts_at),
                                    secretary_user_id=d.secretary_user_id)


def deferral(answer_by=dt.date(2027, 3, 1), request="Het actuele certificaat PSO 30+."):
    """What a decision 'aangehouden' asks for and by when (issue 14: both required)."""
    from commissie_app.domain.decision_content import DecisionContent

    return DecisionContent(deferral_request=request, answer_by=answer_by)


#: The letterhead's contact person in the tests (issue 14: no letter is made without one).
LETTER_CONTACT = {"contact_name": "Sanne de Wit", "contact_phone": "023 555 0100",
                  "contact_email": "secretariaat@commissie.example.nl"}


def letter_contact(ctx, **over) -> None:
    """Save the letterhead with a named contact person, phone and e-mail (and ``over``)."""
    import dataclasses

    from commissie_app.services import letter_settings

    settings = letter_settings.get_letter_settings(ctx)
    letter_settings.set_letter_settings(ctx, dataclasses.replace(settings, **{**LETTER_CONTACT, **over}))
