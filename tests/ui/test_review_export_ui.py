"""Issue 11: the secretary makes, lists and revokes review packages and registers a member's laptop key through the
real widgets (Documenten › Beoordelingspakketten…, Bestand › Gebruikers en rollen › Sleutel registreren…)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog

from commissie_app.domain.codes import Role
from commissie_app.domain.review_crypto import KeyPair, open_sealed
from commissie_app.domain.review_format import read_package
from commissie_app.services import review_export
from commissie_app.services.review_keys import member_key
from commissie_app.ui import tasks
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.meeting_view import MeetingView
from commissie_app.ui.review_export_dialog import ReviewExportDialog
from commissie_app.ui.review_key_dialog import KeyRegisterDialog
from commissie_app.ui.users_dialog import UsersDialog
from tests.conftest import make_ctx
from tests.test_review_export import build_world

pytestmark = pytest.mark.usefixtures("answers")


@pytest.fixture
def world(sqlite_db, monkeypatch):
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    return build_world(sqlite_db)


@pytest.fixture
def save_as(monkeypatch, tmp_path):
    """QFileDialog.getSaveFileName answers with a file in tmp_path/uit; ``offered`` keeps the suggested name."""
    folder = tmp_path / "uit"
    folder.mkdir()
    chosen = {"offered": [], "folder": folder}

    def get_save_file_name(parent, caption, directory, filters):
        chosen["offered"].append(directory)
        return str(folder / directory.rsplit("/", 1)[-1]), filters
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    return chosen


def _dialog(qtbot, world) -> ReviewExportDialog:
    dlg = ReviewExportDialog(world.sec, world.meeting)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _box(dlg, name):
    return next(b for b in dlg.boxes if b.text().startswith(name))


def _click(qtbot, widget) -> None:
    """A click where a user clicks: on a check box's box (its middle may be empty space), else the middle."""
    pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_make_a_package_for_a_member_with_a_key(qtbot, world, save_as):
    """Issue 11: the secretary ticks a member, chooses the file (name proposed) and gets the package, shown in the list
    with its fingerprint; a member without a key cannot be ticked except in passphrase mode."""
    dlg = _dialog(qtbot, world)
    lars, nora = _box(dlg, "Lars Lid"), _box(dlg, "Nora Nieuw")
    assert lars.text() == f"Lars Lid (sleutel {world.lars_keys.public().fingerprint()})"
    assert nora.text() == "Nora Nieuw (geen sleutel)" and not nora.isEnabled()
    assert not dlg.make_button.isEnabled() and dlg.table.rowCount() == 0
    _click(qtbot, lars)
    assert dlg.make_button.isEnabled()
    _click(qtbot, dlg.make_button)

    assert save_as["offered"][-1].endswith("/beoordeling-2026-12-15-lars-lid.kippakket")
    path = save_as["folder"] / "beoordeling-2026-12-15-lars-lid.kippakket"
    content = read_package(open_sealed(path.read_bytes(), identity=world.lars_keys).entries)
    assert [m.name for m in content.manifest.members] == ["Lars Lid"]
    text = dlg.result_label.text()
    assert f"Pakket opgeslagen: {path}" in text and "geldig tot en met 14 januari 2027" in text
    assert f"Voor Lars Lid (sleutel {world.lars_keys.public().fingerprint()})" in text
    assert dlg.table.rowCount() == 1
    assert [dlg.table.item(0, c).text() for c in range(1, 6)] == ["Lars Lid", "sleutel", "14 januari 2027", "0",
                                                                  "geldig"]


def test_passphrase_mode_for_a_member_without_a_key(qtbot, world, save_as, message_boxes):
    """Issue 11: in passphrase mode the member without a key can be chosen; two different passphrases are refused,
    a too short one too (Dutch messages), a good one makes a package that opens with it."""
    dlg = _dialog(qtbot, world)
    _click(qtbot, dlg.use_passphrase)
    nora = _box(dlg, "Nora Nieuw")
    assert nora.isEnabled() and dlg.passphrase.isVisible()
    _click(qtbot, nora)
    qtbot.keyClicks(dlg.passphrase, "een lange zin als wachtwoord")
    qtbot.keyClicks(dlg.passphrase_again, "een andere zin")
    _click(qtbot, dlg.make_button)
    assert message_boxes.texts("warning")[-1] == "De twee wachtwoorden zijn niet gelijk."
    dlg.passphrase.clear(), dlg.passphrase_again.clear()
    for edit in (dlg.passphrase, dlg.passphrase_again):
        qtbot.keyClicks(edit, "kort")
    _click(qtbot, dlg.make_button)
    assert "ten minste 10 tekens" in message_boxes.texts("warning")[-1]
    assert list(save_as["folder"].iterdir()) == []

    dlg.passphrase.clear(), dlg.passphrase_again.clear()
    for edit in (dlg.passphrase, dlg.passphrase_again):
        qtbot.keyClicks(edit, "een lange zin als wachtwoord")
    _click(qtbot, dlg.make_button)
    [path] = save_as["folder"].iterdir()
    assert path.name == "beoordeling-2026-12-15-nora-nieuw.kippakket"
    open_sealed(path.read_bytes(), passphrase="een lange zin als wachtwoord")
    assert "Geef het wachtwoord apart door" in dlg.result_label.text()
    assert dlg.table.item(0, 2).text() == "wachtwoord" and dlg.passphrase.text() == ""
    _click(qtbot, dlg.use_passphrase)
    assert not nora.isEnabled() and not nora.isChecked()


def test_revoke_a_package_with_a_reason(qtbot, world, save_as, answers, monkeypatch):
    """Issue 11: "Intrekken…" asks a reason and a confirmation; the list then shows the package as revoked."""
    made = review_export.export_package(world.sec, world.meeting, [world.lars.actor.user_id], save_as["folder"] / "a")
    dlg = _dialog(qtbot, world)
    assert not dlg.revoke_button.isEnabled()
    dlg.table.selectRow(0)
    assert dlg.revoke_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Laptop verloren", True)))
    queue, asked = answers
    queue.append(1)  # Annuleren
    _click(qtbot, dlg.revoke_button)
    assert "Het pakket voor Lars Lid (vergadering van 15 december 2026) intrekken?" in asked[-1]
    assert review_export.list_packages(world.sec)[0].revoked_at is None
    queue.append(0)  # Intrekken
    _click(qtbot, dlg.revoke_button)
    info = review_export.list_packages(world.sec)[0]
    assert info.id == made.package_id and info.revoke_reason == "Laptop verloren"
    assert dlg.table.item(0, 5).text() == "ingetrokken: Laptop verloren"
    dlg.table.selectRow(0)
    assert not dlg.revoke_button.isEnabled()


def test_register_a_key_in_the_users_dialog(qtbot, world, monkeypatch):
    """Issue 11: Gebruikers en rollen shows who has a key; "Sleutel registreren…" takes the pasted line, shows the
    fingerprint to compare with the member before saving, and stores it."""
    users_dlg = UsersDialog(world.sec)
    qtbot.addWidget(users_dlg)
    users_dlg.show()
    row = next(r for r, u in enumerate(users_dlg.users) if u.name == "Nora Nieuw")
    assert users_dlg.table.item(row, 4).text() == "geen sleutel"
    assert not users_dlg.key_button.isEnabled()
    users_dlg.table.selectRow(row)
    assert users_dlg.key_button.isEnabled()
    keys = KeyPair.generate()
    seen = []

    def fill(dlg):
        qtbot.addWidget(dlg)
        dlg.show()
        seen.append(dlg)
        qtbot.keyClicks(dlg.key, "geen sleutel")
        assert dlg.fingerprint.text() == "Dit is (nog) geen geldige sleutel." and not dlg.ok_button.isEnabled()
        dlg.key.clear()
        qtbot.keyClicks(dlg.key, keys.public().text())
        assert dlg.fingerprint.text() == (f"Vingerafdruk: {keys.public().fingerprint()}\nVergelijk deze vingerafdruk "
                                          "met het lid (telefonisch of persoonlijk).")
        _click(qtbot, dlg.ok_button)
        return dlg.result()

    monkeypatch.setattr(KeyRegisterDialog, "exec", fill)
    _click(qtbot, users_dlg.key_button)
    assert seen and member_key(world.sec, world.nora_id).key == keys.public()
    assert users_dlg.table.item(row, 4).text() == keys.public().fingerprint()


def test_only_the_secretary_gets_the_package_menu_and_the_key_button(qtbot, world):
    """Issue 11: Bestand › Beoordelingspakketten… and the key button are for the secretary only; the meeting's
    Documenten menu offers the packages to the secretary, not to a member."""
    member = make_ctx(world.db, "Lars Lid", Role.MEMBER)
    for ctx, allowed in ((world.sec, True), (member, False)):
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        assert w.review_packages_action.isEnabled() is allowed
        if allowed:
            w.review_packages_action.trigger()
            qtbot.addWidget(w.review_dialog)
            assert w.review_dialog.meeting_id() == world.meeting and w.review_dialog.isVisible()
        users_dlg = UsersDialog(ctx)
        qtbot.addWidget(users_dlg)
        users_dlg.table.selectRow(0)
        assert users_dlg.key_button.isEnabled() is allowed
        view = MeetingView(ctx)
        qtbot.addWidget(view)
        view.load(world.meeting)
        view.documents_button.menu().aboutToShow.emit()
        assert view.documents_button.review_action.isVisible() is allowed
        if allowed:
            assert view.documents_button.review_action.isEnabled()
            view.documents_button.review_action.trigger()
            dialog = view.documents_button._review_dialog
            qtbot.addWidget(dialog)
            assert dialog.meeting_id() == world.meeting


def test_key_from_a_file_and_removing_a_key(qtbot, world, tmp_path, monkeypatch, answers):
    """Issue 11: the key can come from the small file the member sent; a registered key can be removed (asked first)."""
    from commissie_app.services.users import list_users

    keys = KeyPair.generate()
    key_file = tmp_path / "sleutel.txt"
    key_file.write_text("Sleutel van de laptop van Nora\n" + keys.public().text() + "\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(key_file), "")))
    nora = next(u for u in list_users(world.sec) if u.name == "Nora Nieuw")
    dlg = KeyRegisterDialog(world.sec, nora)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.current.text() == "Er is nog geen sleutel geregistreerd." and not dlg.remove_button.isVisible()
    _click(qtbot, dlg.from_file)
    assert dlg.key.text() == keys.public().text() and keys.public().fingerprint() in dlg.fingerprint.text()
    _click(qtbot, dlg.ok_button)
    assert dlg.result() == dlg.DialogCode.Accepted and member_key(world.sec, world.nora_id).key == keys.public()

    nora = next(u for u in list_users(world.sec) if u.name == "Nora Nieuw")
    again = KeyRegisterDialog(world.sec, nora, keys.public().fingerprint())
    qtbot.addWidget(again)
    again.show()
    assert again.current.text() == f"Huidige sleutel: {keys.public().fingerprint()}" and again.remove_button.isVisible()
    queue, asked = answers
    queue.append(0)
    _click(qtbot, again.remove_button)
    assert "De sleutel van Nora Nieuw verwijderen?" in asked[-1]
    assert member_key(world.sec, world.nora_id).key is None
