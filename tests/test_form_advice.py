"""Answers on an assessment form: visibility, validation and the advice declared in the form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from commissie_app.domain.errors import ValidationError
from commissie_app.domain.form_advice import (
    add_months,
    advise,
    answers_to_json,
    clean_answers,
    display_answer,
    validate_answers,
    visible_questions,
)
from commissie_app.domain.form_loader import load_form
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.rules import Rules, load_rules

TODAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).parents[1]
SHIPPED = load_form(ROOT / "forms" / "assessment" / "kip-erkenning-v1.toml")
MINIMAL = load_form(Path(__file__).parent / "data" / "forms" / "valid-minimal.toml")
RULES = load_rules()  # the shipped forms/rules.toml: 24 months grace period

CRITERIA = ("code_so", "se_nl", "pso30", "non_profit", "bcorp", "startup")


def assessment(**overrides) -> dict:
    """A member's completed assessment on the shipped form: in the region, no criterion met."""
    answers = {
        "region_established": "ja",
        "region_municipality": "Haarlem",
        **{f"crit_{c}": "nee" for c in CRITERIA},
        "mission_primary": "ja",
        "impact_domains": ["work"],
        "impact_evidence": "Vier medewerkers met een afstand tot de arbeidsmarkt hebben een vaste baan.",
        "impact_score": 3,
        "member_advice": "afwijzen",
        "advice_motivation": "Zie de beoordeling per criterium.",
    }
    answers.update(overrides)
    return answers


# --- advice on the shipped form ---------------------------------------------------------------


def test_a_met_criterion_with_evidence_gives_toekennen():
    answers = assessment(crit_pso30="ja", crit_pso30_evidence="att-pso-certificaat", member_advice="toekennen")
    assert validate_answers(SHIPPED, answers) == {}
    advice = advise(SHIPPED, answers, TODAY, RULES)
    assert advice.outcome is AdviceOutcome.GRANT
    assert advice.rule_id == "criterium-met-bewijs"
    assert advice.deadline is None
    assert advice.reason == "De organisatie voldoet aan ten minste één erkenningscriterium en het bewijsstuk is aanwezig."


@pytest.mark.parametrize("criterion", ["code_so", "se_nl", "pso30", "non_profit", "bcorp"])
def test_each_of_the_five_criteria_suffices(criterion):
    answers = assessment(**{f"crit_{criterion}": "ja", f"crit_{criterion}_evidence": "att-1"})
    assert advise(SHIPPED, answers, TODAY, RULES).outcome is AdviceOutcome.GRANT


def test_only_startup_within_grace_period_gives_conditional_grant_with_deadline():
    answers = assessment(crit_startup="ja", startup_founded_on="01-03-2026", crit_startup_evidence="att-kvk",
                         member_advice="voorwaardelijk_toekennen", advice_conditions="Na twee jaar opnieuw toetsen.")
    assert validate_answers(SHIPPED, answers) == {}
    advice = advise(SHIPPED, answers, TODAY, RULES)
    assert advice.outcome is AdviceOutcome.CONDITIONAL_GRANT
    assert advice.rule_id == "startup-aanloopperiode"
    assert advice.deadline == dt.date(2028, 3, 1)
    assert advice.reason == (
        "Startup of zzp'er met een maatschappelijke missie, opgericht op 1 maart 2026 (minder dan 24 maanden "
        "geleden). Voorwaardelijke erkenning tot 1 maart 2028; uiterlijk dan moet de organisatie aan een van de "
        "andere criteria voldoen."
    )


def test_grace_period_comes_from_the_rules_file():
    answers = assessment(crit_startup="ja", startup_founded_on=dt.date(2025, 10, 1), crit_startup_evidence="att-kvk")
    assert advise(SHIPPED, answers, TODAY, RULES).outcome is AdviceOutcome.CONDITIONAL_GRANT
    one_year = Rules(startup_max_age_months=12)
    advice = advise(SHIPPED, answers, TODAY, one_year)
    assert advice.outcome is AdviceOutcome.REJECT
    assert advice.rule_id == "startup-te-oud"
    assert "meer dan 12 maanden geleden" in advice.reason
    assert advice.deadline is None


def test_startup_founded_exactly_grace_period_ago_is_too_old():
    answers = assessment(crit_startup="ja", startup_founded_on="2024-11-23", crit_startup_evidence="att-kvk")
    assert advise(SHIPPED, answers, TODAY, RULES).rule_id == "startup-te-oud"
    answers["startup_founded_on"] = "2024-11-24"
    assert advise(SHIPPED, answers, TODAY, RULES).outcome is AdviceOutcome.CONDITIONAL_GRANT


def test_nothing_met_gives_afwijzen():
    advice = advise(SHIPPED, assessment(), TODAY, RULES)
    assert advice.outcome is AdviceOutcome.REJECT
    assert advice.rule_id == "geen-criterium"
    assert advice.reason == "De organisatie voldoet aan geen van de criteria voor erkenning."


def test_outside_the_region_gives_afwijzen_even_with_a_criterion():
    answers = assessment(region_established="nee", crit_bcorp="ja", crit_bcorp_evidence="att-bcorp")
    del answers["region_municipality"]
    assert validate_answers(SHIPPED, answers) == {}
    advice = advise(SHIPPED, answers, TODAY, RULES)
    assert (advice.outcome, advice.rule_id) == (AdviceOutcome.REJECT, "buiten-regio")


def test_missing_evidence_gives_aanhouden():
    answers = assessment(crit_non_profit="ja", member_advice="aanhouden")  # no crit_non_profit_evidence
    assert validate_answers(SHIPPED, answers) == {}  # evidence is optional: its absence is what the advice weighs
    advice = advise(SHIPPED, answers, TODAY, RULES)
    assert (advice.outcome, advice.rule_id) == (AdviceOutcome.DEFER, "informatie-ontbreekt")
    assert advice.reason.startswith("Er ontbreekt een bewijsstuk")


def test_a_criterion_met_with_evidence_wins_over_another_without():
    answers = assessment(crit_non_profit="ja", crit_bcorp="ja", crit_bcorp_evidence="att-bcorp")
    assert advise(SHIPPED, answers, TODAY, RULES).outcome is AdviceOutcome.GRANT


@pytest.mark.parametrize("overrides", [
    {"crit_se_nl": "onbekend"},
    {"region_established": "onbekend"},
    {"crit_startup": "ja", "startup_founded_on": "2026-05-01", "crit_startup_evidence": "att", "mission_primary": "onbekend"},
    {"crit_startup": "ja", "startup_founded_on": "2026-05-01"},  # startup evidence missing
])
def test_unknown_answers_give_aanhouden(overrides):
    assert advise(SHIPPED, assessment(**overrides), TODAY, RULES).outcome is AdviceOutcome.DEFER


def test_startup_without_social_mission_as_primary_goal_is_rejected():
    answers = assessment(crit_startup="ja", startup_founded_on="2026-05-01", crit_startup_evidence="att",
                         mission_primary="nee")
    advice = advise(SHIPPED, answers, TODAY, RULES)
    assert (advice.outcome, advice.rule_id) == (AdviceOutcome.REJECT, "startup-zonder-missie")


def test_hidden_answers_do_not_count_for_the_advice():
    # The evidence question is only shown when the criterion is 'ja'; a leftover answer is ignored.
    answers = assessment(crit_pso30="nee", crit_pso30_evidence="att-oud")
    assert advise(SHIPPED, answers, TODAY, RULES).outcome is AdviceOutcome.REJECT
    assert "crit_pso30_evidence" not in clean_answers(SHIPPED, answers)


def test_no_answers_at_all_give_afwijzen_without_crashing():
    advice = advise(SHIPPED, {}, TODAY, RULES)
    assert advice.outcome is AdviceOutcome.REJECT  # nothing answered: no criterion met (validation says what is missing)


# --- visibility -------------------------------------------------------------------------------


def keys(questions) -> list[str]:
    return [q.key for q in questions]


def test_conditions_show_follow_up_questions():
    base = keys(visible_questions(SHIPPED, {}))
    assert "region_municipality" not in base
    assert "crit_pso30_evidence" not in base
    assert "startup_founded_on" not in base
    assert "advice_conditions" not in base
    shown = keys(visible_questions(SHIPPED, {"region_established": "ja", "crit_pso30": "ja", "crit_startup": "ja",
                                             "member_advice": "voorwaardelijk_toekennen"}))
    assert set(shown) - set(base) == {"region_municipality", "crit_pso30_evidence", "startup_founded_on",
                                      "crit_startup_evidence", "advice_conditions"}
    assert shown.index("crit_pso30") < shown.index("crit_pso30_evidence") < shown.index("crit_non_profit")
    assert "crit_pso30_evidence" not in keys(visible_questions(SHIPPED, {"crit_pso30": "onbekend"}))


def test_one_of_and_nested_visibility_and_section_conditions():
    assert "impact_domains" in keys(visible_questions(SHIPPED, {"mission_primary": "onbekend"}))
    assert "impact_domains" not in keys(visible_questions(SHIPPED, {"mission_primary": "nee"}))
    # valid-minimal: the second section shows at a score of 2 or when domain z is picked
    assert "why" not in keys(visible_questions(MINIMAL, {"score": 1}))
    assert "why" in keys(visible_questions(MINIMAL, {"score": 2}))
    assert "why" in keys(visible_questions(MINIMAL, {"domains": ["x", "z"]}))
    # ... and 'why' itself is hidden (none_of) when kind is a or b
    assert "why" not in keys(visible_questions(MINIMAL, {"score": 2, "met": "ja", "kind": "a"}))
    # kind is shown unless met is 'nee'; when kind is hidden its answer no longer hides 'why'
    assert "why" in keys(visible_questions(MINIMAL, {"score": 2, "met": "nee", "kind": "a"}))


def test_invalid_answer_counts_as_unanswered_for_conditions():
    assert "region_municipality" not in keys(visible_questions(SHIPPED, {"region_established": "misschien"}))


# --- validation -------------------------------------------------------------------------------


def test_required_visible_questions_must_be_answered():
    errors = validate_answers(SHIPPED, {"region_established": "ja", "crit_startup": "ja"})
    assert errors["region_municipality"] == ("Beantwoord deze vraag; zij is verplicht: "
                                             "In welke gemeente is de organisatie gevestigd?")
    assert "startup_founded_on" in errors
    assert "advice_motivation" in errors
    assert "crit_pso30_evidence" not in errors  # hidden
    assert "impact_score" not in errors  # not required
    # a draft may be incomplete
    assert validate_answers(SHIPPED, {"region_established": "ja", "crit_startup": "ja"}, complete=False) == {}


def test_answers_must_fit_the_question_type():
    errors = validate_answers(MINIMAL, {
        "met": "Misschien",
        "domains": ["x", "q"],
        "score": 7,
        "since": "31-02-2026",
        "name": "veel te lange naam",
        "notes": 12,
        "onbekend": "x",
    }, complete=False)
    assert errors == {
        "met": "Kies een van: ja, nee, onbekend.",
        "domains": "Onbekende keuze: q. Kies uit: x, y, z.",
        "score": "Kies een score van 0 tot en met 2.",
        "since": "Vul een geldige datum in, bijvoorbeeld 23-11-2026.",
        "name": "Gebruik hoogstens 10 tekens (nu 18).",
        "notes": "Vul hier tekst in.",
        "onbekend": "Dit formulier kent geen vraag ‘onbekend’.",
    }


def test_single_choice_and_short_text_rules():
    errors = validate_answers(MINIMAL, {"met": "ja", "kind": "d", "name": "twee\nregels", "domains": "x"},
                              complete=False)
    assert errors == {"kind": "Kies een van: a, b, Soort C.", "name": "Een kort antwoord past op één regel.",
                      "domains": "Kies een of meer van: x, y, z."}


def test_evidence_must_be_an_attachment_of_the_application():
    answers = {"proof": "att-2"}
    assert validate_answers(MINIMAL, answers, complete=False, attachment_ids={"att-1"}) == {
        "proof": "Het gekozen bewijsstuk is geen bijlage (meer) van deze aanvraag; kies een andere."}
    assert validate_answers(MINIMAL, answers, complete=False, attachment_ids={"att-1", "att-2"}) == {}


def test_clean_answers_normalises_and_refuses_invalid_input():
    cleaned = clean_answers(MINIMAL, {"met": " JA ", "kind": "c", "domains": ["z", "x"], "score": "2",
                                      "since": "01-06-2026", "name": " Kim ", "notes": "", "why": "Omdat."})
    assert cleaned == {"met": "ja", "kind": "c", "domains": ("x", "z"), "score": 2, "since": dt.date(2026, 6, 1),
                       "name": "Kim", "why": "Omdat."}
    assert answers_to_json(MINIMAL, cleaned)["since"] == "2026-06-01"
    assert answers_to_json(MINIMAL, cleaned)["domains"] == ["x", "z"]
    with pytest.raises(ValidationError) as info:
        clean_answers(MINIMAL, {"met": "ja", "score": 2})
    assert set(info.value.errors) == {"why"}


def test_display_answer_shows_labels():
    q = MINIMAL.question
    assert display_answer(q("kind"), "c") == "Soort C"
    assert display_answer(q("score"), 1) == "1 (een)"
    assert display_answer(q("since"), "2026-11-23") == "23 november 2026"
    assert display_answer(SHIPPED.question("impact_domains"), ["care", "work"]) == "werk en participatie, zorg en welzijn"
    assert display_answer(q("name"), "") == "(niet beantwoord)"


def test_advice_on_the_minimal_form_uses_numeric_periods_and_placeholders():
    advice = advise(MINIMAL, {"met": "ja", "kind": "c", "since": "2026-08-31"}, TODAY, RULES)
    assert advice.outcome is AdviceOutcome.CONDITIONAL_GRANT
    assert advice.deadline == dt.date(2027, 2, 28)
    assert advice.reason == "Voorwaardelijk tot 28 februari 2027 (soort: Soort C, vandaag 23 november 2026)."
    old = advise(MINIMAL, {"met": "ja", "since": "2020-01-01", "score": 1}, TODAY, RULES)
    assert (old.outcome, old.reason) == (AdviceOutcome.GRANT, "Al meer dan 24 maanden bezig.")
    assert advise(MINIMAL, {"met": "ja", "since": "2020-01-01", "score": 2}, TODAY, RULES).rule_id == "rest"


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 23), 24) == dt.date(2028, 11, 23)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
