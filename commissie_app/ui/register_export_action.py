"""Export of the public register for KIP's SROI page (issue 12): a file dialog with CSV, JSON and XLSX, the
work in the background with a progress dialog, and a message with the result. Used by the File menu
("Register exporteren…") and the Register page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from commissie_app.i18n import _, ngettext
from commissie_app.services.context import ServiceContext
from commissie_app.services.register_export import export_register as write_register
from commissie_app.ui.errors import show_error
from commissie_app.ui.tasks import Task, run_task
from commissie_app.ui.widgets import plain


def _filters() -> dict[str, str]:
    """File dialog filter -> extension; the first is the default."""
    return {
        _("JSON voor de website van KIP (*.json)"): ".json",
        _("Excel-werkmap (*.xlsx)"): ".xlsx",
        _("CSV-bestand (*.csv)"): ".csv",
    }


def export_register(parent: QWidget | None, ctx: ServiceContext) -> Task | None:
    """Ask for a file (CSV, JSON or XLSX) and write the public register to it; None when cancelled."""
    title = _("Register exporteren")
    filters = _filters()
    suggested = f"register-erkenningen-{dt.date.today():%Y-%m-%d}.json"
    name, chosen = QFileDialog.getSaveFileName(parent, title, suggested, ";;".join(filters))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in filters.values():
        path = path.with_name(path.name + filters.get(chosen, ".json"))

    def written(n: int) -> None:
        QMessageBox.information(parent, title, plain(ngettext(
            "{n} erkenning geëxporteerd naar {file}.", "{n} erkenningen geëxporteerd naar {file}.", n).format(
            n=n, file=path) + "\n\n" + _("Het bestand bevat de organisaties die vandaag de SROI-badge mogen voeren, "
                                        "zonder persoonsgegevens.")))

    return run_task(parent, lambda: write_register(ctx, path), on_success=written,
                    on_failure=lambda err: show_error(parent, err, _("Exporteren niet gelukt")),
                    label=_("Register exporteren naar {name}…").format(name=path.name))
