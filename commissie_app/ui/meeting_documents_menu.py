"""The 'Documenten' menu of a meeting: agenda PDF, invitation (.ics), minutes PDF, decision letters."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton, QWidget

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.i18n import _
from commissie_app.ui.errors import show_error


class MeetingDocumentsButton(QPushButton):
    """A button with a menu; ``detail()`` returns the meeting shown (or None)."""

    def __init__(self, ctx_getter: Callable, detail_getter: Callable, parent: QWidget | None = None):
        super().__init__(_("Documenten"), parent)
        self._ctx, self._detail = ctx_getter, detail_getter
        menu = QMenu(self)
        self.agenda_action = menu.addAction(_("Agenda als PDF…"), self.save_agenda)
        self.ics_action = menu.addAction(_("Uitnodiging (.ics)…"), self.save_ics)
        self.minutes_action = menu.addAction(_("Notulen als PDF…"), self.save_minutes)
        menu.addSeparator()
        self.letters_action = menu.addAction(_("Besluitbrieven…"), self.open_letters)
        self.review_action = menu.addAction(_("Beoordelingspakketten…"), self.open_review_packages)
        menu.aboutToShow.connect(self._update)
        self.setMenu(menu)

    def _update(self) -> None:
        detail = self._detail()
        closed = detail is not None and detail.status is MeetingStatus.CLOSED
        self.letters_action.setEnabled(closed)
        self.letters_action.setToolTip("" if closed else _("Besluitbrieven worden gemaakt na het sluiten."))
        from commissie_app.domain.permissions import Action
        from commissie_app.services.access import may

        self.review_action.setVisible(may(self._ctx(), Action.REVIEW_PACKAGES))
        self.review_action.setEnabled(detail is not None and not closed)

    def _default_name(self, kind: str, suffix: str) -> str:
        detail = self._detail()
        day = detail.local_start.strftime("%Y-%m-%d") if detail else ""
        return f"{kind}-{day}{suffix}"

    def _save(self, title: str, name: str, pattern: str, produce: Callable[[], bytes]) -> Path | None:
        detail = self._detail()
        if detail is None:
            return None
        path, _filter = QFileDialog.getSaveFileName(self, title, name, pattern)
        if not path:
            return None
        try:
            data = produce()
            Path(path).write_bytes(data)
        except OSError as err:
            QMessageBox.warning(self, _("Niet gelukt"),
                                _("Het bestand kon niet worden geschreven: {err}").format(err=err.strerror or err))
            return None
        except Exception as err:  # domain errors as they are, the rest logged
            show_error(self, err)
            return None
        return Path(path)

    def save_agenda(self) -> Path | None:
        from commissie_app.services.meeting_documents import agenda_pdf

        return self._save(_("Agenda opslaan"), self._default_name("agenda", ".pdf"), _("PDF (*.pdf)"),
                          lambda: agenda_pdf(self._ctx(), self._detail().id))

    def save_ics(self) -> Path | None:
        from commissie_app.services.meeting_documents import agenda_ics

        return self._save(_("Uitnodiging opslaan"), self._default_name("vergadering", ".ics"),
                          _("Agenda-uitnodiging (*.ics)"), lambda: agenda_ics(self._ctx(), self._detail().id))

    def save_minutes(self) -> Path | None:
        from commissie_app.services.meeting_documents import minutes_pdf

        return self._save(_("Notulen opslaan"), self._default_name("notulen", ".pdf"), _("PDF (*.pdf)"),
                          lambda: minutes_pdf(self._ctx(), self._detail().id))

    def open_letters(self) -> None:
        detail = self._detail()
        if detail is None:
            return
        from commissie_app.ui.letters_dialog import LettersDialog

        dialog = LettersDialog(self._ctx(), detail.id, self.window())
        dialog.show()
        self._letters_dialog = dialog

    def open_review_packages(self) -> None:
        detail = self._detail()
        if detail is None:
            return
        from commissie_app.ui.review_export_dialog import ReviewExportDialog

        dialog = ReviewExportDialog(self._ctx(), detail.id, self.window())
        dialog.show()
        self._review_dialog = dialog
