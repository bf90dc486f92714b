"""Issue 15: the vooraf-check dialog driven through its widgets: the outcome follows the answers live, Opslaan records
the check, the checklist is previewed, the e-mail copied and saved, and "Aanvraag aanmaken" opens a new application
filled in from the check that is registered and linked on Opslaan; reachable from the File menu (Ctrl+Shift+K) and
from the applications page."""

from __future__ import annotations

import datetime as dt
import email.policy
from email.parser import BytesParser

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog

from commissie_app.domain.codes import Criterion, LegalForm
from commissie_app.services import applications, precheck
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.precheck_dialog import PrecheckDialog
from tests.ui.test_form_renderer import answer

pytestmark = pytest.mark.usefixtures("message_boxes")

NO = ("crit_code_so", "crit_se_nl", "crit_pso30", "crit_non_profit", "crit_bcorp")


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def dialog(qtbot, sqlite_ctx):
    d = PrecheckDialog(sqlite_ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def fill_startup(qtbot, d: PrecheckDialog, fresh: bool = True) -> None:
    d.organisation.lineEdit().setFocus()
    qtbot.keyClicks(d.organisation.lineEdit(), "Groene Start")
    d.legal_form.setCurrentIndex(d.legal_form.findData(LegalForm.EENMANSZAAK))
    qtbot.keyClicks(d.contact, "Lotte de Wit")
    qtbot.keyClicks(d.email, "lotte@example.nl")
    click(qtbot, d.next_button)
    if fresh:
        assert d.outcome_title.text() == "Verwachte uitkomst: nog niet alle vragen beantwoord"
    r = d.renderer
    answer(r, qtbot, "region_established", "ja")
    answer(r, qtbot, "region_municipality", "Velsen")
    for key in NO:
        answer(r, qtbot, key, "nee")
    answer(r, qtbot, "crit_startup", "ja")
    answer(r, qtbot, "startup_founded_on", "01-06-2025")
    answer(r, qtbot, "mission_primary", "ja")


def test_the_outcome_follows_the_answers_live(qtbot, dialog):
    """Issue 15: outside the region is refused as soon as it is answered; a startup sees the conditional outcome
    with its deadline; a criterion with evidence turns it into 'toegekend' and lists what to bring."""
    d = dialog
    click(qtbot, d.next_button)
    answer(d.renderer, qtbot, "region_established", "nee")
    assert d.outcome_title.text() == "Verwachte uitkomst: afgewezen"
    assert "niet gevestigd in de regio" in d.outcome_reason.text()
    click(qtbot, d.back_button)
    fill_startup(qtbot, d, fresh=False)
    assert d.outcome_title.text() == "Verwachte uitkomst: voorwaardelijk toegekend"
    assert "tot 1 juni 2027" in d.outcome_reason.text()
    answer(d.renderer, qtbot, "crit_pso30", "ja")
    assert d.outcome_title.text() == "Verwachte uitkomst: toegekend"
    click(qtbot, d.next_button)
    assert d.step_label.text() == "Stap 3 van 3: Uitkomst"
    assert "PSO 30+ gecertificeerd: Bewijsstuk PSO 30+ certificaat." in d.details.text()
    assert "Aanvragen als start-up kan tot en met 31 mei 2027." in d.details.text()


def test_save_preview_email_and_application_from_the_check(qtbot, dialog, sqlite_ctx, tmp_path, monkeypatch):
    """Issue 15: Opslaan records the check with its answers; the checklist PDF is previewed; the e-mail goes to the
    clipboard and into an .eml file; Aanvraag aanmaken opens the editor filled in from the check, and its Opslaan
    registers the application linked to the check."""
    d = dialog
    fill_startup(qtbot, d)
    click(qtbot, d.next_button)
    click(qtbot, d.save_button)
    (view,) = precheck.list_prechecks(sqlite_ctx)
    assert view.summary.organisation_name == "Groene Start" and view.summary.result.deadline == dt.date(2027, 6, 1)
    assert view.answers["crit_startup"] == "ja" and view.summary.legal_form is LegalForm.EENMANSZAAK
    assert "opgeslagen als gegeven advies" in d.banner.text()

    click(qtbot, d.preview_button)
    assert len(d.preview_dialog.pages) == 1 and d.preview_dialog.isVisible()
    d.preview_dialog.close()
    click(qtbot, d.copy_button)
    assert QGuiApplication.clipboard().text().startswith("Vooraf-check erkenning sociaal ondernemer: Groene Start")
    target = tmp_path / "mail.eml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "E-mailbericht (*.eml)"))
    click(qtbot, d.save_mail_button)
    message = BytesParser(policy=email.policy.default).parsebytes(target.read_bytes())
    assert message["To"] == "Lotte de Wit <lotte@example.nl>"
    assert len(precheck.list_prechecks(sqlite_ctx)) == 1  # the same check, recorded once

    click(qtbot, d.application_button)
    editor = d.editor
    assert editor.org_form.name.text() == "Groene Start" and editor.org_form.contact_person.text() == "Lotte de Wit"
    assert editor.org_form.municipality.currentText() == "Velsen"
    assert [e.criterion for e in editor.evidence.collect()[0]] == [Criterion.STARTUP]
    for field, text in (("kvk", "12345678"), ("street", "Dorpsstraat 1"), ("postcode", "1971AA"), ("place", "IJmuiden")):
        qtbot.keyClicks(getattr(editor.org_form, field), text)
    with qtbot.waitSignal(d.sig_application_created) as created:
        assert editor.save()
    detail = applications.get_application(sqlite_ctx, created.args[0])
    assert detail.organisation.name == "Groene Start" and detail.organisation.founded_on == dt.date(2025, 6, 1)
    assert precheck.get_precheck(sqlite_ctx, view.id).application_id == detail.id
    assert not d.application_button.isEnabled()  # one application per check


def test_the_check_is_on_the_file_menu_and_the_applications_page(qtbot, sqlite_ctx):
    """Issue 15: Bestand › Vooraf-check… (Ctrl+Shift+K) and the button beside 'Nieuwe aanvraag' open the check."""
    window = MainWindow(sqlite_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.precheck_action.shortcut() == QKeySequence("Ctrl+Shift+K")
    assert window.precheck_action in window.menuBar().actions()[0].menu().actions()
    window.precheck_action.trigger()
    assert isinstance(window.precheck_dialog, PrecheckDialog) and window.precheck_dialog.isVisible()
    window.precheck_dialog.close()
    click(qtbot, window.applications.precheck_button)
    assert window.precheck_dialog.isVisible()
    window.precheck_dialog.close()


def test_a_known_organisation_is_recognised_by_its_name(qtbot, sqlite_ctx):
    """Issue 15: typing (or picking) the name of an organisation the database knows records the check for it, and
    the application made from it uses the organisation's stored details."""
    from tests.factories import app_data, org_data

    app_id = applications.register_application(sqlite_ctx, org_data(name="Kringloop Noord", kvk="87654321"), app_data())
    known = applications.get_application(sqlite_ctx, app_id).organisation_id
    d = PrecheckDialog(sqlite_ctx)
    qtbot.addWidget(d)
    d.show()
    d.organisation.lineEdit().setFocus()
    qtbot.keyClicks(d.organisation.lineEdit(), "kringloop noord")
    click(qtbot, d.next_button)
    answer(d.renderer, qtbot, "region_established", "nee")
    click(qtbot, d.next_button)
    click(qtbot, d.save_button)
    (view,) = precheck.list_prechecks(sqlite_ctx, organisation_id=known)
    assert view.summary.result.outcome.label == "afgewezen" and view.summary.organisation_name == "Kringloop Noord"
    assert not d.application_button.isEnabled()  # a refusal leads to no application
