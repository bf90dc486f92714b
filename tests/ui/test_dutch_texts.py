"""The app's Dutch (issue 14): plural forms that follow the number, one term per thing, one kind of quotation
marks, no colloquial texts, and an About box that promises only what the app has."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from commissie_app.domain import meetings as meeting_rules
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.rules import Rules, rule_lines
from commissie_app.domain.voting import Outcome, Tally
from commissie_app.services import applications as apps
from commissie_app.services import meeting_agenda, meeting_planning
from commissie_app.ui.evidence_table import EvidenceEditor
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.meeting_documents_menu import MeetingDocumentsButton
from commissie_app.ui.meetings_page import YearPlanner
from commissie_app.ui.widgets import format_size
from tests.factories import app_data, org_data, seated_chair

ROOT = Path(__file__).resolve().parents[2]


def _extract():
    from tests.test_i18n_extract import _extract_module

    return _extract_module()


@pytest.fixture(scope="module")
def ui_strings() -> set[str]:
    """Every user string of the app, as xgettext reads it (scripts/i18n_extract.py)."""
    extract = _extract()
    report = extract.check(ROOT / "commissie_app")
    assert report.problems == []
    return report.msgids


# ---------------------------------------------------------------- plural forms


def _complete(ctx, kvk: str) -> object:
    app_id = apps.register_application(ctx, org_data(kvk=kvk, name=f"Org {kvk}"), app_data())
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    return app_id


def test_the_year_planner_says_1_aanvraag_and_2_aanvragen(qtbot, sqlite_ctx):
    """Issue 14: the planner's column of agenda items reads '8 (1 aanvraag)', then '9 (2 aanvragen)'; the year
    warning reads 'is 1 vergadering', without 'vergadering(en)'."""
    day = dt.datetime(2026, 12, 1, 14, 0)
    mid = meeting_planning.plan_meeting(sqlite_ctx, day, place="Stadhuis", chair_member_id=seated_chair(sqlite_ctx, day))
    meeting_agenda.add_application_items(sqlite_ctx, mid, [_complete(sqlite_ctx, "11111111")])
    planner = YearPlanner(sqlite_ctx)
    qtbot.addWidget(planner)
    planner.reload()
    assert re.fullmatch(r"\d+ \(1 aanvraag\)", planner.model.index(0, 4).data())
    assert "In 2026 is 1 vergadering gehouden of gepland;" in planner.year_banner.text()
    assert "(en)" not in planner.year_banner.text()
    meeting_agenda.add_application_items(sqlite_ctx, mid, [_complete(sqlite_ctx, "22222222")])
    planner.reload()
    assert re.fullmatch(r"\d+ \(2 aanvragen\)", planner.model.index(0, 4).data())


@pytest.mark.parametrize(("n", "text"), [(0, "In 2027 zijn 0 vergaderingen"), (1, "In 2027 is 1 vergadering")])
def test_the_year_warning_follows_the_number(n, text):
    """Issue 14: no 'zijn 1 vergadering(en)'."""
    held = [(dt.date(2027, 3, 1), meeting_rules.MeetingStatus.PLANNED)] * n
    [warning] = meeting_rules.year_warnings(held, [2027])
    assert warning.startswith(text + " gehouden of gepland;")


def test_tallies_rules_and_sizes_use_one_form_per_number():
    """Issue 14: '1 onthouding' / '2 onthoudingen', '1 maand' / '2 maanden', '1 dag', '1 byte'."""
    def tally(f, a, o):
        return Tally(None, (), (), f, a, o, Outcome.POSITIVE)

    assert tally(3, 1, 1).summary == "3 voor, 1 tegen, 1 onthouding"
    assert tally(2, 1, 2).summary == "2 voor, 1 tegen, 2 onthoudingen"
    lines = dict(rule_lines(Rules(startup_max_age_months=1, conditional_months=2, badge_validity_months=1,
                                  reminder_months=2, review_package_days=1)))
    assert lines["Start-up: opgericht ten hoogste"] == "1 maand voor de aanvraag"
    assert lines["Looptijd voorwaardelijke erkenning"] == "2 maanden na het besluit"
    assert lines["Geldigheid van de SROI-badge"] == "1 maand"
    assert lines["Herinnering vooraf"] == "2 maanden"
    assert lines["Beoordelingspakket verloopt"] == "1 dag na de vergadering"
    assert (format_size(1), format_size(2)) == ("1 byte", "2 bytes")


def test_no_user_string_counts_with_parentheses(ui_strings):
    """Issue 14: no 'vergadering(en)', 'retour(en)', 'notitie(s)' in any user string."""
    assert [s for s in ui_strings if re.search(r"\w\((en|s|n)\)", s)] == []


# ---------------------------------------------------------------- terms, quotation marks, colloquial texts

#: texts the issue named (and others found while reading the UI strings) that must not come back
GONE = ["Uiterlijk binnen op", "Eén regel per regel", "kunnen op de agenda. Vink uit wat later moet",
        "die nog op een agenda moeten", "De wijzigingen vergeten", "Door, op", "binnen moet zijn",
        "ligt al achter ons", "wijzig het gewoon", "aan vervanging toe", "heeft geen zin", "ernaartoe",
        "kan niet meer van de agenda.", "agenda-pdf", "slepen kan ook", "kan ook: klik", "kan hem mailen",
        "Bewijsstuk (kenmerk)", "Voorw. tot", "in ontwikkeling", "Hier komen de", "Back-up", "briefhoofd",
        "definitief blijft", "dat houdt niet op"]


def test_the_colloquial_and_unclear_texts_are_gone(ui_strings):
    """Issue 14: none of the rewritten texts is left in the app's strings."""
    assert [(gone, s) for gone in GONE for s in ui_strings if gone in s] == []


def test_one_term_per_thing(ui_strings):
    """Issue 14: the SROI badge is the 'SROI-badge' (never a bare 'badge'), 'start-up' as the dictionary writes
    it, 'kenmerk' never for the evidence, 'keurmerk' only for a certificate."""
    bare_badge = [s for s in ui_strings if re.search(r"(?<!SROI-)\b[bB]adge\b", s)]
    assert bare_badge == []
    assert [s for s in ui_strings if re.search(r"\b[sS]tartup", re.sub(r"\{+\w*\}+", "", s))] == []
    assert [s for s in ui_strings if re.search(r"[bB]ewijs\w* \(kenmerk\)", s)] == []
    assert {s for s in ui_strings if "keurmerk" in s} == {"Een keurmerk of inschrijving voor een van de andere criteria."}


def test_end_dates_read_tot_en_met_or_t_m(ui_strings):
    """Issue 14: an end date is 'tot en met' in prose and 't/m' in a column; never a bare 'tot' before a date
    or as the last word of a label."""
    bare = [s for s in ui_strings
            if re.search(r"\b[tT]ot \{(d|day|date|end)\}", s) or re.search(r"\b(tot|Tot)$", s.replace("&", ""))]
    assert bare == []


def test_one_kind_of_quotation_marks(ui_strings):
    """Issue 14: quotations use ‘…’; no straight quotation marks (an apostrophe, as in zzp'er, stays)."""
    straight = [s for s in ui_strings if re.search(r"(?<![\w=])'[^'\n]+'(?!\w)", s)]
    assert straight == []
    assert [s for s in ui_strings if "“" in s or "”" in s] == []


def test_the_evidence_columns_name_the_number_and_the_end_date(qtbot):
    """Issue 14: the evidence table says 'Bewijsstuk (nummer)' and 'Geldig t/m'."""
    editor = EvidenceEditor()
    qtbot.addWidget(editor)
    heads = [editor.frame.layout().itemAtPosition(0, col).widget().text() for col in range(3)]
    assert heads == ["<b>Criterium</b>", "<b>Bewijsstuk (nummer)</b>", "<b>Geldig t/m</b>"]
    assert Criterion.STARTUP.label.startswith("Start-up of zzp'er") and Criterion.STARTUP.short_label == "Start-up"


# ---------------------------------------------------------------- the About box


def test_the_about_box_promises_what_the_app_has(qtbot, monkeypatch, sqlite_ctx):
    """Issue 14: each part the About box names is in the window: the pages Aanvragen, Vergaderingen and
    Register, the register's export, the decision letters; the licence is the project's."""
    shown = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: shown.append(text)))
    window = MainWindow(sqlite_ctx)
    qtbot.addWidget(window)
    window.show_about()
    [about] = shown
    pages = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    for promise, page in (("aanvragen", "Aanvragen"), ("vergaderingen", "Vergaderingen"), ("register", "Register")):
        assert promise in about and page in pages
    assert "export voor de SROI-pagina van KIP" in about and window.register_export_action.text() == "Register e&xporteren…"
    documents = MeetingDocumentsButton(lambda: sqlite_ctx, lambda: None)  # a meeting's documents: agenda,
    qtbot.addWidget(documents)  # minutes and the decision letters
    assert "agenda, notulen en besluiten, de besluitbrieven" in about
    assert [a.text() for a in (documents.agenda_action, documents.minutes_action, documents.letters_action)] == [
        "Agenda als PDF…", "Notulen als PDF…", "Besluitbrieven…"]
    licence = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"]
    assert f"Licentie: {licence}" in about
