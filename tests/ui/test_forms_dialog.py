"""Adopting a new form version from the menu and seeing what changed."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from commissie_app.domain.form_loader import shipped_form_paths
from commissie_app.services import assessments as svc
from commissie_app.ui.main_window import MainWindow


def test_menu_adopts_a_new_version_and_shows_the_changes(qtbot, sqlite_ctx, tmp_path, monkeypatch, message_boxes):
    window = MainWindow(sqlite_ctx)
    qtbot.addWidget(window)
    window.forms_action.trigger()
    dialog = window.forms_dialog
    assert [(f.version) for f in dialog.rows] == [1]
    assert "eerste vastgestelde versie" in dialog.changes.toPlainText()

    v1 = shipped_form_paths()[0].read_text(encoding="utf-8")
    v2 = v1.replace("version = 1", "version = 2", 1).replace(
        "Is de organisatie lid van Social Enterprise NL?", "Is de organisatie aangesloten bij Social Enterprise NL?")
    assert v2 != v1
    path = tmp_path / "v2.toml"
    path.write_text(v2, encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    dialog.adopt_button.click()
    assert [f.version for f in dialog.rows] == [1, 2]
    text = dialog.changes.toPlainText()
    assert "Versie 1 → versie 2" in text and "aangesloten bij Social Enterprise NL" in text

    # the same version number with other content is refused, in Dutch, and nothing changes
    path.write_text(v2.replace("aangesloten bij", "verbonden aan"), encoding="utf-8")
    dialog.adopt_button.click()
    assert message_boxes.shown and "nieuw versienummer" in str(message_boxes.shown[-1])
    assert [f.version for f in svc.list_forms(sqlite_ctx)] == [1, 2]
