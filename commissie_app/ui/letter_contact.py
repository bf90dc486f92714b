"""A letter refused because the letterhead names no contact person (issue 14): the message, and an offer to
open the settings page where the contact is filled in. Any other error is shown as usual."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from commissie_app.domain.errors import LetterContactMissingError
from commissie_app.i18n import _
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error


def show_letter_error(parent: QWidget, err: BaseException, title: str | None = None) -> None:
    """Show why a letter was not made; without a contact person, offer "Instellingen openen"."""
    if not isinstance(err, LetterContactMissingError):
        show_error(parent, err, title)
        return
    choice = widgets.ask(parent, title or _("Contactpersoon ontbreekt"), str(err),
                         [(_("Instellingen openen"), QMessageBox.ButtonRole.AcceptRole),
                          (_("Sluiten"), QMessageBox.ButtonRole.RejectRole)],
                         default=0, icon=QMessageBox.Icon.Warning)
    if choice == 0:
        open_settings(parent)


def open_settings(parent: QWidget) -> bool:
    """Show the main window's settings page; a modal dialog ``parent`` is in is closed first (it would block
    the main window). False when there is no main window (a dialog on its own)."""
    window = parent.window()
    main = parent
    while main is not None and not hasattr(main, "show_settings"):  # the main window this dialog belongs to
        main = main.parentWidget()
    if main is None:
        main = next((w for w in QApplication.topLevelWidgets() if hasattr(w, "show_settings") and w.isVisible()),
                    None)
    if main is None:
        return False
    if isinstance(window, QDialog) and window.isModal():
        window.reject()
    main.show_settings()
    return True
