"""Decision letters: what the addressee reads in the PDF, and what the secretary's templates may do."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from commissie_app.documents import (
    PLACEHOLDERS,
    DecisionType,
    LetterData,
    LetterSettings,
    LetterTemplateError,
    render_letter,
    render_letter_document,
    template_version,
    validate_template,
)
from commissie_app.documents.letter_content import TEMPLATES_DIR
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import ValidationError

ROOT = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
PAGE_H = 297 * MM

SETTINGS = LetterSettings(
    organisation_lines=("Kennemer Inkoop Platform",),
    address_lines=("Postbus 511", "2003 PB Haarlem"),
    phone="023 511 51 15",
    email="commissie@kennemerinkoopplatform.nl",
    website="kennemerinkoopplatform.nl",
    contact_name="Noor Bakker",
    contact_phone="023 511 51 16",
    contact_email="noor.bakker@kennemerinkoopplatform.nl",
)
MOTIVATION = (
    "De coöperatie (met café) is geëvalueerd op ‘maatschappelijke impact’ en “werkgelegenheid”; "
    "zij besteedt € 12.500 per jaar aan leerwerkplekken."
)


def letter(decision: DecisionType, **changes) -> LetterData:
    conditional = decision is DecisionType.CONDITIONALLY_GRANTED
    data = LetterData(
        kenmerk="KIP-2026-007",
        letter_date=dt.date(2026, 11, 23),
        decision=decision,
        organisation_name="Coöperatie Fietswerk Kennemerland U.A.",
        contact_person="Sanne de Wit",
        street="Grote Markt 2",
        postcode="2011 RD",
        place="Haarlem",
        criteria=(Criterion.STARTUP,) if conditional else (Criterion.CODE_SO, Criterion.SE_NL),
        motivation=MOTIVATION,
        meeting_date=dt.date(2026, 11, 12),
        chair_name="Pieter van Dijk",
        secretary_name="Noor Bakker",
        badge_valid_from=dt.date(2026, 12, 1),
        badge_valid_until=dt.date(2028, 11, 30),
        conditional_deadline=dt.date(2027, 11, 30) if conditional else None,
        received_on=dt.date(2026, 6, 3),
        kvk="12345678",
        deferral_request="Het actuele certificaat PSO 30+." if decision is DecisionType.DEFERRED else "",
        answer_by=dt.date(2026, 12, 24) if decision is DecisionType.DEFERRED else None,
    )
    return replace(data, **changes)


def page_texts(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def letter_text(pdf: bytes) -> str:
    """The text as the reader follows it: headers of later pages and footers left out."""
    pages = page_texts(pdf)
    for i, text in enumerate(pages):
        text = re.sub(r" ?Kenmerk KIP-2026-007 pagina \d+ van \d+$", "", text)
        if i:
            text = text.removeprefix("Commissie Sociaal Inkopen Coöperatie Fietswerk Kennemerland U.A. ")
        pages[i] = text
    return " ".join(pages)


DECISION_WORDS = {
    DecisionType.GRANTED: "uw aanvraag toe te kennen",
    DecisionType.CONDITIONALLY_GRANTED: "uw aanvraag voorwaardelijk toe te kennen",
    DecisionType.REJECTED: "uw aanvraag af te wijzen",
    DecisionType.DEFERRED: "uw aanvraag aan te houden",
    # Issue 12: a withdrawal follows a reassessment, not the organisation's own request
    DecisionType.WITHDRAWN: "de erkenning van Coöperatie Fietswerk Kennemerland U.A. als sociaal ondernemer in te trekken",
}
SUBJECTS = {DecisionType.WITHDRAWN: "Besluit over uw erkenning als sociaal ondernemer – ingetrokken"}


@pytest.mark.parametrize("decision", list(DecisionType))
def test_letter_states_reference_addressee_date_and_decision(decision):
    text = letter_text(render_letter(letter(decision), SETTINGS))

    assert "KIP-2026-007" in text
    assert "Coöperatie Fietswerk Kennemerland U.A." in text
    assert "23 november 2026" in text
    assert DECISION_WORDS[decision] in text
    subject = SUBJECTS.get(decision, f"Besluit op uw aanvraag erkenning sociaal ondernemer – {decision.label}")
    assert f"Onderwerp {subject}" in text
    assert "Geachte Sanne de Wit," in text
    assert "vergadering van 12 november 2026" in text
    assert "Pieter van Dijk" in text and "voorzitter" in text
    assert "Noor Bakker" in text and "secretaris" in text
    # in the contact column a long e-mail address breaks after its "@" (issue 14: no text past the margin)
    assert "commissie@kennemerinkoopplatform.nl" in text.replace("@ ", "@")
    assert ("heroverweging" in text) is (decision is not DecisionType.DEFERRED)  # the objection paragraph
    assert "{{" not in text and "**" not in text


@pytest.mark.parametrize("decision", [DecisionType.GRANTED, DecisionType.CONDITIONALLY_GRANTED])
def test_recognition_explains_badge_validity_and_kip(decision):
    text = letter_text(render_letter(letter(decision), SETTINGS))
    assert "geldig van 1 december 2026 tot en met 30 november 2028" in text
    assert "SROI-pagina van het Kennemer Inkoop Platform (KIP)" in text
    assert "telt mee voor hun SROI-verplichting" in text


def test_withdrawal_letter_states_the_date_the_badge_ends():
    """Issue 12: the withdrawal letter says from which date the badge is no longer valid."""
    text = letter_text(render_letter(letter(DecisionType.WITHDRAWN, badge_valid_until=dt.date(2026, 11, 12)), SETTINGS))
    assert "Uw SROI-badge vervalt per 12 november 2026" in text
    # issue 14: criteria in running text read as words
    assert ("op grond van de criteria inschrijving in het register Code Sociale Ondernemingen en lidmaatschap van "
            "Social Enterprise NL") in text
    with pytest.raises(ValidationError, match="vervalt"):
        render_letter(letter(DecisionType.WITHDRAWN, badge_valid_until=None), SETTINGS)


def test_granted_letter_names_the_criteria():
    text = letter_text(render_letter(letter(DecisionType.GRANTED), SETTINGS))
    assert ("De commissie stelt vast dat Coöperatie Fietswerk Kennemerland U.A. voldoet aan de criteria: "
            "• Register Code Sociale Ondernemingen • Lid Social Enterprise NL") in text  # issue 14: plain wording


def test_conditional_letter_states_deadline_and_what_to_show():
    data = letter(DecisionType.CONDITIONALLY_GRANTED, conditions="een jaarverslag over 2027.")
    text = letter_text(render_letter(data, SETTINGS))
    assert "Uiterlijk op 30 november 2027 moet u aantonen" in text
    assert "Lid Social Enterprise NL" in text and "B Corporation" in text  # the other criteria
    assert "Daarnaast stelt de commissie deze voorwaarden: een jaarverslag over 2027." in text
    assert "vervalt de erkenning na 30 november 2027" in text


@pytest.mark.parametrize("decision", [DecisionType.REJECTED, DecisionType.DEFERRED])
def test_rejection_and_deferral_say_what_to_do_next(decision):
    text = letter_text(render_letter(letter(decision), SETTINGS))
    assert "Wat kunt u nu doen?" in text
    assert "SROI-badge" not in text


def test_dutch_characters_come_back_from_the_pdf():
    text = letter_text(render_letter(letter(DecisionType.GRANTED), SETTINGS))
    assert MOTIVATION in text
    for ch in "éëö€‘’“”–":
        assert ch in text


def test_every_page_of_a_long_letter_has_kenmerk_and_page_number():
    long_motivation = "\n\n".join([MOTIVATION * 3] * 12)
    rendered = render_letter_document(letter(DecisionType.GRANTED, motivation=long_motivation), SETTINGS)
    pages = page_texts(rendered.pdf)

    assert len(pages) >= 2 and rendered.pages == len(pages)
    for number, text in enumerate(pages, start=1):
        assert "Kenmerk KIP-2026-007" in text
        assert f"pagina {number} van {len(pages)}" in text


def test_all_fonts_are_embedded_truetype():
    reader = PdfReader(io.BytesIO(render_letter(letter(DecisionType.REJECTED), SETTINGS)))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            seen.add(re.sub(r"^/[A-Z]{6}\+", "", font["/BaseFont"]))
    assert seen == {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}


def test_address_sits_in_the_envelope_window():
    """Window envelope: 90 x 45 mm window, 20 mm from the left, 50 mm from the top."""
    reader = PdfReader(io.BytesIO(render_letter(letter(DecisionType.GRANTED), SETTINGS)))
    positions = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            positions.setdefault(" ".join(text.split()), (tm[4] / MM, (PAGE_H - tm[5]) / MM))

    reader.pages[0].extract_text(visitor_text=visit)
    for line in ("Coöperatie Fietswerk Kennemerland U.A.", "t.a.v. Sanne de Wit", "Grote Markt 2", "2011 RD HAARLEM"):
        x, y_from_top = positions[line]
        assert 20 <= x <= 30 and 50 < y_from_top < 95, (line, x, y_from_top)
    x, y_from_top = positions["23 november 2026"]
    assert y_from_top > 95  # the date is not visible through the window


def test_unknown_placeholder_is_an_error_naming_it(tmp_path):
    shutil.copytree(TEMPLATES_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "afgewezen.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nMet dank, {{ handtekening_naam }}\n", encoding="utf-8")

    with pytest.raises(LetterTemplateError) as err:
        render_letter(letter(DecisionType.REJECTED), SETTINGS, templates_dir=tmp_path)
    assert "‘handtekening_naam’" in str(err.value)
    assert "afgewezen.txt" in str(err.value)
    assert err.value.placeholder == "handtekening_naam"


def test_unknown_field_of_a_criterion_is_named(tmp_path):
    (tmp_path / "toegekend.txt").write_text(
        "Geachte {{ contactpersoon }},\n\n{% for c in criteria %}- {{ c.omschrijving }}\n{% endfor %}", encoding="utf-8"
    )
    with pytest.raises(LetterTemplateError, match="‘omschrijving’"):
        render_letter(letter(DecisionType.GRANTED), SETTINGS, templates_dir=tmp_path)


def test_placeholder_without_value_is_an_error_not_a_gap(tmp_path):
    (tmp_path / "toegekend.txt").write_text("Bel ons op {{ afzender_telefoon }}.", encoding="utf-8")
    with pytest.raises(LetterTemplateError, match="‘afzender_telefoon’ heeft voor deze brief geen waarde"):
        render_letter(letter(DecisionType.GRANTED), replace(SETTINGS, phone=""), templates_dir=tmp_path)


def test_template_cannot_reach_python_internals(tmp_path):
    (tmp_path / "toegekend.txt").write_text("{{ criteria.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(LetterTemplateError):
        render_letter(letter(DecisionType.GRANTED), SETTINGS, templates_dir=tmp_path)


def test_validate_template_lists_problems_up_front():
    assert validate_template("Geachte {{ contactpersoon }},\n\n{{ besluit }} {{ kenmerk }}") == []
    problems = validate_template("{{ organisatie }} {{ naam_klant }} {{ bedrag }}")
    assert len(problems) == 2
    assert "‘bedrag’" in problems[0] and "‘naam_klant’" in problems[1]
    syntax = validate_template("Geachte,\n{% if termijn %}zonder einde")
    assert len(syntax) == 1 and "regel 2" in syntax[0]


@pytest.mark.parametrize("decision", list(DecisionType))
def test_shipped_templates_are_valid(decision):
    text = (TEMPLATES_DIR / f"{decision.value}.txt").read_text(encoding="utf-8")
    assert validate_template(text) == []


def test_values_are_text_not_markup():
    data = letter(DecisionType.REJECTED, organisation_name="Bakker & Zonen <Haarlem>", motivation="Zie **bijlage** A & B.")
    text = letter_text(render_letter(data, SETTINGS))
    assert "Bakker & Zonen <Haarlem>" in text
    assert "Zie bijlage A & B." in text


def test_template_version_is_the_hash_of_the_template_text(tmp_path):
    shutil.copytree(TEMPLATES_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "aangehouden.txt"
    before = template_version("aangehouden", tmp_path)
    assert before == hashlib.sha256(path.read_bytes()).hexdigest()

    path.write_text(path.read_text(encoding="utf-8") + "\nTot ziens.\n", encoding="utf-8")
    after = template_version(DecisionType.DEFERRED, tmp_path)
    assert after != before
    assert render_letter_document(letter(DecisionType.DEFERRED), SETTINGS, tmp_path).template_version == after


def test_conditional_letter_without_deadline_is_refused():
    with pytest.raises(ValidationError) as err:
        render_letter(letter(DecisionType.CONDITIONALLY_GRANTED, conditional_deadline=None), SETTINGS)
    assert "conditional_deadline" in err.value.errors


def test_every_placeholder_is_documented():
    doc = (ROOT / "docs" / "letters.md").read_text(encoding="utf-8")
    missing = [name for name in PLACEHOLDERS if f"`{name}`" not in doc]
    assert missing == []


def test_letterhead_shows_the_logo_and_a_missing_logo_does_not_stop_the_letter(tmp_path):
    def images_on_first_page(pdf: bytes) -> list:
        return list(PdfReader(io.BytesIO(pdf)).pages[0].images)

    with_logo = images_on_first_page(render_letter(letter(DecisionType.GRANTED), SETTINGS))
    assert len(with_logo) == 1 and with_logo[0].image.size == (240, 240)

    pdf = render_letter(letter(DecisionType.GRANTED), replace(SETTINGS, logo_path=tmp_path / "weg.png"))
    assert images_on_first_page(pdf) == []
    assert "KIP-2026-007" in letter_text(pdf)
