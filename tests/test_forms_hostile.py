"""Hostile form files: too deep, too long, too big. Each is a problem list in Dutch, never a crash."""

from __future__ import annotations

import pytest

from commissie_app.cli import main
from commissie_app.domain.form_loader import load_form, shipped_form_paths
from commissie_app.domain.form_reader import FormDefinitionError

MAX_TEXT_CHARS = 5_000  # commissie_app.domain.form_reader.MAX_TEXT_CHARS

SHIPPED = shipped_form_paths()[0]
SHOW_IF = 'show_if = { question = "crit_code_so", equals = "ja" }'


def nested_conditions(levels: int) -> str:
    cond = '{ question = "crit_code_so", equals = "ja" }'
    for _ in range(levels):
        cond = "{ all_of = [" + cond + "] }"
    return SHIPPED.read_text(encoding="utf-8").replace(SHOW_IF, "show_if = " + cond, 1)


@pytest.mark.parametrize("text", [
    nested_conditions(200),
    nested_conditions(20),
    '[form]\nid = "x"\nwaarde = ' + "[" * 200 + "]" * 200 + "\n",
    '[form]\nid = "x"\nwaarde = ' + "{a = " * 200 + "1" + "}" * 200 + "\n",
], ids=["200 all_of levels", "20 all_of levels", "200 nested lists", "200 nested tables"])
def test_deeply_nested_form_is_a_problem_with_its_location(tmp_path, capsys, text):
    """Issue 9, item 13: a form file nested 200 levels deep is refused with file and location, exit 1."""
    path = tmp_path / "diep.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as err:
        load_form(path)
    problem = next(p for p in err.value.problems if "te diep genest" in p.message)
    assert problem.file == str(path) and problem.location not in ("", "-")
    assert main(["forms", "validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: " in out and "te diep genest" in out


def test_one_megabyte_field_and_file_are_refused_in_dutch(tmp_path, capsys):
    """Issue 9, item 13: a 1 MB field (a file of 1 MB) and a field of 6,000 characters are refused in Dutch."""
    text = SHIPPED.read_text(encoding="utf-8")
    big = tmp_path / "groot.toml"
    big.write_text(text.replace('title = "', 'title = "' + "x" * 1_000_000, 1), encoding="utf-8")
    assert main(["forms", "validate", str(big)]) == 1
    assert "het bestand is 988 kB groot; een formulierbestand is hoogstens 512 kB" in capsys.readouterr().out

    long = tmp_path / "lang.toml"
    long.write_text(text.replace('label = "', 'label = "' + "x" * 6_000, 1), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as err:
        load_form(long)
    [problem] = err.value.problems
    assert problem.location == "sections[1].questions[1].label"
    first_label = text.split('label = "', 1)[1].split('"', 1)[0]
    assert problem.message == (f"de tekst is te lang ({6_000 + len(first_label)} tekens; "
                               f"hoogstens {MAX_TEXT_CHARS})")


def test_shipped_form_is_within_the_limits():
    assert load_form(SHIPPED).questions
