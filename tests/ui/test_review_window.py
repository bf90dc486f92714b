"""Issue 11: the offline review window on the member's laptop, driven through its real widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from commissie_app.domain.review_crypto import open_sealed
from commissie_app.domain.review_format import read_return
from commissie_app.services import review_working_copy as wc
from commissie_app.services import review_workspace as rw
from commissie_app.services.laptop_keys import laptop_keys
from commissie_app.ui import review_dialogs, review_window
from commissie_app.ui.review_window import ReviewWindow, open_review_package
from tests.review_builders import TODAY, build_package
from tests.ui.test_form_renderer import answer


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The packages of the builder are valid until 11 April 2027; the laptop's today is 1 March 2027."""
    real = rw.open_package
    monkeypatch.setattr(rw, "open_package", lambda path, *, passphrase=None, today=None:
                        real(path, passphrase=passphrase, today=today or TODAY))


@pytest.fixture
def built(tmp_path):
    return build_package(tmp_path)


def _window(qtbot, built) -> ReviewWindow:
    window = ReviewWindow(rw.open_package(built.path), None)
    qtbot.addWidget(window)
    window.show()
    return window


def _click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def test_the_window_shows_the_agenda_progress_and_the_application_with_attachments_from_memory(
        qtbot, built, message_boxes):
    """Issue 11: the agenda with each application's status and the progress line; the chosen application's
    organisation data and evidence; a PDF and a PNG previewed in the app, a DOCX named but not shown."""
    window = open_review_package(built.path)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Beoordelen offline – vergadering van 12 maart 2027"
    texts = [window.agenda.item(i).text() for i in range(window.agenda.count())]
    assert texts[0] == "1. Opening en mededelingen" and not window.agenda.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert texts[1].endswith("nog niet begonnen") and texts[2].endswith("concept")
    assert window.progress.text() == "0 van 2 beoordeeld, 1 concept"
    assert window.title.text() == "Stichting Werkplaats Spaarne"
    details = window.details.toPlainText()
    assert "Kleine Houtstraat 70, 2011 DK Haarlem" in details and "PSO-2026-0815" in details
    assert "geldig tot en met 30 juni 2028" in details

    window.tabs.setCurrentWidget(window.attachments)
    preview = window.attachments
    assert preview.list.count() == 3
    qtbot.waitUntil(lambda: not preview._resized.isActive())
    page = preview.pages[0].pixmap()
    assert len(preview.pages) == 1 and 0 < page.width() <= preview.width() < page.height()  # the A4 page, fitted
    preview.list.setCurrentRow(1)
    assert len(preview.pages) == 1 and preview.pages[0].pixmap().width() == 8  # the PNG
    preview.list.setCurrentRow(2)
    assert preview.pages == [] and "kan offline niet in de app worden getoond" in preview.message.text()

    window.agenda.setCurrentRow(2)
    assert window.title.text() == "Koffiebranderij De Duinroos B.V."
    assert "Deze aanvraag heeft geen bijlagen." in preview.message.text()
    assert message_boxes.shown == []


def test_answers_autosave_final_needs_a_complete_form_and_the_work_continues_after_reopening(
        qtbot, built, message_boxes):
    """Issue 11: answering saves to the working copy by itself ("Opgeslagen hh:mm"), the agenda shows the new
    status; "Definitief maken" refuses an incomplete form; reopening the package shows the answers again."""
    window = _window(qtbot, built)
    window.tabs.setCurrentIndex(2)
    r = window.renderer
    answer(r, qtbot, "region_established", "ja")
    answer(r, qtbot, "region_municipality", "Haarlem")
    qtbot.waitUntil(lambda: window.save_status.text().startswith("Opgeslagen "), timeout=5000)
    assert window.agenda.item(1).text().endswith("concept")
    assert window.progress.text() == "0 van 2 beoordeeld, 2 concepten"
    _click(qtbot, window.final_button)
    assert message_boxes.texts("warning") and "verplicht" in r.rows["crit_code_so"].error_label.text()
    for key in ("crit_code_so", "crit_se_nl", "crit_non_profit", "crit_bcorp", "crit_startup"):
        answer(r, qtbot, key, "nee")
    answer(r, qtbot, "crit_pso30", "ja")
    answer(r, qtbot, "crit_pso30_evidence", built.pdf_id)
    answer(r, qtbot, "mission_primary", "ja")
    answer(r, qtbot, "impact_domains", ["work"])
    answer(r, qtbot, "impact_evidence", "Veertien deelnemers per jaar.")
    answer(r, qtbot, "member_advice", "toekennen")
    answer(r, qtbot, "advice_motivation", "Voldoet aan PSO 30+.")
    window.close()  # saves without waiting for the timer

    again = _window(qtbot, built)
    again.tabs.setCurrentIndex(2)
    assert again.renderer.answers()["advice_motivation"] == "Voldoet aan PSO 30+."
    _click(qtbot, again.final_button)
    assert len(message_boxes.texts("warning")) == 1  # no new warning: it was complete
    assert not again.final_button.isEnabled() and "definitief" in again.form_header.text()
    assert again.progress.text() == "1 van 2 beoordeeld, 1 concept"
    assert rw.open_package(built.path).assessment(built.apps[0]).advice.value == "grant"


def test_declaring_a_conflict_and_writing_notes(qtbot, built, message_boxes):
    """Issue 11: the conflict checkbox needs a reason first, is stored at once and shows in the agenda; notes
    are saved by themselves."""
    window = _window(qtbot, built)
    window.tabs.setCurrentIndex(3)
    _click(qtbot, window.conflict_box)
    assert "reden" in message_boxes.texts("warning")[0] and not window.conflict_box.isChecked()
    qtbot.keyClicks(window.conflict_reason, "Mijn broer is bestuurder.")
    _click(qtbot, window.conflict_box)
    assert window.conflict_box.isChecked()
    assert window.agenda.item(1).text().endswith("belangenverstrengeling gemeld")
    assert window.progress.text() == "0 van 2 beoordeeld, 1 concept, 1 met belangenverstrengeling"
    qtbot.keyClicks(window.notes, "Statuten opvragen.")
    qtbot.waitUntil(lambda: window.note_status.text().startswith("Opgeslagen "), timeout=5000)
    ws = rw.open_package(built.path)
    assert ws.declaration(built.apps[0]).reason == "Mijn broer is bestuurder."
    assert ws.note(built.apps[0]) == "Statuten opvragen."
    _click(qtbot, window.conflict_box)  # withdrawn again
    assert rw.open_package(built.path).declaration(built.apps[0]) is None


def test_terugsturen_writes_the_return_and_offers_to_delete_the_package(qtbot, built, tmp_path, monkeypatch,
                                                                          message_boxes, answers):
    """Issue 11: Ctrl+Enter writes the return (signed by the laptop, for the commission) where the member
    chooses, says what it holds, and on request deletes the package and the working copy."""
    queue, asked = answers
    window = ReviewWindow(rw.open_package(built.path), None)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.tabs.setCurrentIndex(3)
    qtbot.keyClicks(window.notes, "Begroting ontbreekt.")
    target = tmp_path / "uit" / "mijn-werk.kipretour"
    target.parent.mkdir()
    chosen = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, flt: chosen.append(start) or (str(target), flt)))
    queue.append(0)  # "Verwijderen"
    qtbot.keyClick(window.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert chosen and chosen[0].endswith("-1.kipretour")
    assert "0 meldingen van belangenverstrengeling en 1 notitie. Stuur" in message_boxes.texts("information")[0]
    assert "verwijderen" in asked[0]
    opened = open_sealed(target.read_bytes(), identity=built.commission)
    assert opened.signer == laptop_keys().public().verify_key
    assert read_return(opened.entries)[1].notes[0].text == "Begroting ontbreekt."
    assert not built.path.exists() and not wc.working_copy_path(built.manifest.package_id).exists()
    assert not window.isVisible()


def test_deleting_the_package_asks_first(qtbot, built, message_boxes, answers):
    """Issue 11: "Pakket verwijderen van deze laptop…" removes nothing when cancelled, both files when confirmed."""
    queue, _asked = answers
    window = ReviewWindow(rw.open_package(built.path), None)
    window.show()
    window.notes.setPlainText("iets")
    window.save_note()
    queue.append(1)  # Annuleren
    window.delete_action.trigger()
    assert built.path.exists() and wc.working_copy_path(built.manifest.package_id).exists()
    queue.append(0)
    window.delete_action.trigger()
    assert not built.path.exists() and not wc.working_copy_path(built.manifest.package_id).exists()
    assert not window.isVisible()


def test_my_key_shows_the_line_to_copy_and_its_fingerprint(qtbot, built, message_boxes):
    """Issue 11: "Mijn sleutel…" shows the laptop's key line and fingerprint; "Kopiëren" puts it on the clipboard."""
    window = _window(qtbot, built)
    window.key_action.trigger()
    dialog = window.key_dialog
    key = laptop_keys().public()
    assert dialog.key_line.text() == key.text() and key.fingerprint() in dialog.fingerprint.text()
    QGuiApplication.clipboard().clear()
    _click(qtbot, dialog.copy_button)
    assert QGuiApplication.clipboard().text() == key.text()
    dialog.close()


def test_a_passphrase_is_asked_until_it_fits_or_the_member_cancels(qtbot, tmp_path, monkeypatch, message_boxes):
    """Issue 11: a first-contact package asks its passphrase in the window; a wrong one says so and asks again."""
    built = build_package(tmp_path, passphrase="lange zin van de secretaris")
    given = ["fout wachtwoord", "lange zin van de secretaris"]
    prompts = []
    monkeypatch.setattr(review_dialogs, "ask_passphrase",
                        lambda parent, message: prompts.append(message) or given.pop(0))
    window = open_review_package(built.path)
    qtbot.addWidget(window)
    assert "wachtwoord versleuteld" in prompts[0] and "klopt niet" in prompts[1]
    assert window.ws.by_passphrase
    monkeypatch.setattr(review_dialogs, "ask_passphrase", lambda parent, message: None)
    assert open_review_package(built.path) is None
    assert message_boxes.shown == []


def test_an_expired_package_is_refused_with_an_offer_to_delete_it(qtbot, tmp_path, message_boxes, answers):
    """Issue 11: opening an expired package says so and offers to delete it (with its working copy)."""
    queue, asked = answers
    built = build_package(tmp_path, expires_on=dt.date(2027, 2, 28))
    assert open_review_package(built.path) is None  # "Bewaren"
    assert "verlopen" in asked[0] and built.path.exists()
    queue.append(0)
    assert open_review_package(built.path) is None
    assert not built.path.exists()


def test_a_refused_package_names_the_reason_and_opens_nothing(qtbot, tmp_path, message_boxes):
    """Issue 11: a file that is no package, or is damaged, is refused with the Dutch reason; `review open`
    ends with status 1."""
    from commissie_app.cli_review_open import cmd_open

    junk = tmp_path / "kapot.kippakket"
    built = build_package(tmp_path)
    blob = bytearray(built.path.read_bytes())
    blob[len(blob) // 2] ^= 1
    junk.write_bytes(bytes(blob))

    class Args:
        file = str(junk)

    assert cmd_open(Args) == 1
    assert "beschadigd" in message_boxes.texts("warning")[0]


def test_a_package_for_several_members_asks_who_is_working(qtbot, tmp_path, monkeypatch, message_boxes):
    """Issue 11: with several members in the package the window asks who is working first."""
    built = build_package(tmp_path, extra_members=1)
    monkeypatch.setattr(review_dialogs, "choose_member", lambda parent, members: members[1])
    window = open_review_package(built.path)
    qtbot.addWidget(window)
    assert window.ws.member.name == "Lid 2" and "Lid 2" in window.statusBar().currentMessage()
    monkeypatch.setattr(review_dialogs, "choose_member", lambda parent, members: None)
    other = build_package(tmp_path, extra_members=1, name="tweede.kippakket")
    assert open_review_package(other.path) is None


def test_a_window_opened_from_a_dialog_outlives_the_dialog(qtbot, built, message_boxes):
    """Issue 11: the "server unreachable" dialog opens a package with itself as parent and then closes; the review
    window stays open on its own."""
    from PySide6.QtWidgets import QDialog

    dialog = QDialog()
    window = open_review_package(built.path, dialog)
    qtbot.addWidget(window)
    dialog.deleteLater()
    qtbot.wait(10)
    assert window.isVisible() and window.parent() is None
    window.close()
    qtbot.waitUntil(lambda: window not in review_window._OPEN_WINDOWS)  # closed: deleted, not kept


def test_a_damaged_working_copy_can_be_set_aside_to_start_again(qtbot, built, message_boxes, answers):
    """Issue 11: when the working copy cannot be read, the window says so and offers to start again with the
    package (or to stop); nothing is opened half."""
    queue, asked = answers
    path = wc.working_copy_path(built.manifest.package_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"age-encryption.org/v1\nkapot")
    assert open_review_package(built.path) is None  # Annuleren
    assert "beschadigd" in asked[0] and path.exists()
    queue.append(0)
    window = open_review_package(built.path)
    qtbot.addWidget(window)
    assert window.progress.text() == "0 van 2 beoordeeld, 1 concept" and not path.exists()


def test_after_a_return_the_window_says_when_it_was_sent_and_shows_others_final_assessments(
        qtbot, tmp_path, monkeypatch, message_boxes, answers):
    """Issue 11: keeping the package after "Terugsturen" shows when and which return was made; other members'
    final assessments (when the rules share them) are named with their advice above the form."""
    built = build_package(tmp_path, shared_final=True)
    window = _window(qtbot, built)
    assert not window.returned.isVisible()
    assert "Mia Lid (toekennen)" in window.form_header.text()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, flt: (str(tmp_path / "terug.kipretour"), flt)))
    window.return_action.trigger()  # and "Bewaren" (nothing queued)
    assert window.isVisible() and built.path.exists()
    assert window.returned.isVisible() and "retourpakket 1" in window.returned.text()


def test_the_main_window_opens_a_review_package_from_the_file_menu(qtbot, built, sqlite_ctx, monkeypatch,
                                                                   message_boxes):
    """Issue 11: Bestand › Beoordelingspakket openen… opens a chosen package in the review window (enabled
    without a database too)."""
    from PySide6.QtWidgets import QFileDialog

    from commissie_app.ui.main_window import MainWindow

    before = MainWindow(None, rows=[])  # the rows shown, the database not attached yet
    qtbot.addWidget(before)
    assert before.open_package_action.isEnabled() and not before.review_packages_action.isEnabled()
    main = MainWindow(sqlite_ctx)
    qtbot.addWidget(main)
    assert main.open_package_action in main.menuBar().actions()[0].menu().actions()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda parent, title, start, flt: (str(built.path), flt)))
    main.open_package_action.trigger()
    qtbot.addWidget(main.review_window)
    assert main.review_window.isVisible() and main.review_window.ws.path == built.path
