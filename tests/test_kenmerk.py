"""Kenmerk (reference number) of decisions."""

from __future__ import annotations

import pytest

from commissie_app.domain.errors import DomainError
from commissie_app.domain.kenmerk import Kenmerk, format_kenmerk, next_kenmerk, parse_kenmerk, validate_pattern
from commissie_app.domain.rules import Rules, load_rules

PATTERN = Rules().kenmerk_pattern


def test_the_shipped_pattern_is_valid_and_formats_with_three_digits():
    assert load_rules().kenmerk_pattern == "KIP-{jaar}-{volgnummer:03}"
    assert validate_pattern(PATTERN) == PATTERN
    assert format_kenmerk(PATTERN, 2026, 7) == "KIP-2026-007"
    assert format_kenmerk(PATTERN, 2026, 1234) == "KIP-2026-1234"


def test_numbers_are_sequential_per_year_and_never_reused():
    assert next_kenmerk(PATTERN, 2026, None) == Kenmerk(2026, 1, "KIP-2026-001")
    assert next_kenmerk(PATTERN, 2026, []) == Kenmerk(2026, 1, "KIP-2026-001")
    assert str(next_kenmerk(PATTERN, 2026, [1, 2, 3])) == "KIP-2026-004"
    # Number 2 was cancelled: the gap stays, the next number follows the highest one ever issued.
    assert next_kenmerk(PATTERN, 2026, [3, 1]).number == 4
    assert next_kenmerk(PATTERN, 2026, 41).text == "KIP-2026-042"
    # A new year starts at 1 again (the service passes only that year's numbers).
    assert next_kenmerk(PATTERN, 2027, []).text == "KIP-2027-001"


def test_a_run_of_kenmerken_is_unique():
    issued: list[int] = []
    texts = set()
    for _ in range(1200):
        k = next_kenmerk(PATTERN, 2026, issued)
        issued.append(k.number)
        texts.add(k.text)
    assert len(texts) == 1200 and issued == list(range(1, 1201))


def test_other_valid_patterns():
    assert format_kenmerk("{jaar}/{volgnummer}", 2026, 12) == "2026/12"
    assert format_kenmerk("CSI {{{jaar}}} nr. {volgnummer:04d}", 2026, 5) == "CSI {2026} nr. 0005"


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("KIP-{jaar}-{nummer:03}", "onbekend veld {nummer}"),
        ("KIP-{year}-{volgnummer}", "onbekend veld {year}"),
        ("KIP-{}-{volgnummer}", "onbekend veld {}"),
        ("KIP-{jaar}", "moet {volgnummer} bevatten"),
        ("KIP-{volgnummer:03}", "moet {jaar} bevatten"),
        ("KIP-{jaar}-{volgnummer:abc}", "De opmaak ‘abc’ van het veld {volgnummer}"),
        ("KIP-{jaar}-{volgnummer!r}", "Het veld {volgnummer} in het kenmerkpatroon heeft een ongeldige opmaak"),
        ("KIP-{jaar}-{volgnummer", "losse accolade"),
        ("KIP-}{jaar}-{volgnummer}", "losse accolade"),
        ("   ", "Vul een kenmerkpatroon in"),
    ],
)
def test_bad_patterns_are_refused_naming_the_problem(pattern, message):
    with pytest.raises(DomainError) as err:
        validate_pattern(pattern)
    assert message in str(err.value)


def test_unknown_placeholder_error_is_dutch_and_complete():
    with pytest.raises(DomainError) as err:
        next_kenmerk("KIP-{jaar}-{nummer}", 2026, [])
    assert str(err.value) == (
        "Het kenmerkpatroon bevat een onbekend veld {nummer}; alleen {jaar} en {volgnummer} kunnen worden gebruikt."
    )


def test_parse_reads_back_year_and_number():
    assert parse_kenmerk(PATTERN, "KIP-2026-007") == (2026, 7)
    assert parse_kenmerk(PATTERN, " KIP-2025-1234 ") == (2025, 1234)
    assert parse_kenmerk(PATTERN, "KIP-2026-7") is None  # not how the pattern writes it
    assert parse_kenmerk(PATTERN, "2022/1471858") is None
    assert parse_kenmerk("{jaar}/{volgnummer}", "2022/1471858") == (2022, 1471858)


def test_number_must_be_positive():
    with pytest.raises(DomainError, match="1 of hoger"):
        format_kenmerk(PATTERN, 2026, 0)
    with pytest.raises(DomainError, match="1 of hoger"):
        next_kenmerk(PATTERN, 2026, -3)
