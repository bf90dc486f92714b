"""Export of the application list to CSV or XLSX; the import lives in ``importing``/``import_file``.

The CSV export uses exactly the import's columns, so an exported file imports again unchanged; a cell a
spreadsheet would run as a formula is written with a quote in front, which the import removes (``csv_safe``).
``import_applications``, ``ImportResult`` and ``COLUMNS`` are importable from here as before.
"""

from __future__ import annotations

import datetime as dt
import logging
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
from commissie_app.services.export_files import write_atomically, write_xlsx
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
    return write_xlsx(target, _("Aanvragen"), COLUMNS, records, widths=XLSX_WIDTHS, text_columns=TEXT_COLUMNS)


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
        raise DomainError(_("Kies een bestandsnaam die eindigt op .csv of .xlsx; ‘{name}’ wordt niet ondersteund.").format(
            name=path.suffix or path.name))
    with UnitOfWork(ctx) as uow:
        if ctx.db.dialect == "postgresql":
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        count = write_atomically(path, lambda tmp: writer(tmp, _export_records(_export_applications(uow.session, ids))))
    log.info("exported %d applications to %s", count, path)
    return count
