"""Showing errors to the user: domain errors as they are, anything else with the log file named."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.logging_setup import log_file

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget



def show_error(parent: QWidget | None, err: BaseException, title: str | None = None) -> None:
    """A domain error shows its Dutch message; an unexpected one is logged and names the log file."""
    from PySide6.QtWidgets import QMessageBox  # here: importing it creates its enums (start-up time)

    from commissie_app.ui.widgets import plain  # messages quote names and files a user typed

    if isinstance(err, DomainError):
        QMessageBox.warning(parent, title or _("Niet gelukt"), plain(str(err)))
        return
    import logging  # imported when needed: logging is not on the start path of the window

    logging.getLogger(__name__).error("unexpected error", exc_info=(type(err), err, err.__traceback__))
    QMessageBox.critical(
        parent,
        title or _("Onverwachte fout"),
        plain(_(
            "Er ging iets onverwachts mis. Er is niets half opgeslagen.\n\n"
            "De details staan in het logbestand:\n{path}\n\n({kind}: {msg})"
        ).format(path=log_file(), kind=type(err).__name__, msg=err)),
    )


def install_excepthook() -> None:
    """Unexpected errors in slots end up here instead of killing the app."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        import logging
        import traceback

        logging.getLogger(__name__).error(
            "uncaught exception:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        try:
            from PySide6.QtWidgets import QApplication

            show_error(QApplication.activeWindow(), exc)
        except Exception:  # pragma: no cover - last resort
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
