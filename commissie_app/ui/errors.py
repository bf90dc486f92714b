"""Showing errors to the user: domain errors as they are, anything else in Dutch with the log file named.

An unexpected error (a bug, a driver error the services did not turn into a domain error) is logged with
its traceback and shown in ``ui/error_dialog.UnexpectedErrorDialog``: a Dutch explanation that nothing was
half saved and where the log file is, buttons to open the log folder and copy the details, and the technical
text (the exception's class and message, in English) only under "Details".
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def show_error(parent: QWidget | None, err: BaseException, title: str | None = None) -> None:
    """A domain error shows its Dutch message; an unexpected one is logged and shown with the log file."""
    from PySide6.QtWidgets import QMessageBox  # here: importing it creates its enums (start-up time)

    from commissie_app.ui.widgets import plain  # messages quote names and files a user typed

    if isinstance(err, DomainError):
        QMessageBox.warning(parent, title or _("Niet gelukt"), plain(str(err)))
        return
    import logging  # imported when needed: logging is not on the start path of the window

    from commissie_app.ui.error_dialog import UnexpectedErrorDialog

    logging.getLogger(__name__).error("unexpected error", exc_info=(type(err), err, err.__traceback__))
    UnexpectedErrorDialog(parent, err, title).exec()


def install_excepthook() -> None:
    """Unexpected errors in slots end up here instead of killing the app."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            from PySide6.QtWidgets import QApplication

            show_error(QApplication.activeWindow(), exc)  # logs it with its traceback
        except Exception:  # pragma: no cover - last resort
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
