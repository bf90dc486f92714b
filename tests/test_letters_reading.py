"""Issue 14, letters as the applicant reads them: the KvK number, the criteria found met, criteria in running
text, conversion letters, the rules the decision rests on, the closing order and the window address."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from commissie_app.documents import DecisionType, render_letter
from commissie_app.documents.letter_address import WINDOW_H, WINDOW_TOP, WINDOW_W, WINDOW_X
from commissie_app.documents.letter_content import TEMPLATES_DIR
from commissie_app.domain.codes import Criterion
from commissie_app.services.decision_letter_data import adopted_on
from commissie_app.services.rule_sets import AdoptedRules

from test_letters import SETTINGS, letter, letter_text


def text_of(decision: DecisionType, **changes) -> str:
    return letter_text(render_letter(letter(decision, **changes), SETTINGS))


def test_the_kvk_number_follows_the_name_without_a_second_pair_of_brackets():
    """Issue 14: "Zzp Duurzaam Advies Zandvoort (demo) (KvK-nummer 90000012)" read as double brackets."""
    text = text_of(DecisionType.GRANTED, organisation_name="Zzp Advies (demo)")
    assert "Zzp Advies (demo), KvK-nummer 12345678, te erkennen als sociaal ondernemer" in text
    assert "(KvK-nummer" not in text


def test_the_criteria_found_met_are_stated_with_the_name_not_uw_organisatie():
    """Issue 14: no "op grond van het criterium waaraan uw organisatie volgens de commissie voldoet"."""
    text = text_of(DecisionType.GRANTED)
    name = "Coöperatie Fietswerk Kennemerland U.A."
    assert f"{name} is erkend als sociaal ondernemer. De commissie stelt vast dat {name} voldoet aan de criteria:" \
        in text
    text = text_of(DecisionType.CONDITIONALLY_GRANTED)
    assert f"De commissie stelt vast dat {name} voldoet aan het criterium:" in text
    assert "uw organisatie volgens de commissie" not in text


def test_criteria_in_running_text_read_as_words_not_as_capitalised_labels():
    """Issue 14: in a sentence a criterion is lower case where it is not a name ("Lid Social Enterprise NL" was
    printed mid-sentence); a list keeps the labels."""
    text = text_of(DecisionType.REJECTED, claimed_criteria=(Criterion.SE_NL, Criterion.NON_PROFIT))
    assert ("op grond van de criteria lidmaatschap van Social Enterprise NL en stichting of non-profitorganisatie."
            in text)
    assert "Lid Social" not in text and "Stichting /" not in text
    assert Criterion.STARTUP.prose.startswith("start-up ")


def test_a_conversion_names_the_conditional_recognition_it_converts():
    """Issue 14: the conversion letter read like a new application and never named the conditional recognition."""
    text = text_of(DecisionType.GRANTED, occasion="omzetting", earlier_kenmerk="KIP-2026-002",
                   earlier_decided_on=dt.date(2026, 8, 11), badge_valid_from=dt.date(2026, 8, 11))
    name = "Coöperatie Fietswerk Kennemerland U.A."
    assert (f"De Commissie Sociaal Inkopen heeft {name}, KvK-nummer 12345678, bij besluit van 11 augustus 2026 "
            "(kenmerk KIP-2026-002) voorwaardelijk erkend als sociaal ondernemer. Met uw aanvraag van 3 juni 2026 "
            "heeft u gevraagd die voorwaardelijke erkenning om te zetten in een volledige erkenning.") in text
    assert f"De voorwaardelijke erkenning van {name} wordt een volledige erkenning als sociaal ondernemer." in text
    assert "de termijn en de voorwaarden uit het besluit van 11 augustus 2026 (kenmerk KIP-2026-002) gelden niet " \
           "meer" in text
    assert "gevraagd Coöperatie" not in text  # not the opening of a new application
    renewal = text_of(DecisionType.GRANTED, occasion="verlenging", earlier_kenmerk="KIP-2024-010",
                      earlier_decided_on=dt.date(2024, 11, 12))
    assert "heeft u gevraagd die erkenning te verlengen" in renewal
    assert f"De erkenning van {name} als sociaal ondernemer wordt verlengd." in renewal


def test_the_letter_names_the_rules_and_their_adoption_date():
    """Issue 14: "aan haar regels (versie 1)" did not say which rules."""
    text = text_of(DecisionType.GRANTED, rules_version=2, rules_adopted_on=dt.date(2026, 1, 6),
                   form_title="Beoordelingsformulier erkenning", form_version=3)
    assert ("en aan haar regels voor de werkwijze van de commissie (versie 2, vastgesteld op 6 januari 2026). Zij "
            "heeft uw aanvraag beoordeeld met haar ‘Beoordelingsformulier erkenning’, versie 3.") in text


def test_an_adoption_after_the_decision_is_not_printed_as_its_date():
    """Issue 14: rules adopted after the decision (a database that got them later) give no false date."""
    def rules(day):
        at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone.utc)
        return AdoptedRules(1, None, at, "x", "regels.toml", "0" * 64)
    assert adopted_on(rules(dt.date(2026, 1, 6)), dt.date(2026, 8, 11)) == dt.date(2026, 1, 6)
    assert adopted_on(rules(dt.date(2026, 11, 30)), dt.date(2026, 8, 11)) is None
    assert adopted_on(None, dt.date(2026, 8, 11)) is None


def test_greeting_and_signatures_come_after_the_questions_and_before_privacy_and_objection():
    """Issue 14: the conventional order of a Dutch decision letter: body, Vragen?, groet and signatures, then the
    privacy note and the objection paragraph as the appendix (they came before the signature)."""
    for decision in (DecisionType.GRANTED, DecisionType.REJECTED):
        text = text_of(decision)
        order = [text.index(s) for s in ("Vragen?", "Met vriendelijke groet,", "Pieter van Dijk", "Uw gegevens",
                                         "Heroverweging vragen")]
        assert order == sorted(order), (decision, order)


def test_no_letter_template_speaks_as_wij_or_ons():
    """Issue 14: one voice, "de commissie … zij/haar", in every letter (also the letters that decide nothing)."""
    for path in TEMPLATES_DIR.glob("*.txt"):
        words = set(re.findall(r"\b\w+\b", path.read_text(encoding="utf-8").lower()))
        assert not words & {"wij", "we", "ons", "onze"}, path.name


def test_the_window_holds_the_return_address_and_four_consecutive_address_lines_only():
    """Issue 14: the text extraction showed the contact column between the street and the postcode; on the page
    the window area holds the return address and the four address lines, one after the other, nothing else."""
    pdf = render_letter(letter(DecisionType.GRANTED), SETTINGS)
    crop = [str(round(v)) for v in (WINDOW_X, WINDOW_TOP, WINDOW_W, WINDOW_H)]  # points: 72 dpi pixels
    out = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-x", crop[0], "-y", crop[1],
                          "-W", crop[2], "-H", crop[3], "-", "-"], input=pdf, capture_output=True, check=True)
    lines = [line.strip() for line in out.stdout.decode("utf-8").splitlines() if line.strip()]
    assert lines == ["Retouradres Postbus 511, 2003 PB Haarlem", "Coöperatie Fietswerk Kennemerland U.A.",
                     "t.a.v. Sanne de Wit", "Grote Markt 2", "2011 RD HAARLEM"], lines
