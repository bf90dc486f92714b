"""Issue 13: after closing a meeting the letters dialog leads to the letters, and every action works on the
whole batch at once: preview, print, save, e-mail drafts, mark as sent; it fits 1366x768 and 150 %."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog

from commissie_app.services import letter_archive, letter_files, letter_generation, letter_sending
from commissie_app.ui import letters_dialog, tasks
from commissie_app.ui.letters_dialog import LettersDialog, MarkSentDialog
from tests.ui.test_letters_dialog import click_row, demo, open_dialog  # noqa: F401  (fixture)

CTRL = Qt.KeyboardModifier.ControlModifier


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def made(qtbot, demo):
    """The dialog of the closed demo meeting right after "Brieven maken"."""
    ctx, mid, _planned = demo
    dialog = open_dialog(qtbot, ctx, mid)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 4
    return ctx, mid, dialog


def choose_folder(monkeypatch, folder) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))


def accept_mark_sent(monkeypatch, qtbot, seen: list[str], email: bool = False) -> None:
    def fill_and_accept(self):
        seen.append(self.intro.text())
        if email:
            qtbot.mouseClick(self.email_radio, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(self.buttons.button(self.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(MarkSentDialog, "exec", fill_and_accept)


def test_the_first_step_is_brieven_maken_then_the_batch_is_selected(qtbot, demo):
    """Issue 13: opened after closing, the dialog says to make the letters first; after that the letters still to
    send are selected and the dialog says what to do with them and how many went out."""
    ctx, mid, _planned = demo
    dialog = open_dialog(qtbot, ctx, mid)
    assert dialog.next_step.isVisible() and dialog.next_step.text().startswith("Stap 1: maak de besluitbrieven")
    assert dialog.generate_button.isDefault() and dialog.generate_button.isEnabled()
    assert dialog.status_label.text() == ""
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button: Brieven maken
    assert dialog.table.rowCount() == 4
    assert [i.kenmerk for i in dialog.selected_letters()] == [f"KIP-2026-00{n}" for n in range(1, 5)]
    assert dialog.next_step.text().startswith("Stap 2")
    assert dialog.status_label.text() == "0 van 4 brieven verzonden · 4 geselecteerd"
    assert not dialog.generate_button.isDefault()
    assert dialog.save_button.text() == "Alle opslaan als PDF…"


def test_ctrl_a_and_alles_selecteren_select_every_letter(qtbot, made):
    """Issue 13: one letter at a time still possible (a click), and Ctrl+A or "Alles selecteren" select all."""
    _ctx, _mid, dialog = made
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    click_row(qtbot, dialog, 2)
    assert dialog.selected().kenmerk == "KIP-2026-003" and dialog.save_button.text() == "Opslaan als PDF…"
    qtbot.keyClick(dialog.table, Qt.Key.Key_A, CTRL)
    assert len(dialog.selected_letters()) == 4 and dialog.selected() is None
    click_row(qtbot, dialog, 0)
    dialog.close_button.setFocus()
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_A, CTRL)  # also when the table does not have the focus
    assert len(dialog.selected_letters()) == 4
    click_row(qtbot, dialog, 0)
    qtbot.mouseClick(dialog.select_all_button, Qt.MouseButton.LeftButton)
    assert len(dialog.selected_letters()) == 4


def test_save_all_writes_one_file_per_letter_named_by_kenmerk_and_organisation(qtbot, made, monkeypatch, tmp_path,
                                                                             message_boxes):
    """Issue 13: "Alle opslaan als PDF…" writes each selected letter into the chosen folder, the archived bytes."""
    ctx, mid, dialog = made
    choose_folder(monkeypatch, tmp_path)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    infos = letter_archive.list_letters(ctx, mid)
    names = sorted(f"{i.kenmerk} {i.organisation}.pdf" for i in infos)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == names
    for info in infos:
        data = (tmp_path / f"{info.kenmerk} {info.organisation}.pdf").read_bytes()
        assert hashlib.sha256(data).hexdigest() == info.sha256
    assert f"4 brieven opgeslagen in {tmp_path}" in dialog.banner.text()
    assert message_boxes.shown == []


@pytest.mark.parametrize("answer, expected", [(0, "nieuw"), (1, "oud"), (2, "oud")])
def test_existing_files_are_only_overwritten_when_the_user_says_so(qtbot, made, monkeypatch, tmp_path, answers,
                                                                   answer, expected):
    """Issue 13: a file already in the folder: Overschrijven, Bestaande overslaan or Annuleren."""
    ctx, mid, dialog = made
    infos = letter_archive.list_letters(ctx, mid)
    existing = tmp_path / letter_files.file_name(infos[1])
    existing.write_bytes(b"oud")
    choose_folder(monkeypatch, tmp_path)
    queue, asked = answers
    queue.append(answer)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "1 van de 4 bestanden staan al" in asked[0] and existing.name in asked[0]
    assert (existing.read_bytes() == b"oud") == (expected == "oud")
    assert len(list(tmp_path.glob("*.pdf"))) == (1 if answer == 2 else 4)


def test_saving_can_be_cancelled_and_says_what_was_written(qtbot, made, monkeypatch, tmp_path):
    """Issue 13: progress with cancel: cancelled after two letters, two whole files and a message saying so."""
    _ctx, _mid, dialog = made
    real_report = tasks.Task.report

    def report(self, done, total):
        if done == 2:
            self.cancel()  # the user presses Annuleren in the progress dialog
        real_report(self, done, total)

    monkeypatch.setattr(tasks.Task, "report", report)
    choose_folder(monkeypatch, tmp_path)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(list(tmp_path.glob("*.pdf"))) == 2 and not list(tmp_path.glob("*.part")) + list(tmp_path.glob(".*"))
    assert f"Afgebroken: 2 van de 4 bestanden zijn opgeslagen in {tmp_path}" in dialog.banner.text()


def test_e_mail_drafts_for_all_with_an_address(qtbot, demo, monkeypatch, tmp_path, message_boxes):
    """Issue 13: "E-mailconcepten (.eml)…" writes a draft per selected letter into one folder; a letter to an
    organisation without e-mail address is left out and named as one to send by post."""
    from commissie_app.db.models import Organisation

    ctx, mid, _planned = demo
    made = letter_generation.generate_letters(ctx, mid)
    with ctx.db.engine.begin() as conn:
        table = Organisation.__table__
        conn.execute(table.update().where(table.c.name == made[2].organisation).values(email=""))
    dialog = open_dialog(qtbot, ctx, mid)
    assert len(dialog.selected_letters()) == 4
    choose_folder(monkeypatch, tmp_path)
    assert dialog.eml_button.text() == "E-mailconcepten (.eml)…"
    qtbot.mouseClick(dialog.eml_button, Qt.MouseButton.LeftButton)
    with_address = [i for i in made if i.kenmerk != made[2].kenmerk]
    assert sorted(p.name for p in tmp_path.glob("*.eml")) == sorted(
        f"{i.kenmerk} {i.organisation}.eml" for i in with_address)
    assert "3 e-mailconcepten opgeslagen" in dialog.banner.text()
    assert f"per post: {made[2].kenmerk}" in dialog.banner.text()
    assert message_boxes.shown == []


def test_mark_all_sent_at_once(qtbot, made, monkeypatch):
    """Issue 13: "Markeren als verzonden…" with four letters selected marks all four, one date and way."""
    ctx, mid, dialog = made
    seen: list[str] = []
    accept_mark_sent(monkeypatch, qtbot, seen, email=True)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert "4 brieven: KIP-2026-001, KIP-2026-002, KIP-2026-003, KIP-2026-004" in seen[0]
    infos = letter_archive.list_letters(ctx, mid)
    assert {(i.sent_on, i.sent_via) for i in infos} == {(ctx.today(), "email")}
    assert {dialog.table.item(r, 5).text() for r in range(4)} == {"23 november 2026 per e-mail"}
    assert dialog.status_label.text().startswith("4 van 4 brieven verzonden")
    assert dialog.next_step.text() == "Alle brieven zijn verzonden."
    assert "4 brieven gemarkeerd als verzonden" in dialog.banner.text()
    assert not dialog.sent_button.isEnabled()


def test_mark_all_sent_refuses_a_batch_with_a_sent_letter(qtbot, made, monkeypatch, message_boxes):
    """Issue 13: a selection holding a letter already sent is refused, naming it; nothing else is marked."""
    ctx, mid, dialog = made
    infos = letter_archive.list_letters(ctx, mid)
    letter_sending.mark_sent(ctx, infos[2].id, ctx.today(), "post")
    dialog.reload()
    dialog.select_all()
    accept_mark_sent(monkeypatch, qtbot, [])
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    [warning] = message_boxes.texts("warning")
    assert "al verzonden" in warning and "KIP-2026-003 (23 november 2026)" in warning
    assert "KIP-2026-001" not in warning
    assert [i.is_sent for i in letter_archive.list_letters(ctx, mid)] == [False, False, True, False]
    assert dialog.status_label.text().startswith("1 van 4 brieven verzonden")


def test_preview_and_print_show_every_page_of_every_selected_letter(qtbot, made, monkeypatch):
    """Issue 13: one preview of the whole batch (all pages of all letters), and one print job of them all."""
    ctx, mid, dialog = made
    total = sum(pages(letter_archive.letter_pdf(ctx, i.id)) for i in letter_archive.list_letters(ctx, mid))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    qtbot.waitUntil(preview.isVisible)
    assert len(preview.page_labels) == total == pages(preview.pdf) >= 4
    assert "4 brieven" in preview.windowTitle()
    preview.close()
    printed = []
    monkeypatch.setattr(letters_dialog, "print_pdf", lambda parent, pdf: printed.append(pdf))
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert len(printed) == 1 and pages(printed[0]) == total


def visible_buttons(dialog: LettersDialog) -> list[QAbstractButton]:
    return [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog) and b.text()]


@pytest.mark.parametrize("width, height", [(1366, 768), (911, 512)])
def test_the_letters_dialog_fits_a_laptop_at_100_and_150_percent(qtbot, made, width, height):
    """Issue 13: with the batch selected (the longest labels), the dialog's minimum size fits 1366x768 and
    911x512 (150 %), and at that size every button lies inside the dialog, not squeezed."""
    _ctx, _mid, dialog = made
    hint = dialog.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, f"needs {hint} on a {width}x{height} screen"
    dialog.resize(width, height)
    qtbot.waitUntil(lambda: dialog.width() == width and dialog.height() == height)
    QApplication.processEvents()
    buttons = visible_buttons(dialog)
    assert len(buttons) == 8
    for b in buttons:
        where = b.geometry().translated(b.parentWidget().mapTo(dialog, b.parentWidget().rect().topLeft()))
        assert dialog.rect().contains(where), f"{b.text()!r} at {where} outside {dialog.size()}"
        assert b.width() >= b.minimumSizeHint().width(), f"{b.text()!r} is squeezed"
    dialog.grab().save(f"/tmp/letters_batch_{width}x{height}.png")
