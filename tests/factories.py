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
