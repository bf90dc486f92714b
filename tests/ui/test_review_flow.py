"""Issue 11, end to end through the real widgets: the secretary makes a member's review package, the member reviews
it in the offline window (the laptop's own key, no database), the same assessment also changes on the server, and
the secretary imports the return, sees the conflict side by side and takes the laptop's answers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog

from commissie_app.services import assessments, review_export
from commissie_app.services.laptop_keys import laptop_public_key
from commissie_app.services.review_keys import register_member_key
from commissie_app.ui import tasks
from commissie_app.ui.review_export_dialog import ReviewExportDialog
from commissie_app.ui.review_import_dialog import ReviewImportDialog
from commissie_app.ui.review_window import open_review_package
from tests.test_assessments_service import COMPLETE_GRANT
from tests.test_review_export import SECRET_SENTENCE, build_world
from tests.ui.test_form_renderer import answer
from tests.ui.test_roles_ui import window_for


def _click(qtbot, widget) -> None:
    pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def test_export_review_offline_and_merge_a_conflict(qtbot, sqlite_db, tmp_path, monkeypatch, answers,
                                                     message_boxes):
    """Issue 11: export -> offline review -> return -> import with a conflict chosen by the secretary: the database
    holds the laptop's final assessment on the form version it was made with, and the audit names member and package."""
    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    queue, asked = answers
    world = build_world(sqlite_db)
    # the member's laptop: its own key (COMMISSIE_HOME of this test), registered by the secretary
    register_member_key(world.sec, world.lars.actor.user_id, laptop_public_key().text())
    (app_a, _app_b, _c) = world.apps

    # 1. the secretary makes the package for Lars through the export dialog
    folder = tmp_path / "uit"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda parent, caption, directory, filters: (str(folder / Path(directory).name), filters)))
    export = ReviewExportDialog(world.sec, world.meeting)
    qtbot.addWidget(export)
    export.show()
    _click(qtbot, next(b for b in export.boxes if b.text().startswith("Lars Lid")))
    _click(qtbot, export.make_button)
    (package,) = folder.glob("*.kippakket")
    base = next(a for a in assessments.assessments_for(world.sec, app_a) if a.assessor == "Lars Lid")

    # 2. offline on the laptop: Lars completes his assessment of application A and makes it final
    window = open_review_package(package)  # deletes itself when closed
    window.select_application(app_a)
    window.tabs.setCurrentIndex(2)
    evidence = next(att for att, blob in world.attachments.items() if SECRET_SENTENCE.encode() in blob)  # A's
    for key, value in dict(COMPLETE_GRANT, crit_pso30_evidence=evidence).items():
        answer(window.renderer, qtbot, key, value)
    _click(qtbot, window.final_button)
    returned = tmp_path / "terug.kipretour"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, title, start, flt: (str(returned), flt)))
    queue.append(1)  # keep the package on the laptop
    window.return_action.trigger()
    assert returned.exists()
    window.close()

    # 3. meanwhile Lars also changed the same (draft) assessment on the shared server
    on_server = assessments.save_answers(world.lars, base.id, {"region_established": "nee"}, base.version)

    # 4. the secretary imports the return; the conflict shows both sides; she takes the package's version
    main = window_for(qtbot, world.sec)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda parent, caption, directory, filters: ([str(returned)], filters)))
    main.review_import_action.trigger()
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, ReviewImportDialog) and d.isVisible())
    (view,) = dialog.conflict_views
    rows = {label: (db_side, package_side) for label, db_side, package_side in view.rows()}
    assert rows["Status"] == ("concept", "definitief")
    assert rows["Is de organisatie gevestigd in de regio Zuid-Kennemerland/IJmond?"] == ("nee", "ja")
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(view.take_package, Qt.MouseButton.LeftButton)
    queue.append(0)  # "Inlezen"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    after = assessments.get_assessment(world.sec, base.id)
    assert after.state == "final" and after.answers["advice_motivation"] == COMPLETE_GRANT["advice_motivation"]
    assert after.form_row_id == base.form_row_id and after.version > on_server.version
    (info,) = review_export.list_packages(world.sec, world.meeting)
    assert info.returns == 1
    from sqlalchemy import select

    from commissie_app.db.models import AuditEvent
    with sqlite_db.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "review_import")).all()
    text = " ".join(str(e.new_values) for e in events)
    assert "Lars Lid" in text and str(info.id) in text
