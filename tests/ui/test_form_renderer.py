"""The assessment form rendered from its definition and filled through its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QRadioButton

from commissie_app.domain.codes import Criterion
from commissie_app.domain.form_loader import shipped_form_paths
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.services import assessments as svc
from commissie_app.services.applications import register_application
from commissie_app.services.attachments import add_attachment
from commissie_app.ui.assessment_dialog import AssessmentDialog
from tests.factories import app_data, org_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app_id(sqlite_ctx):
    return register_application(sqlite_ctx, org_data(), app_data(Criterion.PSO30))


def answer(renderer, qtbot, key, value):
    """Answer one question the way a user does: click the radio/check box, pick in the list, type."""
    row = renderer.rows[key]
    assert row.isVisible(), key
    editor = row.editor
    w = editor.focus_widget
    if isinstance(w, QRadioButton):
        button = next(b for b in editor.buttons if b.property("value") == value)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    elif isinstance(w, QCheckBox):
        for b in editor.buttons:
            if (b.property("value") in value) != b.isChecked():
                b.setFocus()
                qtbot.keyClick(b, Qt.Key.Key_Space)
    elif isinstance(w, QComboBox):
        w.setFocus()
        target = w.findData(value)
        assert target > 0, (key, value)
        while w.currentIndex() != target:
            qtbot.keyClick(w, Qt.Key.Key_Down if w.currentIndex() < target else Qt.Key.Key_Up)
    elif isinstance(w, (QLineEdit, QPlainTextEdit)):
        w.setFocus()
        qtbot.keyClicks(w, value)
    else:  # pragma: no cover
        raise AssertionError(type(w))


BASE = [("region_established", "ja"), ("region_municipality", "Haarlem"), ("crit_code_so", "nee"),
        ("crit_se_nl", "nee")]
CASES = {
    "toekennen": (BASE + [("crit_pso30", "ja"), ("crit_pso30_evidence", "ATT"), ("crit_non_profit", "nee"),
                          ("crit_bcorp", "nee"), ("crit_startup", "nee")], AdviceOutcome.GRANT),
    "voorwaardelijk toekennen": (BASE + [("crit_pso30", "nee"), ("crit_non_profit", "nee"), ("crit_bcorp", "nee"),
                                         ("crit_startup", "ja"), ("startup_founded_on", "01-03-2026"),
                                         ("crit_startup_evidence", "ATT")], AdviceOutcome.CONDITIONAL_GRANT),
    "afwijzen": ([("region_established", "nee"), ("crit_code_so", "nee"), ("crit_se_nl", "nee"),
                  ("crit_pso30", "nee"), ("crit_non_profit", "nee"), ("crit_bcorp", "nee"),
                  ("crit_startup", "nee")], AdviceOutcome.REJECT),
    "aanhouden": (BASE + [("crit_pso30", "ja"), ("crit_non_profit", "nee"), ("crit_bcorp", "nee"),
                          ("crit_startup", "nee")], AdviceOutcome.DEFER),
}
TAIL = [("mission_primary", "ja"), ("impact_domains", ["work", "care"]),
        ("impact_evidence", "Acht leerwerkplekken per jaar."), ("impact_score", 3),
        ("advice_motivation", "Zie de antwoorden.")]


@pytest.mark.parametrize("case", list(CASES))
def test_fill_shipped_form_for_each_advice(qtbot, sqlite_ctx, app_id, message_boxes, case):
    att = str(add_attachment(sqlite_ctx, app_id, "bewijs.pdf", PDF, Criterion.PSO30))
    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.renderer
    assert not r.rows["region_municipality"].isVisible()  # shown only after "ja"
    steps, outcome = CASES[case]
    member_advice = {"toekennen": "toekennen", "voorwaardelijk toekennen": "voorwaardelijk_toekennen",
                     "afwijzen": "afwijzen", "aanhouden": "aanhouden"}[case]
    for key, value in steps + TAIL + [("member_advice", member_advice)]:
        answer(r, qtbot, key, att if value == "ATT" else value)
    if case == "voorwaardelijk toekennen":
        answer(r, qtbot, "advice_conditions", "Binnen de aanloopperiode een ander criterium halen.")
    assert r.advice.outcome is outcome
    assert outcome.label in r.advice_title.text()
    qtbot.mouseClick(dlg.final_button, Qt.MouseButton.LeftButton)
    assert message_boxes.shown == []
    stored = svc.get_assessment(sqlite_ctx, dlg.assessment.id)
    assert stored.state == "final" and stored.advice is outcome
    assert stored.answers["region_established"] == dict(steps)["region_established"]
    assert stored.answers["impact_domains"] == ["work", "care"]
    assert stored.answers["impact_score"] == 3
    if case == "voorwaardelijk toekennen":
        assert stored.answers["startup_founded_on"] == "2026-03-01"
        assert "2028" in stored.advice_reason  # deadline: founding date + grace period
    assert not dlg.final_button.isEnabled()


def test_conditional_questions_and_inline_messages(qtbot, sqlite_ctx, app_id, message_boxes):
    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    r = dlg.renderer
    answer(r, qtbot, "crit_startup", "ja")
    assert r.rows["startup_founded_on"].isVisible()
    answer(r, qtbot, "startup_founded_on", "31-02-2026")
    assert "geldige datum" in r.rows["startup_founded_on"].error_label.text()
    answer(r, qtbot, "crit_startup", "nee")
    assert not r.rows["startup_founded_on"].isVisible()
    # making it final with missing answers marks them inline and stores nothing final
    qtbot.mouseClick(dlg.final_button, Qt.MouseButton.LeftButton)
    assert "verplicht" in r.rows["crit_code_so"].error_label.text()
    assert message_boxes.texts("warning")
    assert svc.get_assessment(sqlite_ctx, dlg.assessment.id).state == "draft"


def test_draft_autosaves_and_reopens(qtbot, sqlite_ctx, app_id, message_boxes):
    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    answer(dlg.renderer, qtbot, "region_established", "nee")
    assert dlg.timer.isActive()
    qtbot.waitUntil(lambda: svc.get_assessment(sqlite_ctx, dlg.assessment.id).answers != {}, timeout=5000)
    answer(dlg.renderer, qtbot, "crit_bcorp", "onbekend")
    dlg.close()  # saves on close without waiting for the timer
    stored = svc.get_assessment(sqlite_ctx, dlg.assessment.id)
    assert stored.answers == {"region_established": "nee", "crit_bcorp": "onbekend"}
    assert stored.advice is AdviceOutcome.REJECT
    again = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(again)
    assert again.renderer.answers() == {"region_established": "nee", "crit_bcorp": "onbekend"}


def test_old_assessment_renders_with_old_version_and_moves(qtbot, sqlite_ctx, app_id, tmp_path, message_boxes):
    a = svc.get_or_create_assessment(sqlite_ctx, app_id)
    svc.save_answers(sqlite_ctx, a.id, {"mission_primary": "ja", "impact_score": 2}, a.version)
    text = shipped_form_paths()[0].read_text(encoding="utf-8").replace("version = 1", "version = 2", 1)
    text = text.replace('key = "impact_score"', 'key = "impact_rating"')
    path = tmp_path / "v2.toml"
    path.write_text(text, encoding="utf-8")
    svc.adopt_form(sqlite_ctx, path)

    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "versie 1" in dlg.header.text()
    assert "impact_score" in dlg.renderer.rows and "impact_rating" not in dlg.renderer.rows
    assert "versie 2" in dlg.banner.text()
    qtbot.mouseClick(dlg.banner.button, Qt.MouseButton.LeftButton)
    question = message_boxes.texts("question")[0]
    assert "Hoe overtuigend is de onderbouwing van de impact?" in question
    assert "versie 2" in dlg.header.text()
    assert "impact_rating" in dlg.renderer.rows
    assert svc.get_assessment(sqlite_ctx, a.id).answers == {"mission_primary": "ja"}



def test_compare_shows_members_side_by_side_with_disagreements(qtbot, sqlite_ctx, app_id):
    from commissie_app.domain.codes import Role
    from commissie_app.ui.assessment_compare import AssessmentCompare
    from tests.conftest import make_ctx

    for name, region in (("Mo Lid", "nee"), ("Ria Lid", "ja")):
        member = make_ctx(sqlite_ctx.db, name, Role.MEMBER)
        a = svc.get_or_create_assessment(member, app_id)
        svc.save_answers(member, a.id, {"region_established": region, "crit_bcorp": "nee"}, a.version)
    view = AssessmentCompare(sqlite_ctx, app_id)
    qtbot.addWidget(view)
    t = view.table  # column 0 holds the question (issue 13: wrapped, not a wide row header)
    assert t.columnCount() == 3
    assert t.horizontalHeaderItem(1).text().startswith("Mo Lid")
    assert view.disagreements == ["region_established"]
    assert t.item(0, 0).text().startswith("Is de organisatie gevestigd")
    assert (t.item(0, 1).text(), t.item(0, 2).text()) == ("nee", "ja")
    assert t.item(0, 1).background().color().name() == "#fff0c2"
    bcorp = [r.key for r in view.comparison.rows].index("crit_bcorp")
    assert t.item(bcorp, 1).background().style() == Qt.BrushStyle.NoBrush
    advice_row = t.rowCount() - 1
    assert t.item(advice_row, 1).text() == "afwijzen"
    assert "2 beoordelingen; 1 vraag met" in view.summary.text()


def test_form_is_usable_with_the_keyboard(qtbot, sqlite_ctx, app_id, message_boxes):
    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    r = dlg.renderer
    first = r.rows["region_established"].editor.buttons[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Space)  # "ja"
    assert r.answers()["region_established"] == "ja"
    assert r.is_shown("region_municipality")
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    combo = r.rows["region_municipality"].editor.combo
    assert combo.hasFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert r.answers()["region_municipality"] == "Haarlem"
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    code_so = r.rows["crit_code_so"].editor.buttons
    assert code_so[0].hasFocus()
    qtbot.keyClick(code_so[0], Qt.Key.Key_Right)  # to the next radio of crit_code_so, "nee", and pick it
    assert code_so[1].hasFocus()
    qtbot.keyClick(code_so[1], Qt.Key.Key_Space)
    assert r.answers()["crit_code_so"] == "nee"



def test_pdf_button_saves_the_assessment(qtbot, sqlite_ctx, app_id, message_boxes, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "beoordeling.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    dlg = AssessmentDialog(sqlite_ctx, app_id)
    qtbot.addWidget(dlg)
    dlg.show()
    answer(dlg.renderer, qtbot, "region_established", "nee")
    qtbot.mouseClick(dlg.pdf_button, Qt.MouseButton.LeftButton)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert svc.get_assessment(sqlite_ctx, dlg.assessment.id).answers == {"region_established": "nee"}


def test_editor_opens_assessments_and_decision_dialog_shows_consolidated_advice(
        qtbot, sqlite_ctx, app_id, message_boxes):
    import datetime as dt

    from commissie_app.domain.codes import Status
    from commissie_app.services import applications, meeting_agenda, meeting_detail, meeting_planning
    from commissie_app.ui.application_editor import ApplicationEditorDialog
    from commissie_app.ui.assessment_compare import AssessmentCompare
    from commissie_app.ui.meeting_dialogs import DecisionDialog

    editor = ApplicationEditorDialog(sqlite_ctx, app_id)
    qtbot.addWidget(editor)
    assert editor.consolidated_button.isEnabled()  # the secretary keeps the commission's assessment
    qtbot.mouseClick(editor.consolidated_button, Qt.MouseButton.LeftButton)
    dlg = editor.assessment_dialog
    qtbot.addWidget(dlg)
    answer(dlg.renderer, qtbot, "region_established", "nee")
    assert dlg.renderer.advice.outcome is AdviceOutcome.REJECT
    dlg.close()  # autosaves the draft
    qtbot.mouseClick(editor.compare_button, Qt.MouseButton.LeftButton)
    assert editor.comparison_dialog.findChild(AssessmentCompare) is not None

    applications.change_status(sqlite_ctx, app_id, Status.IN_PROGRESS)
    applications.change_status(sqlite_ctx, app_id, Status.COMPLETE)
    mid = meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis")
    meeting_agenda.add_application_item(sqlite_ctx, mid, app_id)
    detail = meeting_detail.get_meeting(sqlite_ctx, mid)
    item = next(i for i in detail.items if i.application_id == app_id)
    decision = DecisionDialog(sqlite_ctx, item, dt.date(2026, 12, 1), detail.rules)
    qtbot.addWidget(decision)
    text = decision.findChild(QLabel, "consolidatedText").text()
    assert "Advies: afwijzen" in text and "concept" in text
