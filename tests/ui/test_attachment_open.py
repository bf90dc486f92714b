"""'Openen' hands the operating system a file named after its content, never the stored name (issue 9, item 9)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from commissie_app.services import applications as apps
from commissie_app.ui.application_editor import TAB_ATTACHMENTS
from tests.test_attachment_names import PDF, PNG, store_raw
from tests.ui.test_application_editor import (  # noqa: F401 - fixtures
    click_tab,
    drop_files,
    make_pdf,
    message_boxes,
    open_editor,
    registered,
)


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """What would have been handed to the operating system."""
    paths: list[Path] = []

    def open_url(url: QUrl) -> bool:
        assert url.isLocalFile()
        paths.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return paths


def test_attachments_stored_under_bad_names_open_under_safe_names(qtbot, open_editor, sqlite_ctx, registered, opened):
    """Issue 9, item 9: PDF content named .bat or .hta, PNG content named .html, a path and a device name
    in an older database: each is written under <stem>.<extension of the content> in a private folder."""
    rows = {
        "KvK-uittreksel.pdf.bat": (PDF, "KvK-uittreksel.pdf.pdf"),
        "bewijs.hta": (PDF, "bewijs.pdf"),
        "logo.html": (PNG, "logo.png"),
        "..\\..\\Startup\\con.pdf.": (PDF, "con_.pdf"),
    }
    for name, (data, _expected) in rows.items():
        store_raw(sqlite_ctx, registered, name, data, "application/pdf")
    dlg = open_editor(registered)
    click_tab(qtbot, dlg, TAB_ATTACHMENTS)
    panel = dlg.attachments
    assert panel.model.rowCount() == len(rows)
    for row in range(panel.model.rowCount()):
        stored = panel.model.index(row, 0).data()
        panel.select_row(row)
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
        data, expected = rows[stored]
        path = opened[-1]
        assert path.name == expected
        assert path.read_bytes() == data
        assert path.parent.parent == Path(panel._temp_dir.name)
    assert len(opened) == len(rows)
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(panel._temp_dir.name).st_mode) == 0o700
    # opening again reuses the copy (a viewer may still have it open)
    panel.select_row(0)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert opened[-1] == opened[0]


def test_a_dropped_file_whose_name_disagrees_with_its_content_is_refused(qtbot, open_editor, sqlite_ctx, registered,
                                                                          tmp_path, opened):
    """Issue 9, item 9: a PDF named bewijs.hta is refused with a Dutch message naming file, extension and content."""
    hta = make_pdf(tmp_path / "bewijs.hta")
    good = make_pdf(tmp_path / "bewijs.pdf")
    dlg = open_editor(registered)
    panel = dlg.attachments
    drop_files(panel, hta, good)
    text = panel.banner.text()
    assert "Het bestand ‘bewijs.hta’ heeft de extensie .hta, maar de inhoud is een PDF-bestand." in text
    assert [a.filename for a in apps.get_application(sqlite_ctx, registered).attachments] == ["bewijs.pdf"]
