"""The letters dialog: generate the demo meeting's letters, look at one, save, mark one as sent."""

from __future__ import annotations

import email
import email.policy
import hashlib
import io

import pypdf

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.errors import DomainError
from commissie_app.services import letter_archive, letter_generation, meeting_detail, meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.ui import tasks
from commissie_app.ui.letters_dialog import LettersDialog, MarkSentDialog


@pytest.fixture
def demo(sqlite_ctx, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    create_demo_data(sqlite_ctx)
    rows = meeting_planning.list_meetings(sqlite_ctx)
    closed = next(r.id for r in rows if r.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(sqlite_ctx, r.id).items))
    planned = next(r.id for r in rows if r.status is MeetingStatus.PLANNED)
    return sqlite_ctx, closed, planned


def open_dialog(qtbot, ctx, mid) -> LettersDialog:
    dialog = LettersDialog(ctx, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_row(qtbot, dialog: LettersDialog, row: int) -> None:
    table = dialog.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(dialog, row, col) -> str:
    return dialog.table.item(row, col).text()


def test_generate_preview_save_and_mark_sent(qtbot, demo, monkeypatch, tmp_path, message_boxes):
    ctx, mid, _planned = demo
    dialog = open_dialog(qtbot, ctx, mid)
    assert dialog.table.rowCount() == 0
    assert "nog geen brieven" in dialog.banner.text()
    for b in (dialog.preview_button, dialog.save_button, dialog.sent_button):
        assert not b.isEnabled()

    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 4
    assert "4 besluitbrieven gemaakt" in dialog.banner.text()
    assert [cell(dialog, r, 0) for r in range(4)] == ["KIP-2026-001", "KIP-2026-002", "KIP-2026-003", "KIP-2026-004"]
    assert [cell(dialog, r, 2) for r in range(4)] == ["toegekend", "voorwaardelijk toegekend", "afgewezen",
                                                      "aangehouden"]
    assert {cell(dialog, r, 3) for r in range(4)} == {"1"}
    assert {cell(dialog, r, 5) for r in range(4)} == {"nog niet"}
    dialog.grab().save("/tmp/letters_dialog.png")

    # preview: the archived letter's pages are shown inside the app
    click_row(qtbot, dialog, 1)
    info = dialog.selected()
    assert info.kenmerk == "KIP-2026-002"
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    preview = dialog.preview_dialog
    qtbot.waitUntil(preview.isVisible)
    assert hashlib.sha256(preview.pdf).hexdigest() == info.sha256
    assert len(preview.page_labels) == len(pypdf.PdfReader(io.BytesIO(preview.pdf)).pages) >= 1
    page = preview.pages[0]
    assert page.width() < page.height() and page.width() > 500  # an A4 page, portrait
    preview.grab().save("/tmp/letter_preview.png")
    preview.close()

    # save as PDF
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == info.sha256
    assert str(target) in dialog.banner.text()

    # e-mail draft
    eml = tmp_path / "concept.eml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(eml), ""))
    qtbot.mouseClick(dialog.eml_button, Qt.MouseButton.LeftButton)
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert "KIP-2026-002" in msg["Subject"] and msg["To"].addresses[0].addr_spec == info.organisation_email

    # mark as sent by e-mail, through the real dialog's controls
    def fill_and_accept(self):
        qtbot.mouseClick(self.email_radio, Qt.MouseButton.LeftButton)
        assert self.date_edit.date() == ctx.today()
        qtbot.mouseClick(self.buttons.button(self.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(MarkSentDialog, "exec", fill_and_accept)
    qtbot.mouseClick(dialog.sent_button, Qt.MouseButton.LeftButton)
    assert cell(dialog, 1, 5) == "23 november 2026 per e-mail"
    assert dialog.selected().kenmerk == "KIP-2026-002"
    assert not dialog.sent_button.isEnabled()  # a sent letter is final
    assert letter_archive.get_letter(ctx, info.id).sent_via == "email"
    assert message_boxes.shown == []

    # regenerate: the sent letter gets version 2 and stays as it was; unchanged unsent ones are re-used
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 5
    assert "1 besluitbrief gemaakt en gearchiveerd. 3 brieven ongewijzigd" in dialog.banner.text()
    versions = [(cell(dialog, r, 0), cell(dialog, r, 3), cell(dialog, r, 5)) for r in range(5)]
    assert ("KIP-2026-002", "1", "23 november 2026 per e-mail") in versions
    assert ("KIP-2026-002", "2", "nog niet") in versions
    dialog.grab().save("/tmp/letters_dialog_2.png")


def test_mark_sent_dialog_refuses_a_future_date(qtbot, demo):
    ctx, mid, _planned = demo
    info = letter_generation.generate_letters(ctx, mid)[0]
    dialog = MarkSentDialog(info, ctx.today())
    qtbot.addWidget(dialog)
    dialog.date_edit.clear()
    qtbot.keyClicks(dialog.date_edit, "24-11-2026")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "toekomst" in dialog.error_label.text()
    assert not letter_archive.get_letter(ctx, info.id).is_sent


def test_meeting_not_closed_cannot_generate(qtbot, demo):
    ctx, _mid, planned = demo
    dialog = open_dialog(qtbot, ctx, planned)
    assert not dialog.generate_button.isEnabled()
    assert "gesloten" in dialog.banner.text()
    assert dialog.table.rowCount() == 0


def test_generation_failure_is_shown_and_nothing_archived(qtbot, demo, monkeypatch, message_boxes):
    ctx, mid, _planned = demo
    dialog = open_dialog(qtbot, ctx, mid)

    def broken(*args, **kwargs):
        raise DomainError("Sjabloon kapot")

    monkeypatch.setattr(letter_generation, "render_letter_document", broken)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert any("Sjabloon kapot" in t for t in message_boxes.texts("warning"))
    assert letter_archive.list_letters(ctx, mid) == []
    assert dialog.table.rowCount() == 0


def test_letter_changed_outside_the_app_is_not_shown_printed_or_saved(qtbot, demo, monkeypatch, tmp_path,
                                                                      message_boxes):
    """Issue 9, item 3: preview, print, save as PDF and e-mail draft all refuse a forged archived letter."""
    from commissie_app.db.models import DecisionLetter
    from commissie_app.ui import letters_dialog

    ctx, mid, _planned = demo
    info = letter_generation.generate_letters(ctx, mid)[0]
    table = DecisionLetter.__table__
    with ctx.db.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == info.id).values(pdf=b"%PDF-1.4 vervalst"))
    dialog = open_dialog(qtbot, ctx, mid)
    click_row(qtbot, dialog, 0)
    printed, previews = [], []
    monkeypatch.setattr(letters_dialog, "print_pdf", lambda parent, pdf: printed.append(pdf))
    monkeypatch.setattr(letters_dialog, "PdfPreviewDialog", lambda *a, **k: previews.append(a))
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    for button in (dialog.preview_button, dialog.print_button, dialog.save_button, dialog.eml_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    warnings = message_boxes.texts("warning")
    assert len(warnings) == 4 and all("buiten de app gewijzigd" in t for t in warnings)
    assert printed == [] and previews == [] and not target.exists()
