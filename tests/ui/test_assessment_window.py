"""Issue 13: the assessment window reached from the list and the editor's first tab, naming the organisation,
with evidence and attachments beside the form, a progress count, no advice before the answers settle it,
refused for decided applications, and fitting a 1366x768 laptop at 100 % and 150 %."""

from __future__ import annotations

import io
import tempfile

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.domain.form_loader import load_form, shipped_form_paths
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.rules import Rules
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.voting import DecisionType
from commissie_app.services import assessments as svc
from commissie_app.services.application_rows import list_rows
from commissie_app.services.applications import register_application
from commissie_app.services.attachments import add_attachment
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.application_editor import TAB_ORGANISATION, ApplicationEditorDialog
from commissie_app.ui.assessment_dialog import AssessmentDialog
from commissie_app.ui.form_renderer import settled_advice
from commissie_app.ui.main_window import MainWindow
from tests.conftest import TODAY, make_ctx
from tests.factories import app_data, org_data
from tests.test_assessments_service import _decide
from tests.ui.test_form_renderer import answer

pytestmark = pytest.mark.usefixtures("message_boxes")

ORG = "Kringloop De Tweede Ronde"
SIZES = ((1366, 768), (911, 512))  # a 1366x768 laptop at 100 % and, in logical pixels, at 150 %


def certificate_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 760, "Certificaat PSO 30+")
    c.save()
    return buf.getvalue()


@pytest.fixture
def app_id(sqlite_ctx):
    evidence = (EvidenceData(Criterion.PSO30, reference="PSO-2026-0417"),)
    app_id = register_application(sqlite_ctx, org_data(name=ORG), app_data(Criterion.PSO30, evidence=evidence))
    add_attachment(sqlite_ctx, app_id, "pso-certificaat.pdf", certificate_pdf(), Criterion.PSO30)
    return app_id


@pytest.fixture
def member(sqlite_ctx):
    return make_ctx(sqlite_ctx.db, "Lars Lid", Role.MEMBER)


def opened(qtbot, dialog: AssessmentDialog) -> AssessmentDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_window_names_the_organisation_and_counts_the_answers(qtbot, member, app_id):
    """Issue 13: the title and header name the organisation and the application; the count of answered
    questions follows the answers (a question that appears counts too)."""
    dlg = opened(qtbot, AssessmentDialog(member, app_id))
    assert dlg.windowTitle() == f"Mijn beoordeling – {ORG} · KvK 01234567 · aanvraag van 1 november 2026"
    assert dlg.title.text() == ORG
    assert "aanvraag van 1 november 2026" in dlg.header.text()
    progress = dlg.renderer.progress_label
    assert progress.isVisible() and dlg.isAncestorOf(progress)
    assert progress.text() == "0 van 10 vragen beantwoord"
    answer(dlg.renderer, qtbot, "region_established", "ja")  # the municipality question appears
    assert progress.text() == "1 van 11 vragen beantwoord"
    answer(dlg.renderer, qtbot, "region_municipality", "Haarlem")
    assert progress.text() == "2 van 11 vragen beantwoord"
    assert progress.toolTip() == "Nog 9 verplichte vragen open."


def test_no_advice_before_the_answers_settle_it(qtbot, member, app_id):
    """Issue 13: an empty form shows no advice (a neutral 'nog geen advies', not a red 'afwijzen'); answers that
    leave the outcome open show none either; the rules' advice appears as soon as the answers decide it."""
    dlg = opened(qtbot, AssessmentDialog(member, app_id))
    r = dlg.renderer
    shown = r.advice_title.text() + r.advice_reason.text()
    assert r.advice_title.text() == "Nog geen voorgesteld advies"
    assert "afwijzen" not in shown and "aanhouden" not in shown and "toekennen" not in shown
    assert "#fdecea" not in r.advice_frame.styleSheet()  # not the red of a rejection
    for key, value in (("region_established", "ja"), ("crit_code_so", "nee"), ("crit_se_nl", "nee")):
        answer(r, qtbot, key, value)
        assert r.advice_title.text() == "Nog geen voorgesteld advies", key  # criteria still open
    answer(r, qtbot, "crit_pso30", "ja")
    answer(r, qtbot, "crit_pso30_evidence", r.rows["crit_pso30_evidence"].editor.combo.itemData(1))
    assert r.advice_title.text() == "Voorgesteld advies: toekennen"  # one criterion with proof settles it
    answer(r, qtbot, "region_established", "nee")
    assert r.advice_title.text() == "Voorgesteld advies: afwijzen"
    assert "niet gevestigd in de regio" in r.advice_reason.text()


def test_settled_advice_waits_for_the_questions_a_rule_depends_on():
    """Issue 13: the otherwise-rule ('geen criterium: afwijzen') only once every criterion is answered; a missing
    proof of evidence gives 'aanhouden' once no open criterion could still grant."""
    form = load_form(shipped_form_paths()[0])
    rules = Rules()
    none = {"region_established": "ja", "region_municipality": "Haarlem", "crit_code_so": "nee", "crit_se_nl": "nee",
            "crit_pso30": "nee", "crit_non_profit": "nee", "crit_bcorp": "nee"}
    assert settled_advice(form, {}, TODAY, rules) is None
    assert settled_advice(form, none, TODAY, rules) is None  # the startup criterion is still open
    assert settled_advice(form, dict(none, crit_startup="nee"), TODAY, rules).outcome is AdviceOutcome.REJECT
    no_proof = dict(none, crit_pso30="ja")  # whatever the startup answer will be: 'aanhouden'
    assert settled_advice(form, no_proof, TODAY, rules).outcome is AdviceOutcome.DEFER
    open_non_profit = {k: v for k, v in no_proof.items() if k != "crit_non_profit"}
    assert settled_advice(form, open_non_profit, TODAY, rules) is None  # non-profit with proof would grant
    assert settled_advice(form, {"region_established": "nee"}, TODAY, rules).outcome is AdviceOutcome.REJECT


def test_evidence_and_attachments_are_beside_the_form_without_a_file(qtbot, member, app_id, monkeypatch):
    """Issue 13: left of the form the application's evidence per criterion, and its attachments previewed in the
    app from memory (no temporary file is made)."""
    def no_file(*args, **kwargs):
        raise AssertionError("the preview wrote a temporary file")

    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, no_file)
    dlg = opened(qtbot, AssessmentDialog(member, app_id))
    assert dlg.splitter.orientation() is Qt.Orientation.Horizontal
    assert dlg.splitter.widget(0).isAncestorOf(dlg.evidence_view) and dlg.splitter.widget(1).isAncestorOf(dlg.scroll)
    assert dlg.evidence_view.isVisible()
    text = dlg.evidence_view.toPlainText()
    assert "Bewijs per criterium" in text and "PSO-2026-0417" in text and ORG in text
    assert dlg.evidence_tabs.tabText(1) == "Bijlagen (1)"
    dlg.evidence_tabs.setCurrentIndex(1)
    preview = dlg.attachment_preview
    assert preview.list.count() == 1 and preview.list.item(0).text().startswith("pso-certificaat.pdf")
    assert len(preview.pages) == 1 and not preview.pages[0].pixmap().isNull()


def test_opened_from_the_list_with_the_button_the_context_menu_and_ctrl_b(qtbot, sqlite_ctx):
    """Issue 13: a member assesses the chosen application from the list (Beoordelen…, in the row's context
    menu and Ctrl+B); for a decided application the entry is off, and its tool tip says why."""
    create_demo_data(sqlite_ctx)
    member = make_ctx(sqlite_ctx.db, "Lars Lid", Role.MEMBER)
    rows = list_rows(member)
    open_row = next(r for r in rows if r.status is Status.COMPLETE)
    decided_row = next(r for r in rows if r.status is Status.DECIDED)
    w = MainWindow(member)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    page = w.applications
    assert page.assess_action in page.table.actions()
    assert page.table.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu

    assert page.select_id(decided_row.application_id)
    assert not page.assess_button.isEnabled() and not page.assess_action.isEnabled()
    assert "al besloten" in page.assess_button.toolTip()

    assert page.select_id(open_row.application_id)
    assert page.assess_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    (dlg,) = w.findChildren(AssessmentDialog)
    assert dlg.application_id == open_row.application_id and open_row.organisation in dlg.windowTitle()
    dlg.close()
    qtbot.mouseClick(page.assess_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    again = [d for d in w.findChildren(AssessmentDialog) if d.isVisible()]
    assert len(again) == 1 and again[0].assessment.id == dlg.assessment.id  # the same draft, opened anew

    secretary = MainWindow(make_ctx(sqlite_ctx.db, "Olga Waarnemer", Role.OBSERVER))
    qtbot.addWidget(secretary)
    secretary.applications.select_id(open_row.application_id)
    assert not secretary.applications.assess_button.isEnabled()
    assert secretary.applications.assess_button.toolTip() == "Als waarnemer beoordeelt u geen aanvragen."


def test_opened_from_the_editors_first_tab(qtbot, member, app_id):
    """Issue 13: the editor opens on its first tab, which has Beoordelen…; after closing the assessment it says
    the user's assessment is a draft."""
    editor = ApplicationEditorDialog(member, app_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.tabs.currentIndex() == TAB_ORGANISATION
    assert editor.tabs.widget(TAB_ORGANISATION).isAncestorOf(editor.assess_button)
    assert editor.assess_button.isVisible() and editor.assess_button.isEnabled()
    assert editor.assessment_state.text() == "U heeft deze aanvraag nog niet beoordeeld."
    qtbot.mouseClick(editor.assess_button, Qt.MouseButton.LeftButton)
    dlg = editor.assessment_dialog
    assert dlg.isVisible() and ORG in dlg.windowTitle()
    answer(dlg.renderer, qtbot, "region_established", "ja")
    dlg.close()
    assert editor.assessment_state.text() == "Uw beoordeling: concept."
    assert editor.assess_button.text() == "Mijn beoordeling…"


def test_a_decided_application_is_not_assessed_but_an_assessment_made_before_stays_readable(
        qtbot, sqlite_ctx, member, app_id):
    """Issue 13: after the decision the editor's Beoordelen… is off for a member without an assessment (tool tip:
    why); a member with one opens it read-only, the window saying why, and nothing is saved."""
    mine = svc.get_or_create_assessment(member, app_id)
    svc.save_answers(member, mine.id, {"region_established": "ja"}, mine.version)
    _decide(sqlite_ctx, app_id, DecisionType.REJECTED)

    other = make_ctx(sqlite_ctx.db, "Ria Lid", Role.MEMBER)
    editor = ApplicationEditorDialog(other, app_id)
    qtbot.addWidget(editor)
    assert not editor.assess_button.isEnabled()
    assert "al besloten" in editor.assess_button.toolTip()

    editor = ApplicationEditorDialog(member, app_id)
    qtbot.addWidget(editor)
    assert editor.assess_button.isEnabled() and editor.assess_button.text() == "Mijn beoordeling…"
    qtbot.mouseClick(editor.assess_button, Qt.MouseButton.LeftButton)
    dlg = editor.assessment_dialog
    assert "al besloten" in dlg.banner.text()
    assert not dlg.final_button.isEnabled() and "al besloten" in dlg.final_button.toolTip()
    region = dlg.renderer.rows["region_established"].editor
    assert not any(b.isEnabled() for b in region.buttons)
    assert dlg.renderer.answers() == {"region_established": "ja"}
    dlg.close()
    assert svc.get_assessment(sqlite_ctx, mine.id).version == mine.version + 1  # not saved again


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def test_the_window_fits_a_laptop_at_100_and_150_percent(qtbot, member, app_id):
    """Issue 13: the assessment window never opens larger than the screen, its minimum size fits 1366x768 and
    911x512 (150 %), and at both sizes the buttons, the form, the evidence and the advice are inside it."""
    dlg = opened(qtbot, AssessmentDialog(member, app_id))
    screen = dlg.screen().availableGeometry().size()
    assert dlg.width() <= screen.width() and dlg.height() <= screen.height()
    for width, height in SIZES:
        hint = dlg.minimumSizeHint()
        assert hint.width() <= width and hint.height() <= height, f"needs {hint} on a {width}x{height} screen"
        dlg.resize(width, height)
        qtbot.waitUntil(lambda: dlg.size().width() == width and dlg.size().height() == height)
        QApplication.processEvents()
        for w in (dlg.pdf_button, dlg.final_button, dlg.scroll, dlg.evidence_view, dlg.renderer.advice_frame,
                  dlg.renderer.progress_label, dlg.title):
            assert dlg.rect().contains(rect_in(w, dlg)), f"{w.objectName() or type(w).__name__} outside {width}x{height}"
            assert w.width() >= min(w.minimumSizeHint().width(), 200)
        assert dlg.scroll.viewport().height() >= 100  # room to answer


def test_the_commissions_assessment_is_not_started_after_the_decision(qtbot, sqlite_ctx, app_id):
    """Issue 13: the secretary's 'Beoordeling van de commissie…' is off for a decided application without one,
    with the reason as tool tip."""
    _decide(sqlite_ctx, app_id, DecisionType.REJECTED)
    editor = ApplicationEditorDialog(sqlite_ctx, app_id)
    qtbot.addWidget(editor)
    assert not editor.consolidated_button.isEnabled()
    assert "al besloten" in editor.consolidated_button.toolTip()
