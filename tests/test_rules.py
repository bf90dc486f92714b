"""The commission's rules file forms/rules.toml: the shipped values and a strict reading."""

from __future__ import annotations

import dataclasses
import json

import pytest

from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules, load_rules, rule_lines, rules_from_values, rules_to_values


def test_the_shipped_rules():
    shipped = load_rules()
    assert dataclasses.replace(shipped, evidence_notes=()) == Rules(
        startup_max_age_months=24, conditional_months=24, badge_validity_months=24, reminder_months=3, quorum_seats=3,
        tie_outcome="aangehouden", kenmerk_pattern="KIP-{jaar}-{volgnummer:03}")
    # issue 15: what an applicant brings per criterion (the vooraf-check's checklist), one note per criterion
    assert [code for code, _text in shipped.evidence_notes] == ["CODE_SO", "SE_NL", "PSO30", "NON_PROFIT", "BCORP",
                                                                 "STARTUP"]


def test_evidence_notes_are_read_strictly(tmp_path):
    """Issue 15: the [evidence] table names criteria of the form with a text; a wrong code or an empty text is
    named, and an adopted set's pairs read back as written."""
    path = tmp_path / "rules.toml"
    path.write_text('[evidence]\nPSO31 = "certificaat"\nBCORP = ""\n', encoding="utf-8")
    with pytest.raises(DomainError) as err:
        load_rules(path)
    assert "[evidence] kent geen criterium ‘PSO31’" in str(err.value) and "[evidence] BCORP moet een tekst" in str(err.value)
    path.write_text('[evidence]\nBCORP = "Het  certificaat."\n', encoding="utf-8")
    rules = load_rules(path)
    assert rules.evidence_notes == (("BCORP", "Het certificaat."),)
    assert rule_lines(rules)[-1] == ("Bewijs bij B Corp", "Het certificaat.")  # as the Settings page shows it
    assert rules_from_values(json.loads(json.dumps(rules_to_values(rules))), "versie 2") == rules


def test_a_commission_can_set_one_year(tmp_path):
    """Issue 12: the startup age and the conditional period are two rules, set apart."""
    path = tmp_path / "rules.toml"
    path.write_text("[recognition]\nstartup_max_age_months = 24\nconditional_months = 12\n"
                    "badge_validity_months = 12\n[follow_up]\nreminder_months = 2\n", encoding="utf-8")
    rules = load_rules(path)
    assert (rules.startup_max_age_months, rules.conditional_months, rules.badge_validity_months,
            rules.reminder_months, rules.quorum_seats) == (24, 12, 12, 2, 3)


def test_a_legacy_grace_period_sets_both_new_rules(tmp_path):
    """Issue 12: an old rules file (or adopted set) with only ``grace_period_months`` keeps the commission's
    number for the startup age and the conditional period; a new key given as well wins."""
    path = tmp_path / "rules.toml"
    path.write_text("[recognition]\ngrace_period_months = 12\n", encoding="utf-8")
    rules = load_rules(path)
    assert (rules.startup_max_age_months, rules.conditional_months) == (12, 12)
    path.write_text("[recognition]\ngrace_period_months = 12\nconditional_months = 24\n", encoding="utf-8")
    rules = load_rules(path)
    assert (rules.startup_max_age_months, rules.conditional_months) == (12, 24)
    from commissie_app.domain.rules import rules_from_values, rules_to_values
    adopted_before = {k: v for k, v in rules_to_values(Rules()).items()
                      if k not in ("startup_max_age_months", "conditional_months", "reminder_months")}
    adopted_before["grace_period_months"] = 18
    old = rules_from_values(adopted_before, "vastgestelde regels versie 1")
    assert (old.startup_max_age_months, old.conditional_months, old.reminder_months) == (18, 18, 3)


def test_every_value_out_of_range_is_named_at_once(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[recognition]\ngrace_period_months = 0\nbadge_validity_months = 200\n"
                    "[meeting]\nquorum_seats = 6\ntie_outcome = 'toegekend'\n", encoding="utf-8")
    with pytest.raises(DomainError) as err:
        load_rules(path)
    message = str(err.value)
    assert str(path) in message
    for key in ("grace_period_months", "badge_validity_months", "quorum_seats", "tie_outcome"):
        assert key in message
    path.write_text("[recognition]\nstartup_max_age_months = 0\nconditional_months = 121\n"
                    "[follow_up]\nreminder_months = -1\n", encoding="utf-8")
    with pytest.raises(DomainError) as err:
        load_rules(path)
    for key in ("startup_max_age_months", "conditional_months", "reminder_months"):
        assert key in str(err.value)


def test_an_unreadable_file_says_which_and_why(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[recognition\n", encoding="utf-8")
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        load_rules(path)
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        load_rules(tmp_path / "missing.toml")


def test_every_file_in_forms_is_installed_by_a_wheel():
    """pyproject.toml's data-files must cover forms/: a wheel install reads them from <prefix>/share."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    data_files = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    shipped = {}
    for target, patterns in data_files.items():
        if not target.startswith("share/commissie-app/forms"):
            continue  # the desktop entry and icons (tests/test_desktop_entry.py)
        for pattern in patterns:
            for path in root.glob(pattern):
                shipped[path.relative_to(root / "forms").as_posix()] = target
    files = [p.relative_to(root / "forms").as_posix() for p in (root / "forms").rglob("*") if p.is_file()]
    assert files and sorted(files) == sorted(shipped)
    for name, target in shipped.items():  # each lands in the same place under share/commissie-app/forms
        folder = name.rpartition("/")[0]
        assert target == "share/commissie-app/forms" + (f"/{folder}" if folder else ""), name


def test_forms_directory_can_be_pointed_elsewhere(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "rules.toml").write_text("[meeting]\nquorum_seats = 4\n", encoding="utf-8")
    code = "from commissie_app.domain.rules import FORMS_DIR, load_rules; print(FORMS_DIR, load_rules().quorum_seats)"
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, COMMISSIE_FORMS_DIR=str(tmp_path)),
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(tmp_path), "4"]
