"""Bestand › Register exporteren… and ``ui/register_export_action.export_register`` (issue 12), through
pytest-qt on SQLite with the demo data."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QWidget

from commissie_app.domain.codes import Role
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.register_export_action import export_register
from tests.conftest import make_ctx
from tests.ui.test_transfer_actions import save_file, synchronous  # noqa: F401 - fixtures

NAMES = ["Wasserette Werkkans (demo)", "Zzp Duurzaam Advies Zandvoort (demo)"]


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def test_dialog_offers_the_three_formats_and_adds_the_chosen_extension(qtbot, demo, tmp_path, save_file, synchronous,
                                                                       message_boxes):
    """Issue 12: the file dialog offers JSON, XLSX and CSV; a name without extension gets the chosen format's;
    the result message says how many recognitions went where."""
    parent = QWidget()
    qtbot.addWidget(parent)
    save_file["name"], save_file["filter"] = str(tmp_path / "kip"), "CSV-bestand (*.csv)"

    export_register(parent, demo)

    assert save_file["offered"] == ["JSON voor de website van KIP (*.json)", "Excel-werkmap (*.xlsx)",
                                    "CSV-bestand (*.csv)"]
    target = tmp_path / "kip.csv"
    assert [line.split(";")[0] for line in target.read_text(encoding="utf-8-sig").splitlines()[1:]] == NAMES
    ((kind, title, text),) = message_boxes.shown
    assert (kind, title) == ("information", "Register exporteren")
    assert f"2 erkenningen geëxporteerd naar {target}." in text and "zonder persoonsgegevens" in text


def test_cancelled_dialog_writes_nothing(qtbot, demo, tmp_path, save_file, synchronous, message_boxes):
    """Issue 12: cancelling the file dialog writes no file and shows no message."""
    assert export_register(None, demo) is None
    assert save_file["calls"] == 1 and message_boxes.shown == [] and not list(tmp_path.glob("*.json"))


def test_a_file_that_cannot_be_written_is_a_dutch_warning(qtbot, demo, tmp_path, save_file, synchronous,
                                                          message_boxes):
    """Issue 12: a folder that does not exist gives the Dutch message, not a crash."""
    save_file["name"] = str(tmp_path / "bestaat-niet" / "kip.json")
    export_register(None, demo)
    ((kind, title, text),) = message_boxes.shown
    assert (kind, title) == ("warning", "Exporteren niet gelukt")
    assert "kan niet worden geschreven" in text


@pytest.mark.parametrize("who, role", [("Sanne Secretaris", Role.SECRETARY), ("Willem Waarnemer", Role.OBSERVER)])
def test_file_menu_exports_the_register_for_every_role(qtbot, demo, tmp_path, save_file, synchronous, message_boxes,
                                                       who, role):
    """Issue 12: Bestand › Register exporteren… writes the public register (JSON here), also for an observer,
    who may not export the applications."""
    ctx = make_ctx(demo.db, who, role)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    file_menu = window.menuBar().actions()[0].menu()
    assert window.register_export_action in file_menu.actions()
    assert window.register_export_action.text().replace("&", "") == "Register exporteren…"
    assert window.register_export_action.isEnabled()
    assert window.export_action.isEnabled() is (role is Role.SECRETARY)
    save_file["name"], save_file["filter"] = str(tmp_path / "register.json"), ""

    window.register_export_action.trigger()

    doc = json.loads((tmp_path / "register.json").read_text(encoding="utf-8"))
    assert [r["organisation"] for r in doc["recognitions"]] == NAMES
    assert message_boxes.texts("information")
