"""The assessment form file format: strict loading, the shipped form, diffs and `forms validate`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from commissie_app.cli import main
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.domain.form_diff import diff_forms
from commissie_app.domain.form_loader import load_form, parse_form, shipped_form_paths
from commissie_app.domain.form_model import AdviceOutcome, QuestionType
from commissie_app.domain.form_reader import FormDefinitionError

DATA = Path(__file__).parent / "data" / "forms"
SHIPPED = Path(__file__).parents[1] / "forms" / "assessment" / "kip-erkenning-v1.toml"


def problems_of(name: str) -> list[tuple[str, str | None, str]]:
    with pytest.raises(FormDefinitionError) as info:
        load_form(DATA / name)
    assert all(p.file == str(DATA / name) for p in info.value.problems)
    return [(p.location, p.question, p.message) for p in info.value.problems]


# (file, [(location, question key or None, part of the Dutch reason), ...]) - every problem, in order.
BROKEN = [
    ("broken-syntax.toml", [("regel 4, kolom 15", None, "ongeldige TOML-syntaxis")]),
    ("broken-not-utf8.toml", [("-", None, "geen UTF-8-tekst")]),
    ("broken-unknown-type.toml", [
        ("sections[2].questions[1].type", "q2", "onbekend vraagtype ‘ja_nee’; kies uit: yes_no_unknown"),
    ]),
    ("broken-duplicate-key.toml", [
        ("sections[1].questions[2].key", "crit_pso30",
         "de sleutel ‘crit_pso30’ komt al voor bij sections[1].questions[1]"),
    ]),
    ("broken-condition-missing-question.toml", [
        ("sections[1].questions[2].show_if.question", "crit_pso30_evidence",
         "de vraag ‘crit_pso’ bestaat niet in dit formulier (bedoelt u ‘crit_pso30’?)"),
    ]),
    ("broken-rule-unknown-answer.toml", [
        ("advice.rules[1].when.any_of[1].equals", None,
         "‘jazeker’ is geen keuze van vraag ‘crit_bcorp’; mogelijk: ja, nee, onbekend"),
        ("advice.rules[1].when.any_of[2].question", None, "de vraag ‘crit_sociaal’ bestaat niet"),
    ]),
    ("broken-missing-attribute.toml", [
        ("form.title", None, "verplicht attribuut ‘title’ ontbreekt"),
        ("sections[1].questions[1].label", "q1", "verplicht attribuut ‘label’ ontbreekt"),
        ("sections[1].questions[2].choices", "q2", "verplicht attribuut ‘choices’ ontbreekt"),
        ("advice.rules[1].outcome", None, "verplicht attribuut ‘outcome’ ontbreekt"),
    ]),
    ("broken-version.toml", [("form.version", None, "moet een geheel getal zijn, niet tekst")]),
    ("broken-date.toml", [("form.adopted_on", None, "‘30-02-2026’ is geen geldige datum")]),
    ("broken-scale-no-labels.toml", [
        ("sections[1].questions[1].labels", "impact", "ten minste twee labels"),
        ("sections[1].questions[2].labels", "quality", "verplicht attribuut ‘labels’ ontbreekt"),
    ]),
    ("broken-unknown-keys.toml", [
        ("extra", None, "onbekend attribuut ‘extra’; toegestaan zijn: form, sections, advice"),
        ("form.auteur", None, "onbekend attribuut ‘auteur’"),
        ("sections[1].questions[1].lable", "q1", "onbekend attribuut ‘lable’ (bedoelt u ‘label’?)"),
        ("sections[1].questions[1].label", "q1", "verplicht attribuut ‘label’ ontbreekt"),
        ("sections[1].questions[2].choices", "q2", "attribuut ‘choices’ hoort niet bij vraagtype ‘date’"),
    ]),
    ("broken-advice-rules.toml", [
        ("advice.rules[1].outcome", None, "onbekende uitkomst ‘goedkeuren’; kies uit: toekennen, "
                                          "voorwaardelijk toekennen, afwijzen, aanhouden"),
        ("advice.rules[1].reason", None, "‘{deadline}’ kan alleen in een regel met ‘deadline’"),
        ("advice.rules[1].reason", None, "onbekende plaatshouder ‘{onbekend}’"),
        ("advice.rules[2]", None, "deze regel wordt nooit bereikt"),
        ("advice.rules[2].id", None, "de regel ‘altijd’ komt al voor bij advice.rules[1]"),
        ("advice.rules[2].when.equals", None, "‘equals’ kan niet bij vraag ‘founded’ van type ‘date’"),
        ("advice.rules[2].deadline.add_months", None, "onbekende termijn ‘aanloop’"),
    ]),
    ("broken-conditions.toml", [
        ("sections[1].questions[1].show_if.question", "q1", "de vraag ‘q2’ staat pas later in het formulier"),
        ("sections[1].questions[2].show_if.question", "q2", "een vraag kan niet van haar eigen antwoord afhangen"),
        ("sections[1].questions[4].show_if.within_months", "q4", "kan alleen in een adviesregel, niet in show_if"),
        ("sections[1].questions[5].show_if", "q5", "geef precies één vergelijking per tabel"),
    ]),
]


@pytest.mark.parametrize("name,expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_refused_with_every_problem(name, expected):
    found = problems_of(name)
    assert len(found) == len(expected), found
    for (loc, key, msg), (want_loc, want_key, want_msg) in zip(found, expected):
        assert (loc, key) == (want_loc, want_key)
        assert want_msg in msg


def test_error_message_names_file_location_and_reason_and_is_a_domain_error():
    with pytest.raises(DomainError) as info:
        load_form(DATA / "broken-unknown-type.toml")
    text = str(info.value)
    assert "niet ingelezen" in text
    assert f"{DATA / 'broken-unknown-type.toml'}: sections[2].questions[1].type (vraag q2): onbekend vraagtype" in text


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(FormDefinitionError) as info:
        load_form(tmp_path / "bestaat-niet.toml")
    assert info.value.problems[0].message == "het bestand bestaat niet"


def test_more_problems_in_one_question_are_all_listed():
    text = (DATA / "valid-minimal.toml").read_text(encoding="utf-8").replace(
        'key = "name"\ntype = "short_text"\nlabel = "Naam"\nmax_length = 10',
        'key = "Name"\ntype = "short_text"\nlabel = ""\nmax_length = 100000\nrequired = "ja"')
    with pytest.raises(FormDefinitionError) as info:
        parse_form(text, "x.toml")
    got = {(p.location, p.message.split(";")[0]) for p in info.value.problems}
    assert got == {
        ("sections[1].questions[6].key", "‘Name’ is ongeldig: gebruik kleine letters, cijfers en ‘_’, beginnend met een letter"),
        ("sections[1].questions[6].label", "mag niet leeg zijn"),
        ("sections[1].questions[6].required", "moet true of false zijn, niet tekst"),
        ("sections[1].questions[6].max_length", "moet tussen 1 en 200 liggen (nu 100000)"),
    }


def test_valid_file_loads_into_the_model():
    form = load_form(DATA / "valid-minimal.toml")
    assert (form.form_id, form.version, form.title, form.adopted_on) == ("test-formulier", 3, "Testformulier",
                                                                         dt.date(2026, 1, 15))
    assert [q.key for q in form.questions] == ["met", "kind", "domains", "score", "since", "name", "notes", "proof",
                                               "why"]
    kind = form.question("kind")
    assert kind.type is QuestionType.SINGLE_CHOICE
    assert [(c.value, c.label) for c in kind.choices] == [("a", "a"), ("b", "b"), ("c", "Soort C")]
    score = form.question("score")
    assert [(s.value, s.label) for s in score.scale] == [(0, "nul"), (1, "een"), (2, "twee")]
    assert form.question("proof").criterion is Criterion.PSO30
    assert form.question("name").max_length == 10
    assert form.question("notes").max_length == 10_000
    assert [c.value for c in form.question("met").choices] == ["ja", "nee", "onbekend"]
    assert [(r.id, r.outcome) for r in form.rules] == [
        ("jong", AdviceOutcome.CONDITIONAL_GRANT), ("oud", AdviceOutcome.GRANT), ("rest", AdviceOutcome.DEFER)]
    assert form.rules[-1].when is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.version = 4  # type: ignore[misc]


def test_content_hash_is_of_the_canonical_text():
    text = SHIPPED.read_text(encoding="utf-8")
    a = parse_form(text)
    b = parse_form("\ufeff" + text.replace("\n", "\r\n"))
    c = parse_form(text.replace("Motivering van uw advies", "Motivering"))
    assert a.content_hash == b.content_hash
    assert len(a.content_hash) == 64
    assert c.content_hash != a.content_hash
    assert a.source_text == text


def test_shipped_form_is_version_1_with_the_six_criteria():
    assert SHIPPED in shipped_form_paths()
    form = load_form(SHIPPED)
    assert (form.form_id, form.version) == ("kip-erkenning", 1)
    evidence = {q.criterion for q in form.questions if q.type is QuestionType.EVIDENCE}
    assert evidence == set(Criterion)
    assert form.question("advice_motivation").type is QuestionType.LONG_TEXT
    assert form.question("advice_motivation").required
    municipalities = form.question("region_municipality").choice_values
    assert municipalities == ("Haarlem", "Bloemendaal", "Heemstede", "Zandvoort", "Velsen", "Heemskerk", "Beverwijk")
    outcomes = {r.outcome for r in form.rules}
    assert outcomes == set(AdviceOutcome)


# --- diff ---------------------------------------------------------------------------------------


def test_diff_forms_lists_added_removed_and_changed_questions():
    text = SHIPPED.read_text(encoding="utf-8")
    old = parse_form(text)
    new_text = (
        text.replace("version = 1", "version = 2")
        .replace('label = "Motivering van uw advies"', 'label = "Motivering"')
        .replace('key = "impact_score"\ntype = "scale"', 'key = "impact_score"\ntype = "scale"\nrequired = true')
        .replace('    { value = "other", label = "anders" },\n', '    { value = "other", label = "anders" },\n'
                                                              '    { value = "housing", label = "wonen" },\n')
    )
    # remove the B Corp evidence question and add a question about the website
    start = new_text.index('[[sections.questions]]\nkey = "crit_bcorp_evidence"')
    end = new_text.index('[[sections.questions]]\nkey = "crit_startup"')
    new_text = new_text[:start] + new_text[end:]
    new_text = new_text.replace(
        '{ all_of = [{ question = "crit_bcorp", equals = "ja" }, { question = "crit_bcorp_evidence", answered = true }] },\n', ''
    ).replace(
        '{ all_of = [{ question = "crit_bcorp", equals = "ja" }, { question = "crit_bcorp_evidence", answered = false }] },\n', ''
    )
    new_text = new_text.replace(
        '[[sections.questions]]\nkey = "member_advice"',
        '[[sections.questions]]\nkey = "website_checked"\ntype = "yes_no_unknown"\nlabel = "Website bekeken?"\n\n'
        '[[sections.questions]]\nkey = "member_advice"')
    new = parse_form(new_text)

    d = diff_forms(old, new)
    assert (d.old_version, d.new_version) == (1, 2)
    assert [q.key for q in d.added] == ["website_checked"]
    assert [q.key for q in d.removed] == ["crit_bcorp_evidence"]
    changed = {c.key: c.attributes() for c in d.changed}
    assert changed == {"impact_domains": ("choices",), "impact_score": ("required",),
                       "advice_motivation": ("label",)}
    assert d.rules_changed == ("criterium-met-bewijs", "informatie-ontbreekt")
    lines = d.lines()
    assert "Nieuwe vraag: Website bekeken? (website_checked)" in lines
    assert "Vervallen vraag: Bewijsstuk B Corp-certificering (crit_bcorp_evidence)" in lines
    assert "Gewijzigde vraag advice_motivation: vraagtekst: Motivering van uw advies → Motivering" in lines
    assert "Gewijzigde vraag impact_score: verplicht: nee → ja" in lines
    assert not d.is_empty


def test_diff_of_a_form_with_itself_is_empty_and_a_type_change_is_seen():
    text = (DATA / "valid-minimal.toml").read_text(encoding="utf-8")
    form = parse_form(text)
    assert diff_forms(form, parse_form(text)).is_empty
    other = parse_form(text.replace('key = "name"\ntype = "short_text"', 'key = "name"\ntype = "long_text"')
                       .replace("max_length = 10\n", ""))
    [change] = diff_forms(form, other).changed
    assert change.key == "name"
    assert [(c.attribute, c.old, c.new) for c in change.changes] == [
        ("type", QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT), ("max_length", 10, 10_000)]


# --- command line -------------------------------------------------------------------------------


def test_cli_validate_ok_files_exit_0(capsys):
    assert main(["forms", "validate", str(SHIPPED), str(DATA / "valid-minimal.toml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{SHIPPED}: in orde (kip-erkenning versie 1, 22 vragen, 7 adviesregels)",
        f"{DATA / 'valid-minimal.toml'}: in orde (test-formulier versie 3, 9 vragen, 3 adviesregels)",
    ]


def test_cli_validate_prints_every_problem_and_exits_non_zero(capsys):
    broken = DATA / "broken-scale-no-labels.toml"
    assert main(["forms", "validate", str(SHIPPED), str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{SHIPPED}: in orde (kip-erkenning versie 1, 22 vragen, 7 adviesregels)",
        f"{broken}: sections[1].questions[1].labels (vraag impact): een schaal heeft een lijst met ten minste twee "
        "labels nodig, één per stap",
        f"{broken}: sections[1].questions[2].labels (vraag quality): verplicht attribuut ‘labels’ ontbreekt",
    ]
    assert "1 bestand is niet in orde." in captured.err


def test_cli_validate_needs_a_file():
    with pytest.raises(SystemExit) as info:
        main(["forms", "validate"])
    assert info.value.code == 2
