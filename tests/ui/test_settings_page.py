"""The settings page: the letterhead of the decision letters, edited, checked and saved for every machine."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from commissie_app.documents.letter_content import DEFAULT_LOGO
from commissie_app.domain.validation import format_date_nl
from commissie_app.services import letter_settings
from commissie_app.ui.main_window import PAGES, MainWindow


@pytest.fixture
def window(qtbot, sqlite_ctx) -> MainWindow:
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.resize(1100, 800)
    w.show()
    qtbot.waitExposed(w)
    w.show_page(PAGES.index("settings"))
    return w


def _type(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_the_settings_page_is_built_when_first_shown(qtbot, sqlite_ctx):
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    assert w.settings_page is None  # opening the app does not wait for it
    w.show()
    w.show_page(PAGES.index("settings"))
    assert w.settings_page is not None and w.settings_page.isVisible()


def test_the_settings_page_shows_the_saved_letterhead(window):
    page = window.settings_page
    assert window.stack.currentWidget().content is page and page.isVisible()
    assert page.sender.text() == "Commissie Sociaal Inkopen"
    assert page.address.toPlainText() == "Postbus 511\n2003 PB Haarlem"
    assert "standaardlogo" in page.logo_text.text()
    assert not page.save_button.isEnabled() and not page.revert_button.isEnabled()


def test_edit_and_save_with_ctrl_s(qtbot, window, sqlite_ctx):
    page = window.settings_page
    _type(qtbot, page.phone, "023 511 5115")
    _type(qtbot, page.email, "sociaalinkopen@haarlem.nl")
    page.address.setPlainText("Postbus 511\n\n2003 PB Haarlem\n")
    assert page.save_button.isEnabled()
    qtbot.keyClick(page.email, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = letter_settings.get_letter_settings(sqlite_ctx)
    assert (saved.phone, saved.email) == ("023 511 5115", "sociaalinkopen@haarlem.nl")
    assert saved.address_lines == ("Postbus 511", "2003 PB Haarlem")  # empty lines left out
    assert "opgeslagen" in page.banner.text()
    assert not page.save_button.isEnabled()


def test_a_missing_sender_and_a_bad_e_mail_are_marked_and_nothing_is_saved(qtbot, window, sqlite_ctx):
    page = window.settings_page
    page.sender.clear()
    _type(qtbot, page.email, "geen-adres")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "afzender" in page.fields["sender_name"].error()
    assert "e-mailadres" in page.fields["email"].error()
    assert page.sender.hasFocus()
    assert "niet opgeslagen" in page.banner.text()
    assert letter_settings.get_letter_settings(sqlite_ctx).sender_name == "Commissie Sociaal Inkopen"
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)  # Herstellen: the saved letterhead again
    assert page.sender.text() == "Commissie Sociaal Inkopen" and not page.fields["email"].error()


def test_an_own_logo_is_chosen_previewed_and_stored(qtbot, window, sqlite_ctx, tmp_path, monkeypatch):
    page = window.settings_page
    bad = tmp_path / "logo.png"
    bad.write_text("geen afbeelding", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    page.choose_logo()
    assert "PNG- of JPEG" in page.logo_box.error()
    assert page._logo == DEFAULT_LOGO  # unchanged

    good = tmp_path / "gemeente.png"
    Image.new("RGB", (80, 40), (200, 30, 30)).save(good)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(good), "")))
    page.choose_logo()
    assert not page.logo_box.error() and "gemeente.png" in page.logo_text.text()
    assert not page.logo_preview.pixmap().isNull()
    assert page.save()
    stored = letter_settings.get_letter_settings(sqlite_ctx).logo_path
    assert stored.read_bytes() == good.read_bytes()
    assert "opgeslagen in de database" in page.logo_text.text()

    qtbot.mouseClick(page.findChild(QPushButton, "noLogo"), Qt.MouseButton.LeftButton)
    assert "Geen logo" in page.logo_text.text() and page.save_button.isEnabled()
    assert page.save()
    assert letter_settings.get_letter_settings(sqlite_ctx).logo_path is None


def test_sample_letter_shows_the_unsaved_letterhead(qtbot, window, sqlite_ctx):
    page = window.settings_page
    _type(qtbot, page.sender, "Commissie Sociaal Inkopen Kennemerland")
    _type(qtbot, page.contact_name, "Sanne de Wit")
    _type(qtbot, page.contact_phone, "023 555 0100")
    _type(qtbot, page.contact_email, "sanne@commissie.example.nl")
    qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    dialog = page.sample_dialog
    qtbot.addWidget(dialog)
    assert dialog.pages
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert "Commissie Sociaal Inkopen Kennemerland" in text and "Voorbeeldonderneming" in text
    assert "Sanne de Wit" in text and "sanne@commissie.example.nl" in text
    assert letter_settings.get_letter_settings(sqlite_ctx).sender_name == "Commissie Sociaal Inkopen"  # not saved
    page.load()


def test_contact_and_procedure_are_edited_saved_and_required_for_a_letter(qtbot, window, sqlite_ctx):
    """Issue 14: the letterhead names a contact person with phone and e-mail and the objection procedure
    (heroverweging by default, explained); without the contact no sample letter is made and saving says
    that letters wait for it."""
    page = window.settings_page
    assert page.procedure.currentData() == "heroverweging"
    assert "geen bestuursorgaan" in page.fields["objection_procedure"].hint_label.text()
    qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)
    assert not hasattr(page, "sample_dialog")
    assert page.fields["contact_name"].error() and page.fields["contact_email"].error()
    _type(qtbot, page.contact_name, "Sanne de Wit")
    page.procedure.setCurrentIndex(page.procedure.findData("bezwaar"))
    assert page.save()
    assert "vul ook in" in page.banner.text() and "telefoonnummer" in page.banner.text()
    _type(qtbot, page.contact_phone, "023 555 0100")
    _type(qtbot, page.contact_email, "sanne@example")
    assert not page.save() and page.fields["contact_email"].error()
    _type(qtbot, page.contact_email, "sanne@commissie.example.nl")
    assert page.save() and "vul ook in" not in page.banner.text()
    saved = letter_settings.get_letter_settings(sqlite_ctx)
    assert (saved.contact_name, saved.contact_phone, saved.contact_email, saved.objection_procedure) == (
        "Sanne de Wit", "023 555 0100", "sanne@commissie.example.nl", "bezwaar")


def test_closing_with_unsaved_changes_asks_first(qtbot, window, sqlite_ctx, answers):
    queue, asked = answers
    page = window.settings_page
    window.show_page(0)
    _type(qtbot, page.website, "www.kennemerinkoopplatform.nl")
    queue.append(2)  # Annuleren: the window stays, on the settings page
    window.close()
    assert window.isVisible() and window.stack.currentWidget().content is page
    assert "niet zijn opgeslagen" in asked[-1]
    queue.append(0)  # Opslaan
    window.close()
    assert not window.isVisible()
    assert letter_settings.get_letter_settings(sqlite_ctx).website == "www.kennemerinkoopplatform.nl"


def test_a_logo_whose_name_disagrees_with_its_content_is_refused(qtbot, window, tmp_path, monkeypatch, answers):
    """Issue 9, item 9: a PNG named logo.html is not taken as the letterhead logo."""
    page = window.settings_page
    html_named = tmp_path / "<b>logo.html"
    Image.new("RGB", (80, 40), (200, 30, 30)).save(html_named, format="PNG")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(html_named), "")))
    page.choose_logo()
    assert page.logo_box.error() == ("Het bestand ‘<b>logo.html’ heeft de extensie .html, maar de inhoud is een "
                                     "PNG-bestand. Geef het bestand een naam die eindigt op .png.")
    assert page.logo_box.error_label.textFormat() == Qt.TextFormat.PlainText
    assert page._logo == DEFAULT_LOGO and not page.save_button.isEnabled()


def test_the_rules_in_force_are_shown_read_only_with_who_adopted_them_when(qtbot, sqlite_ctx, tmp_path):
    """Issue 10: the Settings page shows the commission's rules as adopted in the database (not the local
    file), with the version, who adopted them and when; nothing there edits them."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QSpinBox

    from commissie_app.services.rules import adopt_rules

    path = tmp_path / "rules.toml"
    path.write_text("[meeting]\nquorum_seats = 4\n", encoding="utf-8")
    adopted, _changed = adopt_rules(sqlite_ctx, path)
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.show()
    w.show_page(PAGES.index("settings"))
    group = w.settings_page.rules_group
    texts = [label.text() for label in group.findChildren(QLabel)]
    local = adopted.adopted_at.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert any(t.startswith(f"Regels versie 1, vastgesteld op {format_date_nl(local.date())} om "
                            f"{local:%H:%M} door Sanne Secretaris") for t in texts)
    assert "Quorum:" in texts and texts[texts.index("Quorum:") + 1] == "4 van de 5 zetels aanwezig"
    assert "KIP-{jaar}-{volgnummer:03}" in texts
    assert not group.findChildren(QLineEdit) and not group.findChildren(QPlainTextEdit) and not group.findChildren(QSpinBox)
