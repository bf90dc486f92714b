"""Export of the application list to CSV or XLSX; the import lives in ``importing``/``import_file``.

The CSV export uses exactly the import's columns, so an exported file imports again unchanged; a cell a
spreadsheet would run as a formula is written with a quote in front, which the import removes (``csv_safe``).
``import_applications``, ``ImportResult`` and ``COLUMNS`` are importable from here as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import uuid
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from commissie_app.db.models import Application, Organisation
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services.applications import _org_to_data
from commissie_app.services.access import require
from commissie_app.domain.permissions import Action
from commissie_app.services.context import ServiceContext
from commissie_app.services.csv_safe import write_csv
from commissie_app.services.import_file import COLUMNS
from commissie_app.services.importing import ImportResult, import_applications
from commissie_app.services.uow import UnitOfWork

__all__ = ["COLUMNS", "ImportResult", "export_applications", "import_applications"]

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Export


EXPORT_BATCH = 500  # applications read from the database at a time while the file is written
TEXT_COLUMNS = frozenset({"kvk", "postcode", "telefoon"})  # text cells in XLSX, so leading zeros stay
XLSX_WIDTHS = {"naam": 40, "missie": 50, "adres": 28, "criteria": 24, "impactdomeinen": 32, "email": 28, "website": 26}


def _export_applications(session: Session, ids: list[uuid.UUID] | None) -> Iterator[Application]:
    """The applications to export, read in batches while they are written (never the whole list at once)."""
    stmt = (select(Application).join(Application.organisation)
            .options(contains_eager(Application.organisation), selectinload(Application.evidence)))
    if ids is None:
        stmt = stmt.order_by(Application.received_on, func.lower(Organisation.name), Organisation.kvk)
        yield from session.scalars(stmt.execution_options(yield_per=EXPORT_BATCH))
        return
    wanted = list(dict.fromkeys(ids))
    for i in range(0, len(wanted), EXPORT_BATCH):
        chunk = wanted[i:i + EXPORT_BATCH]
        found = {a.id: a for a in session.scalars(stmt.where(Application.id.in_(chunk)))}
        yield from (found[a] for a in chunk if a in found)


def _export_records(apps: Iterable[Application]) -> Iterator[dict[str, object]]:
    order = {c: n for n, c in enumerate(Criterion)}
    for app in apps:
        org = _org_to_data(app.organisation)
        criteria = sorted((e.criterion for e in app.evidence), key=order.__getitem__)
        yield {
            "naam": org.name,
            "kvk": org.kvk,
            "rechtsvorm": org.legal_form.label,
            "gemeente": org.municipality.label,
            "adres": org.street,
            "postcode": org.postcode,
            "plaats": org.place,
            "contactpersoon": org.contact_person,
            "email": org.email,
            "telefoon": org.phone,
            "website": org.website,
            "oprichtingsdatum": org.founded_on,
            "missie": org.mission,
            "impactdomeinen": ", ".join(d.label for d in org.impact_domains),
            "criteria": ", ".join(c.value for c in criteria),
            "ontvangen": app.received_on,
        }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _write_csv(target: Path, records: Iterable[dict[str, object]]) -> int:
    # Cells that a spreadsheet would run as a formula get a quote in front (csv_safe); the import removes it.
    return write_csv(target, COLUMNS, ([_text(rec[c]) for c in COLUMNS] for rec in records))


def _write_xlsx(target: Path, records: Iterable[dict[str, object]]) -> int:
    """Write-only workbook: rows go to disk as they come, so memory does not grow with the list."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Aanvragen"))
    for c, name in enumerate(COLUMNS, start=1):  # columns and panes before the first row (write-only)
        ws.column_dimensions[get_column_letter(c)].width = XLSX_WIDTHS.get(name, 15)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(name: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        return cell

    def cell(name: str, value: object) -> object:
        if isinstance(value, dt.date):
            out = WriteOnlyCell(ws, value=value)
            out.number_format = "DD-MM-YYYY"
            return out
        text = "" if value is None else str(value)
        if name not in TEXT_COLUMNS and not text.startswith("="):
            return text  # a plain string is a string cell
        out = WriteOnlyCell(ws, value=text)
        out.data_type = "s"  # never a formula or a number, even for '=...' or '01234567'
        if name in TEXT_COLUMNS:
            out.number_format = "@"
        return out

    ws.append([header_cell(name) for name in COLUMNS])
    count = 0
    for rec in records:
        ws.append([cell(name, rec[name]) for name in COLUMNS])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    wb.save(target)
    return count


WRITERS = {".csv": _write_csv, ".xlsx": _write_xlsx}


def export_applications(ctx: ServiceContext, path: Path, ids: list[uuid.UUID] | None = None) -> int:
    """Write the applications (all, or those in ``ids`` in that order) to CSV or XLSX, by extension.

    Rows are read in batches and written as they are read, in one read transaction (a snapshot on
    PostgreSQL). The file is written next to the target first and then moved into place, so a
    failure never leaves half a file. Returns the number of applications written.
    """
    require(ctx, Action.TRANSFER_DATA)
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise DomainError(_("Kies een bestandsnaam die eindigt op .csv of .xlsx; '{name}' wordt niet ondersteund.").format(
            name=path.suffix or path.name))
    with UnitOfWork(ctx) as uow:
        if ctx.db.dialect == "postgresql":
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
            os.close(fd)
            try:
                count = writer(Path(tmp), _export_records(_export_applications(uow.session, ids)))
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as err:
            raise DomainError(_("Het bestand {file} kan niet worden geschreven ({reason}). Is het nog geopend in "
                                "een ander programma, zoals Excel?").format(file=path, reason=err.strerror or err)) from err
    log.info("exported %d applications to %s", count, path)
    return count
