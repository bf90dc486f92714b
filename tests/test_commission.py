"""The five seats, the terms of their members and the meeting's officers."""

from __future__ import annotations

import datetime as dt

import pytest

from commissie_app.domain.codes import Municipality
from commissie_app.domain.commission import (
    Officers,
    Seat,
    Term,
    add_months,
    business_seat_warning,
    check_officers,
    check_terms,
    composition_on,
    composition_warnings,
    holder_on,
    seat_of,
)
from commissie_app.domain.errors import DomainError

D = dt.date


def full_commission() -> list[Term]:
    return [
        Term("bas", "Bas Bedrijf", Seat.BUSINESS, D(2024, 9, 1), D(2025, 8, 31)),
        Term("bea", "Bea Bouw", Seat.BUSINESS, D(2025, 9, 1)),
        Term("ilse", "Ilse IJmond", Seat.SROI_IJMOND, D(2023, 1, 1)),
        Term("karel", "Karel Kennemerland", Seat.SROI_SOUTH_KENNEMERLAND, D(2023, 1, 1)),
        Term("ingrid", "Ingrid Impact", Seat.HAARLEM_IMPACT, D(2023, 1, 1)),
        Term("willem", "Willem Werk", Seat.HAARLEM_WORK_INCOME, D(2023, 1, 1), D(2026, 12, 31)),
    ]


def test_exactly_the_five_seats_of_the_commission():
    assert [s.label for s in Seat] == [
        "Bedrijfsleven",
        "SROI Velsen/Heemskerk/Beverwijk",
        "SROI Bloemendaal/Haarlem/Heemstede/Zandvoort",
        "Haarlem Impact Ondernemen",
        "Haarlem Werk en Inkomen",
    ]
    assert [s.value for s in Seat] == [
        "business", "sroi_ijmond", "sroi_south_kennemerland", "haarlem_impact", "haarlem_work_income"
    ]
    assert "Coördinatieteam" in Seat.BUSINESS.description
    assert Seat.from_text("haarlem werk en inkomen") is Seat.HAARLEM_WORK_INCOME
    # The two SROI seats together cover the seven municipalities of the region, each once.
    sroi = Seat.SROI_IJMOND.municipalities + Seat.SROI_SOUTH_KENNEMERLAND.municipalities
    assert sorted(sroi) == sorted(Municipality)


def test_history_shows_who_held_a_seat_on_the_day_of_a_vote():
    terms = full_commission()
    assert holder_on(terms, Seat.BUSINESS, D(2025, 3, 12)).member_name == "Bas Bedrijf"
    assert holder_on(terms, Seat.BUSINESS, D(2025, 8, 31)).member_name == "Bas Bedrijf"  # end is inclusive
    assert holder_on(terms, Seat.BUSINESS, D(2025, 9, 1)).member_name == "Bea Bouw"
    assert holder_on(terms, Seat.BUSINESS, D(2024, 8, 31)) is None
    assert holder_on(terms, Seat.HAARLEM_WORK_INCOME, D(2027, 1, 1)) is None
    seated = composition_on(terms, D(2026, 11, 23))
    assert list(seated) == list(Seat)
    assert [t.member_name for t in seated.values()] == [
        "Bea Bouw", "Ilse IJmond", "Karel Kennemerland", "Ingrid Impact", "Willem Werk"
    ]
    assert seat_of(terms, "bas", D(2025, 1, 1)) is Seat.BUSINESS
    assert seat_of(terms, "bas", D(2026, 1, 1)) is None
    assert seat_of(terms, "sanne-secretaris", D(2026, 1, 1)) is None


def test_consistent_terms_pass():
    check_terms(full_commission())  # no exception


def test_overlapping_terms_on_one_seat_are_refused_in_dutch():
    terms = full_commission() + [Term("piet", "Piet Post", Seat.SROI_IJMOND, D(2026, 6, 1))]
    with pytest.raises(DomainError) as err:
        check_terms(terms)
    assert str(err.value) == (
        "De zittingsperioden op de zetel ‘SROI Velsen/Heemskerk/Beverwijk’ overlappen: Ilse IJmond "
        "(vanaf 1 januari 2023) en Piet Post (vanaf 1 juni 2026). Een zetel heeft op elke dag hoogstens "
        "één lid; laat de ene periode eindigen vóór de andere begint."
    )


def test_terms_that_share_one_day_overlap():
    terms = [
        Term("a", "Anna", Seat.BUSINESS, D(2025, 1, 1), D(2025, 12, 31)),
        Term("b", "Bert", Seat.BUSINESS, D(2025, 12, 31)),
    ]
    with pytest.raises(DomainError, match="overlappen: Anna"):
        check_terms(terms)
    check_terms([terms[0], Term("b", "Bert", Seat.BUSINESS, D(2026, 1, 1))])


def test_a_member_holds_one_seat_at_a_time_and_a_term_ends_after_it_starts():
    terms = [
        Term("a", "Anna", Seat.BUSINESS, D(2025, 1, 1)),
        Term("a", "Anna", Seat.HAARLEM_IMPACT, D(2026, 1, 1), D(2026, 6, 30)),
        Term("c", "Cas", Seat.SROI_IJMOND, D(2026, 5, 1), D(2026, 4, 1)),
    ]
    with pytest.raises(DomainError) as err:
        check_terms(terms)
    message = str(err.value)
    assert message.startswith("De zittingsperioden zijn niet in orde:\n- ")
    assert "De zittingsperiode van Cas eindigt (1 april 2026) vóór ze begint (1 mei 2026)." in message
    assert "Anna zou tegelijk twee zetels bezetten" in message


def test_business_seat_warns_after_a_year():
    terms = full_commission()  # Bea Bouw since 1 september 2025
    assert business_seat_warning(terms, D(2026, 9, 1)) is None  # exactly one year: not yet
    warning = business_seat_warning(terms, D(2026, 9, 2))
    assert warning == (
        "Bea Bouw vertegenwoordigt het bedrijfsleven sinds 1 september 2025. Het Coördinatieteam kan deze "
        "zetel jaarlijks opnieuw invullen. Is vervanging nodig?"
    )
    # A re-appointment is a new term and silences the warning; so does a vacant seat.
    renewed = terms[:1] + [
        Term("bea", "Bea Bouw", Seat.BUSINESS, D(2025, 9, 1), D(2026, 8, 31)),
        Term("bea", "Bea Bouw", Seat.BUSINESS, D(2026, 9, 1)),
    ]
    check_terms(renewed)
    assert business_seat_warning(renewed, D(2026, 11, 23)) is None
    assert business_seat_warning(terms[:1], D(2026, 11, 23)) is None
    # Other seats are not rotated yearly.
    assert all("Ilse" not in w for w in composition_warnings(terms, D(2030, 1, 1)))


def test_composition_warnings_name_vacant_seats():
    warnings = composition_warnings(full_commission(), D(2027, 1, 1))
    assert warnings == [
        "De zetel ‘Haarlem Werk en Inkomen’ is onbezet.",
        business_seat_warning(full_commission(), D(2027, 1, 1)),
    ]


def test_chair_must_hold_a_seat_secretary_need_not():
    terms = full_commission()
    day = D(2026, 11, 23)
    check_officers(terms, day, Officers(chair_id="ingrid", secretary_id="sanne-secretaris"))
    check_officers(terms, day, Officers(chair_id="ingrid", secretary_id="karel"))
    with pytest.raises(DomainError, match="De voorzitter moet op 23 november 2026 een zetel"):
        check_officers(terms, day, Officers(chair_id="bas", secretary_id="sanne-secretaris"))
    with pytest.raises(DomainError, match="Kies een secretaris"):
        check_officers(terms, day, Officers(chair_id="ingrid", secretary_id=None))


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert add_months(D(2026, 3, 31), 24) == D(2028, 3, 31)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2026, 11, 23), 2) == D(2027, 1, 23)
