"""The addressee in the envelope window: every line of every field, inside the window, whatever the length."""

from __future__ import annotations

import html
import itertools
import re
import subprocess

import pytest

from commissie_app.documents import DecisionType, render_letter
from commissie_app.documents.letter_address import WINDOW_H, WINDOW_TOP, WINDOW_W, WINDOW_X
from commissie_app.domain.errors import ValidationError

from test_letters import SETTINGS, letter

PT_PER_MM = 72 / 25.4
WORDS = ("Stichting Maatschappelijke Onderneming Werk-en-Leerbedrijf Zuid-Kennemerland IJmond Coöperatie "
         "Duurzame Participatie Haarlemmermeer Velserbroek Beverwijk Heemskerk Bloemendaal ")
WORD_RE = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def text_of(length: int, spaced: bool = True) -> str:
    base = WORDS if spaced else WORDS.replace(" ", "")
    return (base * (length // len(base) + 1))[:length].strip() or "X"


def window_words(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    """Words (mm from the top left) from below the return address down to the reference block."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    words = [(float(a) / PT_PER_MM, float(b) / PT_PER_MM, float(c) / PT_PER_MM, float(d) / PT_PER_MM,
              html.unescape(t)) for a, b, c, d, t in WORD_RE.findall(out)]
    return [w for w in words if 56.5 <= w[1] < 103 and w[0] < 125]  # contact column starts at 135 mm


def squash(text: str) -> str:
    return "".join(text.split())


def assert_address_in_window(name: str, contact: str, street: str) -> bool:
    """True when the letter was made with every address line in the window; False when it was refused."""
    data = letter(DecisionType.REJECTED, organisation_name=name, contact_person=contact, street=street,
                  postcode="2011 AB", place="Haarlem")
    try:
        pdf = render_letter(data, SETTINGS)
    except ValidationError as err:
        [(field, message)] = err.errors.items()
        assert field in ("organisation_name", "contact_person", "street")
        assert "past niet in het venster van de envelop" in message and "te lang" in message
        return False
    words = window_words(pdf)
    expected = squash(name + "t.a.v." + contact + street + "2011 AB HAARLEM")
    assert squash("".join(w[4] for w in words)) == expected, (len(name), len(contact), len(street))
    left, top = WINDOW_X / (72 / 25.4), WINDOW_TOP / (72 / 25.4)
    right, bottom = left + WINDOW_W / (72 / 25.4), top + WINDOW_H / (72 / 25.4)
    for x0, y0, x1, y1, text in words:
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, (text, x0, y0, x1, y1)
    return True


@pytest.mark.parametrize("field", ["name", "contact", "street"])
@pytest.mark.parametrize("spaced", [True, False], ids=["words", "one long word"])
def test_one_long_field_always_fits_the_window(field, spaced):
    """Issue 9, item 5: names, contact persons and streets of 1 to 200 characters: every address line,
    the postcode and place included, is printed inside the envelope window."""
    for length in sorted({*range(1, 201, 13), 138, 200}):
        values = {"name": "Fietswerk Kennemerland", "contact": "Sanne de Wit", "street": "Grote Markt 2"}
        values[field] = text_of(length, spaced)
        assert assert_address_in_window(values["name"], values["contact"], values["street"]), (field, length)


def test_every_combination_fits_or_is_refused_naming_the_field():
    """Issue 9, item 5: several long fields together are wrapped and shrunk; only when even 8 pt cannot hold
    them is the letter refused, with a message naming the field (never an address without its place)."""
    lengths = (1, 60, 138, 200)
    refused = []
    for n, c, s in itertools.product(lengths, repeat=3):
        if not assert_address_in_window(text_of(n), text_of(c), text_of(s)):
            refused.append((n, c, s))
    assert all(n + c + s > 300 for n, c, s in refused), refused
    assert (200, 200, 200) in refused


def test_the_138_character_name_of_the_report_keeps_postcode_and_place():
    """Issue 9, item 5: the case that was reported, a 138-character organisation name."""
    name = text_of(138)
    assert len(name) >= 137
    assert assert_address_in_window(name, "Sanne de Wit", "Grote Markt 2")
