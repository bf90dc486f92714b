"""Every user string can be extracted by xgettext (issue 14, "The app's Dutch"): scripts/i18n_extract.py runs
xgettext over commissie_app/ and refuses a _() / ngettext() / N_() call whose text xgettext cannot read."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from commissie_app.domain import codes, correspondence, meetings, recognition, voting
from commissie_app.domain.commission import Seat
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.permissions import Action

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "i18n_extract.py"


def _extract_module():
    spec = importlib.util.spec_from_file_location("i18n_extract", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def extract():
    return _extract_module()


@pytest.fixture(scope="module")
def catalogue(extract, tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "commissie_app.pot"
    report = extract.check(ROOT / "commissie_app", pot)
    assert report.problems == []
    return extract.pot_msgids(pot)


def test_every_user_string_of_the_app_is_extractable():
    """Issue 14: `make test` fails when a user string is out of xgettext's reach (the script's exit status)."""
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "all extractable" in done.stdout


def test_the_check_refuses_what_xgettext_cannot_read(extract, tmp_path):
    """Issue 14: a variable, a looked-up label, an f-string and a _() inside an f-string are each reported with
    their place; literal calls pass."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "good.py").write_text(
        'from commissie_app.i18n import _, ngettext\n'
        'A = _("aanvraag")\n'
        'B = ngettext("{n} brief", "{n} brieven", 2)\n'
        'C = _("twee " "delen")\n', encoding="utf-8")
    (package / "bad.py").write_text(
        'from commissie_app.i18n import _, ngettext\n'
        'LABELS = {"a": "ontvangen"}\n'
        'def f(text, key, n):\n'
        '    x = _(text)\n'
        '    y = _(LABELS[key])\n'
        '    z = _(f"{n} aanvragen")\n'
        '    w = f"<b>{_(\'verborgen\')}</b>"\n'
        '    v = ngettext(text, "{n} brieven", n)\n', encoding="utf-8")
    report = extract.check(package)
    problems = "\n".join(report.problems)
    assert "bad.py:4: _() with a non-literal argument (text)" in problems
    assert "bad.py:5: _() with a non-literal argument (LABELS[key])" in problems
    assert "bad.py:6: _() with a non-literal argument" in problems
    assert "not in xgettext's catalogue: 'verborgen'" in problems
    assert "bad.py:8: ngettext() with a non-literal argument (text)" in problems
    assert "good.py" not in problems
    assert len(report.problems) == 5
    assert {"aanvraag", "{n} brief", "{n} brieven", "twee delen"} <= report.msgids


def test_the_command_fails_on_a_non_literal_call(tmp_path):
    """Issue 14: the script's exit status is what `make test` and `make pot` act on."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("from commissie_app.i18n import _\nx = _(y)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "pkg")], capture_output=True, text=True)
    assert done.returncode == 1
    assert "m.py:2: _() with a non-literal argument (y)" in done.stderr


ENUMS = [codes.Status, codes.DecisionType, codes.Criterion, codes.LegalForm, codes.ImpactDomain, codes.Role,
         voting.Attendance, voting.VoteChoice, voting.Outcome, AdviceOutcome, recognition.RecognitionKind,
         recognition.RecognitionStatus, recognition.Purpose, recognition.RecognitionEvent, Seat,
         meetings.MeetingStatus, meetings.ItemKind, correspondence.LetterKind, Action]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_enum_labels_are_in_the_catalogue(catalogue, enum):
    """Issue 14: the labels of the code lists reach the catalogue, so an English one can translate them.
    (Municipality is left out on purpose: its labels are the place names themselves.)"""
    missing = [member.label for member in enum if member.label not in catalogue]
    assert missing == []


def test_weekdays_and_criterion_short_labels_are_in_the_catalogue(catalogue):
    """Issue 14: the weekday of a meeting date and the short criterion labels are literal calls too."""
    assert {"maandag", "dinsdag", "zondag", "Non-profit", "Start-up"} <= catalogue


def test_form_file_words_stay_dutch_whatever_the_label():
    """Issue 14: the advice words of a form file are its format, apart from the (translatable) labels."""
    assert AdviceOutcome.from_word("voorwaardelijk toekennen") is AdviceOutcome.CONDITIONAL_GRANT
    assert correspondence.LetterKind.INFO_REQUEST.template_name == "informatieverzoek"
