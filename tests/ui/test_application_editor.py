"""The application editor dialog, driven with real key clicks and mouse clicks on SQLite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QDropEvent, QImage
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox, QWidget

from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality, Status
from commissie_app.domain.errors import StaleEditError
from commissie_app.domain.validation import check_kvk
from commissie_app.services import applications as apps
from commissie_app.services import attachments
from commissie_app.ui.application_editor import (
    TAB_APPLICATION,
    TAB_ATTACHMENTS,
    TAB_ORGANISATION,
    ApplicationEditorDialog,
)
from tests.factories import app_data, org_data


@pytest.fixture
def open_editor(qtbot, sqlite_ctx, answers):
    def make(app_id=None) -> ApplicationEditorDialog:
        dlg = ApplicationEditorDialog(sqlite_ctx, app_id)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        activate(qtbot, dlg)
        return dlg

    return make


@pytest.fixture
def registered(sqlite_ctx):
    return apps.register_application(sqlite_ctx, org_data(), app_data(Criterion.PSO30, Criterion.SE_NL))


pytestmark = pytest.mark.usefixtures("answers")  # the question box, from tests/ui/conftest.py


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """No modal message box may block a test; an unexpected-error box fails it."""
    shown: list[tuple[str, str]] = []

    def warning(parent, title, text, *a, **k):
        shown.append((title, text))

    def critical(parent, title, text, *a, **k):
        raise AssertionError(f"unexpected error box: {text}")

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    return shown


def activate(qtbot, dlg: QWidget) -> None:
    """Focus changes (leaving a field) and shortcuts need the window to be the active one."""
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=2000)


def click_tab(qtbot, dlg: ApplicationEditorDialog, index: int) -> None:
    bar = dlg.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dlg.tabs.currentIndex() == index


def tick(qtbot, box: QCheckBox) -> None:
    """Click a check box on its indicator (the widget may be wider than its text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def retype(qtbot, widget: QWidget, text: str) -> None:
    """Select everything in a field and type over it, as a user would."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def press_save(qtbot, dlg: ApplicationEditorDialog) -> None:
    activate(qtbot, dlg)
    qtbot.keyClick(dlg.focusWidget() or dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def fill_new_application(qtbot, dlg: ApplicationEditorDialog, kvk: str = "12345678") -> None:
    f = dlg.org_form
    qtbot.keyClicks(f.name, "Fietsatelier  Proef")
    qtbot.keyClicks(f.kvk, kvk)
    qtbot.keyClicks(f.legal_form, "stichting")
    qtbot.keyClicks(f.municipality, "Heemstede")
    qtbot.keyClicks(f.street, "Binnenweg 1")
    f.postcode.setFocus()
    qtbot.keyClicks(f.postcode, "2101ab")
    qtbot.keyClick(f.postcode, Qt.Key.Key_Tab)
    qtbot.keyClicks(f.place, "Heemstede")
    qtbot.keyClicks(f.email, "info@fietsatelier.example.nl")
    qtbot.keyClicks(f.founded_on, "01-03-2015")
    qtbot.keyClicks(f.mission, "Fietsen repareren met mensen met afstand tot werk.")
    tick(qtbot, f.domain_boxes[ImpactDomain.WORK])
    click_tab(qtbot, dlg, TAB_APPLICATION)
    row = dlg.evidence.rows[Criterion.PSO30]
    tick(qtbot, row.check)
    qtbot.keyClicks(row.reference, "PSO-2026-0042")
    qtbot.keyClicks(row.valid_until, "31-12-2027")
    qtbot.keyClicks(dlg.notes, "Aangemeld via KIP.")


def test_registering_a_new_application_through_the_widgets_stores_it(qtbot, open_editor, sqlite_ctx):
    dlg = open_editor()
    assert not dlg.attachments.add_button.isEnabled()  # attachments only after the first save
    fill_new_application(qtbot, dlg)
    assert dlg.org_form.postcode.text() == "2101 AB"  # normalised when the field was left
    assert dlg.isWindowModified()

    with qtbot.waitSignal(dlg.sig_saved, timeout=2000) as saved:
        press_save(qtbot, dlg)

    rows = apps.list_rows(sqlite_ctx)
    assert [r.application_id for r in rows] == [saved.args[0]]
    detail = apps.get_application(sqlite_ctx, saved.args[0])
    org = detail.organisation
    assert (org.name, org.kvk, org.legal_form, org.municipality) == (
        "Fietsatelier Proef", "12345678", LegalForm.STICHTING, Municipality.HEEMSTEDE)
    assert (org.postcode, org.founded_on, org.impact_domains) == ("2101 AB", dt.date(2015, 3, 1), (ImpactDomain.WORK,))
    assert detail.application.evidence[0].criterion is Criterion.PSO30
    assert detail.application.evidence[0].reference == "PSO-2026-0042"
    assert detail.application.evidence[0].valid_until == dt.date(2027, 12, 31)
    assert detail.application.received_on == sqlite_ctx.today()
    assert detail.application.notes == "Aangemeld via KIP."
    assert detail.status is Status.RECEIVED
    # The dialog now shows the stored application and allows attachments.
    assert dlg.app_id == saved.args[0]
    assert dlg.title.text() == "Fietsatelier Proef"
    assert dlg.status_chip.text() == "ontvangen"
    assert not dlg.isWindowModified()
    assert dlg.attachments.add_button.isEnabled()
    assert dlg.isVisible()


def test_a_bad_kvk_is_refused_with_its_message_and_the_field_is_marked(qtbot, open_editor, sqlite_ctx):
    dlg = open_editor()
    fill_new_application(qtbot, dlg, kvk="1234abc")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    assert apps.list_rows(sqlite_ctx) == []
    kvk = dlg.org_form.kvk
    assert kvk.property("error") is True
    assert dlg.org_form.error_of("kvk") == check_kvk("1234abc")
    assert dlg.org_form.boxes["kvk"].error_label.isVisible()
    assert kvk.text() == "1234abc"  # the input is kept
    assert dlg.tabs.currentIndex() == TAB_ORGANISATION  # taken to the field in error
    assert kvk.hasFocus()
    assert "rood gemarkeerde" in dlg.banner.text()
    assert dlg.org_form.boxes["name"].error() == ""  # only the wrong field is marked

    retype(qtbot, kvk, "12345678")  # the mark goes as soon as the value is right
    assert kvk.property("error") is False
    assert dlg.org_form.error_of("kvk") == ""
    with qtbot.waitSignal(dlg.sig_saved, timeout=2000):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert [r.kvk for r in apps.list_rows(sqlite_ctx)] == ["12345678"]


def test_fields_are_checked_when_the_user_leaves_them(qtbot, open_editor, sqlite_ctx):
    dlg = open_editor()
    f = dlg.org_form
    f.email.setFocus()
    qtbot.keyClicks(f.email, "info@")
    qtbot.keyClick(f.email, Qt.Key.Key_Tab)
    assert "naam@voorbeeld.nl" in f.error_of("email")
    assert f.email.property("error") is True

    f.founded_on.setFocus()
    qtbot.keyClicks(f.founded_on, "01-01-2030")
    qtbot.keyClick(f.founded_on, Qt.Key.Key_Tab)
    assert f.error_of("founded_on") == "De oprichtingsdatum kan niet in de toekomst liggen."

    retype(qtbot, f.founded_on, "31-02-2020")  # not a date at all: text is kept, message says how
    qtbot.keyClick(f.founded_on, Qt.Key.Key_Tab)
    assert "dd-mm-jjjj" in f.error_of("founded_on")
    assert f.founded_on.text() == "31-02-2020"

    click_tab(qtbot, dlg, TAB_APPLICATION)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "ten minste één criterium" in dlg.evidence.error_label.text()
    assert apps.list_rows(sqlite_ctx) == []


def test_a_stale_edit_is_refused_and_the_first_edit_is_kept(qtbot, open_editor, sqlite_ctx, registered):
    first = open_editor(registered)
    second = open_editor(registered)

    retype(qtbot, first.org_form.name, "Eerste Wijziging BV")
    with qtbot.waitSignal(first.sig_saved, timeout=2000):
        qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)

    retype(qtbot, second.org_form.contact_person, "Tweede Persoon")
    click_tab(qtbot, second, TAB_APPLICATION)
    retype(qtbot, second.notes, "Notitie uit venster twee")
    with qtbot.assertNotEmitted(second.sig_saved):
        qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)

    assert StaleEditError().message in second.banner.text()
    assert second.banner.button.isVisible() and second.banner.button.text() == "Opnieuw laden"
    assert second.org_form.contact_person.text() == "Tweede Persoon"  # not silently discarded
    assert second.notes.toPlainText() == "Notitie uit venster twee"
    assert second.isWindowModified()
    stored = apps.get_application(sqlite_ctx, registered)
    assert stored.organisation.name == "Eerste Wijziging BV"
    assert stored.organisation.contact_person == "Tessa Test"
    assert stored.application.notes == ""

    qtbot.mouseClick(second.banner.button, Qt.MouseButton.LeftButton)
    assert second.org_form.name.text() == "Eerste Wijziging BV"
    assert second.org_form.contact_person.text() == "Tessa Test"
    assert not second.isWindowModified()
    # After reloading, an edit goes through again.
    retype(qtbot, second.org_form.contact_person, "Tweede Persoon")
    with qtbot.waitSignal(second.sig_saved, timeout=2000):
        qtbot.mouseClick(second.save_button, Qt.MouseButton.LeftButton)
    stored = apps.get_application(sqlite_ctx, registered)
    assert (stored.organisation.name, stored.organisation.contact_person) == ("Eerste Wijziging BV", "Tweede Persoon")


def test_editing_criteria_is_stored(qtbot, open_editor, sqlite_ctx, registered):
    dlg = open_editor(registered)
    click_tab(qtbot, dlg, TAB_APPLICATION)
    assert dlg.evidence.rows[Criterion.SE_NL].check.isChecked()
    tick(qtbot, dlg.evidence.rows[Criterion.SE_NL].check)  # untick
    bcorp = dlg.evidence.rows[Criterion.BCORP]
    assert not bcorp.reference.isEnabled()
    tick(qtbot, bcorp.check)
    assert bcorp.reference.isEnabled()
    qtbot.keyClicks(bcorp.reference, "BC-77")
    qtbot.keyClicks(bcorp.valid_until, "2028-06-30")  # ISO is accepted too
    with qtbot.waitSignal(dlg.sig_saved, timeout=2000):
        press_save(qtbot, dlg)
    ev = apps.get_application(sqlite_ctx, registered).application.evidence
    assert [(e.criterion, e.reference, e.valid_until) for e in ev] == [
        (Criterion.PSO30, "REF-PSO30", None), (Criterion.BCORP, "BC-77", dt.date(2028, 6, 30))]
    assert bcorp.valid_until.text() == "30-06-2028"


def make_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Uittreksel KvK (test)")
    c.save()
    return path


def make_png(path: Path) -> Path:
    img = QImage(24, 16, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366aa"))
    assert img.save(str(path))
    return path


def drop_files(widget: QWidget, *paths: Path) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)
    return event


def test_an_attachment_round_trips_byte_for_byte(qtbot, open_editor, sqlite_ctx, registered, tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "uittreksel kvk.pdf")
    png = make_png(tmp_path / "certificaat.png")
    dlg = open_editor(registered)
    click_tab(qtbot, dlg, TAB_ATTACHMENTS)
    panel = dlg.attachments
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(pdf)], "")))
    qtbot.keyClicks(panel.criterion, "PSO")
    with qtbot.waitSignal(dlg.sig_saved, timeout=2000) as saved:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert saved.args == [registered]

    with qtbot.waitSignal(dlg.sig_saved, timeout=2000):
        event = drop_files(panel, png)
    assert event.isAccepted()

    model = panel.model
    assert model.rowCount() == 2
    shown = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(6)] for r in range(2)}
    assert shown["uittreksel kvk.pdf"][1] == "PDF"
    assert shown["uittreksel kvk.pdf"][3] == "Sanne Secretaris"
    assert shown["uittreksel kvk.pdf"][5] == "PSO 30+"
    assert shown["certificaat.png"][1] == "PNG"
    assert dlg.tabs.tabText(TAB_ATTACHMENTS) == "Bijlagen (2)"
    stored = {a.filename: a for a in apps.get_application(sqlite_ctx, registered).attachments}
    assert attachments.get_content(sqlite_ctx, stored["uittreksel kvk.pdf"].id).data == pdf.read_bytes()
    assert attachments.get_content(sqlite_ctx, stored["certificaat.png"].id).data == png.read_bytes()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    row = next(r for r in range(2) if model.index(r, 0).data() == "certificaat.png")
    panel.select_row(row)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    temp_copy = Path(opened[0].toLocalFile())
    assert temp_copy.name == "certificaat.png"
    assert temp_copy.read_bytes() == png.read_bytes()


def test_a_refused_file_type_is_explained_in_dutch(qtbot, open_editor, sqlite_ctx, registered, tmp_path):
    text_file = tmp_path / "notitie.txt"
    text_file.write_text("geen bewijsstuk")
    dlg = open_editor(registered)
    panel = dlg.attachments
    with qtbot.assertNotEmitted(dlg.sig_saved):
        drop_files(panel, text_file)
    assert "Dit bestandstype wordt niet geaccepteerd" in panel.banner.text()
    assert "notitie.txt" in panel.banner.text()
    assert apps.get_application(sqlite_ctx, registered).attachments == ()


def test_removing_an_attachment_asks_first(qtbot, open_editor, sqlite_ctx, registered, tmp_path, answers):
    queue, asked = answers
    att = attachments.add_attachment_file(sqlite_ctx, registered, make_png(tmp_path / "scan.png"))
    dlg = open_editor(registered)
    panel = dlg.attachments
    click_tab(qtbot, dlg, TAB_ATTACHMENTS)
    panel.select_row(0)
    queue.append(1)  # Annuleren
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert "scan.png" in asked[0]
    assert [a.id for a in apps.get_application(sqlite_ctx, registered).attachments] == [att]
    queue.append(0)  # Verwijderen
    with qtbot.waitSignal(dlg.sig_saved, timeout=2000):
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert apps.get_application(sqlite_ctx, registered).attachments == ()
    assert panel.model.rowCount() == 0


def test_a_closed_application_opens_read_only(qtbot, open_editor, sqlite_ctx, registered, tmp_path):
    attachments.add_attachment_file(sqlite_ctx, registered, make_png(tmp_path / "scan.png"))
    apps.change_status(sqlite_ctx, registered, Status.IN_PROGRESS)
    apps.change_status(sqlite_ctx, registered, Status.WITHDRAWN, remark="Op verzoek van de aanvrager")
    dlg = open_editor(registered)
    assert dlg.is_read_only()
    assert "ingetrokken" in dlg.banner.text()
    name = dlg.org_form.name
    assert name.isReadOnly()
    qtbot.keyClicks(name, "XYZ")
    assert name.text() == "Testbedrijf Sociaal BV"
    assert not dlg.org_form.municipality.isEnabled()
    assert not dlg.evidence.rows[Criterion.PSO30].check.isEnabled()
    assert dlg.notes.isReadOnly() and dlg.received_on.isReadOnly()
    assert not dlg.save_button.isVisible()
    assert not dlg.status_button.isEnabled()
    assert not dlg.attachments.add_button.isEnabled()
    dlg.attachments.select_row(0)
    assert dlg.attachments.open_button.isEnabled() and not dlg.attachments.remove_button.isEnabled()
    assert drop_files(dlg.attachments, make_png(tmp_path / "extra.png")).isAccepted() is False
    with qtbot.assertNotEmitted(dlg.sig_saved):
        press_save(qtbot, dlg)
        assert dlg.save() is False
    assert len(apps.get_application(sqlite_ctx, registered).attachments) == 1


def test_escape_asks_before_unsaved_input_is_discarded(qtbot, open_editor, registered, answers):
    queue, asked = answers
    dlg = open_editor(registered)
    qtbot.keyClick(dlg.org_form.name, Qt.Key.Key_Escape)  # nothing changed: closes without asking
    assert not dlg.isVisible() and asked == []

    dlg = open_editor(registered)
    qtbot.keyClicks(dlg.org_form.place, " Noord")
    queue.append(2)  # Annuleren
    qtbot.keyClick(dlg.org_form.place, Qt.Key.Key_Escape)
    assert len(asked) == 1
    assert dlg.isVisible()
    assert dlg.org_form.place.text() == "Haarlem Noord"
    queue.append(1)  # Niet opslaan
    qtbot.keyClick(dlg.org_form.place, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_closing_can_save_first(qtbot, open_editor, sqlite_ctx, registered, answers):
    queue, _asked = answers
    dlg = open_editor(registered)
    qtbot.keyClicks(dlg.org_form.place, " Noord")
    queue.append(0)  # Opslaan
    with qtbot.waitSignal(dlg.sig_saved, timeout=2000):
        qtbot.mouseClick(dlg.close_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert apps.get_application(sqlite_ctx, registered).organisation.place == "Haarlem Noord"


def test_an_application_that_no_longer_exists_says_so(qtbot, open_editor):
    import uuid

    dlg = open_editor(uuid.uuid4())
    assert dlg.banner.text() == "Deze aanvraag bestaat niet (meer)."
    assert not dlg.save_button.isVisible() and not dlg.tabs.isVisible()
    assert dlg.save() is False


def test_field_limits_and_control_characters_are_shown_at_the_field(qtbot, open_editor, sqlite_ctx):
    """Issue 9, item 11: the editor's maximum lengths are the domain's limits (the same the import and the
    services check), and a pasted control character gets the domain's Dutch message at its field."""
    from commissie_app.domain.validation import FIELD_MAX_LENGTH

    dlg = open_editor()
    f = dlg.org_form
    single_line = ("name", "street", "postcode", "place", "contact_person", "email", "phone", "website")
    assert {k: getattr(f, k).maxLength() for k in single_line} == {k: FIELD_MAX_LENGTH[k] for k in single_line}
    assert dlg.evidence.rows[Criterion.PSO30].reference.maxLength() == FIELD_MAX_LENGTH["reference"]
    fill_new_application(qtbot, dlg)
    f.contact_person.setText("Jan\x01Jansen")  # pasted, as a user would
    dlg.evidence.rows[Criterion.PSO30].reference.setText("PSO\x00-1")

    press_save(qtbot, dlg)

    assert "stuurteken U+0001" in f.error_of("contact_person")
    assert "stuurteken U+0000" in dlg.evidence.rows[Criterion.PSO30].reference_box.error()
    assert apps.list_rows(sqlite_ctx) == []


def test_a_follow_up_shows_its_link_and_a_decided_application_its_outcome(qtbot, open_editor, sqlite_ctx):
    """Issue 12: the editor of a follow-up application says which recognition it continues and why; a decided
    application shows its outcome ('toegekend', 'ingetrokken') instead of 'besloten'."""
    import datetime as dt

    from commissie_app.domain.recognition import Purpose
    from commissie_app.services import recognitions
    from commissie_app.services.demo import create_demo_data

    create_demo_data(sqlite_ctx)
    rows = {r.name: r for r in recognitions.list_register(sqlite_ctx)}
    withdrawn = recognitions.get_recognition(sqlite_ctx, rows["Staalstart IJmond Leerbedrijf (demo)"].id)
    (follow,) = withdrawn.follow_ups
    dlg = open_editor(follow.application_id)
    assert dlg.status_chip.text() == "erkenning ingetrokken"
    assert "Vervolgaanvraag (herbeoordeling) op de erkenning uit de aanvraag van" in dlg.subtitle.text()
    assert "ingetrokken" in dlg.status_label.text() and "besloten" not in dlg.status_label.text()
    origin = open_editor(withdrawn.row.origin_application_id)
    assert origin.status_chip.text() == "toegekend" and "Vervolgaanvraag" not in origin.subtitle.text()
    # registering a follow-up with the evidence as entered (services/applications.register_follow_up)
    ending = rows["Wasserette Werkkans (demo)"]
    new = apps.register_follow_up(sqlite_ctx, ending.id, Purpose.RENEWAL, app_data(
        Criterion.BCORP, received_on=dt.date(2026, 11, 20)))
    detail = apps.get_application(sqlite_ctx, new)
    assert (detail.purpose, detail.follow_up_of) == (Purpose.RENEWAL, ending.origin_application_id)
    assert [e.criterion for e in detail.application.evidence] == [Criterion.BCORP]
