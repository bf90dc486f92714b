"""The commission's rules file forms/rules.toml: the shipped values and a strict reading."""

from __future__ import annotations

import pytest

from commissie_app.domain.errors import DomainError
from commissie_app.domain.rules import Rules, load_rules


def test_the_shipped_rules():
    assert load_rules() == Rules(grace_period_months=24, badge_validity_months=24, quorum_seats=3,
                                 tie_outcome="aangehouden", kenmerk_pattern="KIP-{jaar}-{volgnummer:03}")


def test_a_commission_can_set_one_year(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[recognition]\ngrace_period_months = 12\nbadge_validity_months = 12\n", encoding="utf-8")
    rules = load_rules(path)
    assert (rules.grace_period_months, rules.badge_validity_months, rules.quorum_seats) == (12, 12, 3)


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


def test_an_unreadable_file_says_which_and_why(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text("[recognition\n", encoding="utf-8")
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        load_rules(path)
    with pytest.raises(DomainError, match="kan niet worden gelezen"):
        load_rules(tmp_path / "missing.toml")
