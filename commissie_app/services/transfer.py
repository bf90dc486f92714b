"""Export of the application list to CSV or XLSX; the import lives in ``importing``/``import_file``.

The CSV export uses exactly the import's columns, so an exported file imports again unchanged.
``import_applications``, ``ImportResult`` and ``COLUMNS`` are importable from here as before.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from commissie_app.db.models import Application
from commissie_app.domain.codes import Criterion
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services.applications import _org_to_data
from commissie_app.services.context import ServiceContext
from commissie_app.services.import_file import COLUMNS
from commissie_app.services.importing import ImportResult, import_applications
from commissie_app.services.uow import UnitOfWork

__all__ = ["COLUMNS", "ImportResult", "export_applications", "import_applications"]

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Export


def _export_records(ctx: ServiceContext, ids: list[uuid.UUID] | None) -> list[dict[str, object]]:
    with UnitOfWork(ctx) as uow:
        stmt = select(Application).options(selectinload(Application.evidence), selectinload(Application.organisation))
        if ids is None:
            apps = list(uow.session.scalars(stmt))
            apps.sort(key=lambda a: (a.received_on, a.organisation.name.lower(), a.organisation.kvk))
        else:
            found: dict[uuid.UUID, Application] = {}
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                found.update((a.id, a) for a in uow.session.scalars(stmt.where(Application.id.in_(chunk))))
            apps = [found[i] for i in dict.fromkeys(ids) if i in found]
        order = {c: n for n, c in enumerate(Criterion)}
        records = []
        for app in apps:
            org = _org_to_data(app.organisation)
            criteria = sorted((Criterion(e.criterion) for e in app.evidence), key=order.__getitem__)
            records.append({
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
            })
        return records


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _write_csv(target: Path, records: list[dict[str, object]]) -> None:
    # UTF-8 with BOM so Excel recognises the encoding; ';' as Dutch Excel expects.
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(list(COLUMNS))
        for rec in records:
            writer.writerow([_text(rec[c]) for c in COLUMNS])


def _write_xlsx(target: Path, records: list[dict[str, object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _("Aanvragen")
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    text_columns = {"kvk", "postcode", "telefoon"}
    for r, rec in enumerate(records, start=2):
        for c, name in enumerate(COLUMNS, start=1):
            value = rec[name]
            cell = ws.cell(row=r, column=c)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "DD-MM-YYYY"
            else:
                cell.value = "" if value is None else str(value)
                cell.data_type = "s"  # never a formula or a number, even for '=...' or '01234567'
                if name in text_columns:
                    cell.number_format = "@"
    widths = {"naam": 40, "missie": 50, "adres": 28, "criteria": 24, "impactdomeinen": 32, "email": 28, "website": 26}
    for c, name in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(name, 15)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(target)


WRITERS = {".csv": _write_csv, ".xlsx": _write_xlsx}


def export_applications(ctx: ServiceContext, path: Path, ids: list[uuid.UUID] | None = None) -> int:
    """Write the applications (all, or those in ``ids`` in that order) to CSV or XLSX, by extension.

    The file is written next to the target first and then moved into place, so a failure never
    leaves half a file. Returns the number of applications written.
    """
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise DomainError(_("Kies een bestandsnaam die eindigt op .csv of .xlsx; '{name}' wordt niet ondersteund.").format(
            name=path.suffix or path.name))
    records = _export_records(ctx, ids)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            writer(Path(tmp), records)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as err:
        raise DomainError(_("Het bestand {file} kan niet worden geschreven ({reason}). Is het nog geopend in "
                            "een ander programma, zoals Excel?").format(file=path, reason=err.strerror or err)) from err
    log.info("exported %d applications to %s", len(records), path)
    return len(records)
