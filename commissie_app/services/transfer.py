"""Import of applications from CSV and export of the application list to CSV or XLSX.

The import is all or nothing: every row is checked first and every problem is reported as
(row as a spreadsheet shows it, column, Dutch reason); only a file without problems is written,
in one unit of work. A row whose organisation already has an application received on the same
date is skipped, so importing the same file twice creates no duplicates. The CSV export uses
exactly the import's columns, so an exported file imports again unchanged; a cell a spreadsheet
would run as a formula is written with a quote in front, which the import removes (``csv_safe``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from commissie_app.db.models import Application, Organisation
from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality
from commissie_app.domain.errors import DomainError, ImportFileError, ValidationError
from commissie_app.domain.validation import (
    ApplicationData,
    EvidenceData,
    OrganisationData,
    parse_date,
    validate_application,
    validate_organisation,
)
from commissie_app.i18n import _, ngettext
from commissie_app.services.applications import _org_to_data, add_application
from commissie_app.services.context import ServiceContext
from commissie_app.services.csv_safe import unprotect, write_csv
from commissie_app.services.uow import UnitOfWork

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Column name in the file -> field of OrganisationData / ApplicationData, in export order.
COLUMNS: dict[str, str] = {
    "naam": "name",
    "kvk": "kvk",
    "rechtsvorm": "legal_form",
    "gemeente": "municipality",
    "adres": "street",
    "postcode": "postcode",
    "plaats": "place",
    "contactpersoon": "contact_person",
    "email": "email",
    "telefoon": "phone",
    "website": "website",
    "oprichtingsdatum": "founded_on",
    "missie": "mission",
    "impactdomeinen": "impact_domains",
    "criteria": "criteria",
    "ontvangen": "received_on",
}
FIELD_COLUMN = {f: c for c, f in COLUMNS.items()}
REQUIRED = ("naam", "kvk", "rechtsvorm", "gemeente", "criteria", "ontvangen")
LIST_SPLIT = re.compile(r"[,|]")
DELIMITERS = ";,"


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: int
    new_applications: int
    new_organisations: int
    updated_organisations: int
    already_present: int
    duplicates_in_file: int
    dry_run: bool = False

    def summary(self) -> str:
        if self.rows == 0:
            return _("Het bestand bevat geen aanvragen; er is niets opgeslagen.")
        parts = [
            ngettext("{n} nieuwe aanvraag", "{n} nieuwe aanvragen", self.new_applications).format(n=self.new_applications),
            ngettext("{n} nieuwe organisatie", "{n} nieuwe organisaties", self.new_organisations).format(
                n=self.new_organisations),
        ]
        if self.updated_organisations:
            parts.append(ngettext("{n} organisatie bijgewerkt", "{n} organisaties bijgewerkt",
                                  self.updated_organisations).format(n=self.updated_organisations))
        parts.append(ngettext("{n} aanvraag al aanwezig (overgeslagen)", "{n} aanvragen al aanwezig (overgeslagen)",
                              self.already_present).format(n=self.already_present))
        if self.duplicates_in_file:
            parts.append(ngettext("{n} rij dubbel in het bestand (overgeslagen)",
                                  "{n} rijen dubbel in het bestand (overgeslagen)",
                                  self.duplicates_in_file).format(n=self.duplicates_in_file))
        counts = ", ".join(parts)
        if self.dry_run:
            return _("Controle geslaagd, er is niets opgeslagen. Bij importeren: {counts}.").format(counts=counts)
        return _("Import voltooid: {counts}.").format(counts=counts)


@dataclass(frozen=True)
class _Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    org: OrganisationData
    app: ApplicationData
    duplicate_of: int | None = None  # an identical earlier row in the file


# ---------------------------------------------------------------------------------------------
# Reading the file


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) first, else Windows-1252 as Dutch Excel writes it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        raise DomainError(
            _("Het bestand kan niet worden gelezen: het is geen tekstbestand in UTF-8 of Windows-1252. "
              "Sla het in Excel op als 'CSV (gescheiden door lijstscheidingsteken)'.")
        ) from err


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    semicolons, commas = header.count(";"), header.count(",")
    if semicolons != commas:
        return ";" if semicolons > commas else ","
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ";"


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header (normalised names) and the data rows with their spreadsheet row numbers."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as err:
        raise DomainError(_("Het bestand {file} bestaat niet.").format(file=path)) from err
    except OSError as err:
        raise DomainError(_("Het bestand {file} kan niet worden gelezen: {reason}").format(
            file=path, reason=err.strerror or err)) from err
    text = _decode(raw)
    if not text.strip():
        raise DomainError(_("Het bestand is leeg; de eerste rij moet de kolomnamen bevatten."))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as err:
        raise DomainError(_("Het bestand is geen geldig CSV-bestand: {reason}").format(reason=err)) from err
    header = [h.strip().lower() for h in records[0]]
    rows = [(number, cells) for number, cells in enumerate(records[1:], start=2) if any(c.strip() for c in cells)]
    return header, rows


def _check_header(header: list[str]) -> list[tuple[int, str, str]]:
    problems: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    allowed = ", ".join(COLUMNS)
    for i, name in enumerate(header, start=1):
        if not name:
            # An empty header cell at the end (Excel's trailing ';') is harmless.
            if any(header[i:]):
                problems.append((1, _("kolom {n}").format(n=i), _("Deze kolom heeft geen naam.")))
            continue
        if name not in COLUMNS:
            problems.append((1, name, _("Onbekende kolom. Toegestane kolommen: {allowed}.").format(allowed=allowed)))
        elif name in seen:
            problems.append((1, name, _("Deze kolom komt twee keer voor.")))
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append((1, name, _("Deze kolom ontbreekt; hij is verplicht.")))
    return problems


def _choices(enum_cls) -> str:
    return ", ".join(m.label for m in enum_cls)


def _parse_row(values: dict[str, str], today: dt.date) -> tuple[OrganisationData | None, ApplicationData | None, dict[str, str]]:
    """Turn one row into validated data; problems map column name -> reason."""
    problems: dict[str, str] = {}

    def enum_value(column: str, enum_cls, missing: str):
        text = values.get(column, "").strip()
        if not text:
            problems[column] = missing
            return text
        try:
            return enum_cls.from_text(text)
        except ValueError:
            problems[column] = _("Onbekende waarde '{value}'; kies uit: {choices}.").format(
                value=text, choices=_choices(enum_cls))
            return text

    def date_value(column: str):
        text = values.get(column, "").strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            problems[column] = _("Ongeldige datum '{value}'; gebruik dd-mm-jjjj of jjjj-mm-dd.").format(value=text)
            return None

    def list_value(column: str, enum_cls) -> tuple:
        out = []
        for part in LIST_SPLIT.split(values.get(column, "")):
            part = part.strip()
            if not part:
                continue
            try:
                out.append(enum_cls.from_text(part))
            except ValueError:
                codes = ", ".join(m.value for m in enum_cls) if enum_cls is Criterion else _choices(enum_cls)
                problems[column] = _("Onbekende waarde '{value}'; kies uit: {choices}.").format(value=part, choices=codes)
        return tuple(out)

    legal_form = enum_value("rechtsvorm", LegalForm, _("Vul de rechtsvorm in."))
    municipality = enum_value("gemeente", Municipality, _("Vul de gemeente in (een van de zeven gemeenten van de regio)."))
    org = OrganisationData(
        name=values.get("naam", ""),
        kvk=values.get("kvk", ""),
        legal_form=legal_form,
        municipality=municipality,
        street=values.get("adres", ""),
        postcode=values.get("postcode", ""),
        place=values.get("plaats", ""),
        contact_person=values.get("contactpersoon", ""),
        email=values.get("email", ""),
        phone=values.get("telefoon", ""),
        website=values.get("website", ""),
        founded_on=date_value("oprichtingsdatum"),
        mission=values.get("missie", ""),
        impact_domains=list_value("impactdomeinen", ImpactDomain),
    )
    app = ApplicationData(
        received_on=date_value("ontvangen"),
        evidence=tuple(EvidenceData(c) for c in list_value("criteria", Criterion)),
    )
    try:
        org = validate_organisation(org, today)
    except ValidationError as err:
        for field, reason in err.errors.items():
            column = FIELD_COLUMN.get(field, field)
            if column == "kvk" and re.fullmatch(r"\d{7}", org.kvk.strip()):
                reason += " " + _("Excel laat een voorloopnul soms weg; geef de kolom in Excel de opmaak Tekst.")
            problems.setdefault(column, reason)
    try:
        app = validate_application(app, today)
    except ValidationError as err:
        for field, reason in err.errors.items():
            problems.setdefault(FIELD_COLUMN.get(field, field), reason)
    if problems:
        return None, None, problems
    return org, app, {}


def _differing_columns(a: OrganisationData, b: OrganisationData) -> list[str]:
    return [FIELD_COLUMN[f.name] for f in fields(OrganisationData) if getattr(a, f.name) != getattr(b, f.name)]


def _parse_file(
    path: Path, today: dt.date, progress: Progress | None
) -> tuple[list[_Row], frozenset[str], int, list[tuple[int, str, str]]]:
    """All rows checked against the file's own content; returns rows, absent fields, total steps, problems."""
    header, records = read_table(path)
    problems = _check_header(header)
    if problems:
        raise ImportFileError(problems)
    present = {h for h in header if h}
    absent_fields = frozenset(COLUMNS[c] for c in COLUMNS if c not in present and c not in REQUIRED)
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    total = 2 * len(records)
    rows: list[_Row] = []
    first_by_kvk: dict[str, _Row] = {}
    first_by_key: dict[tuple[str, dt.date], _Row] = {}
    for done, (number, cells) in enumerate(records, start=1):
        if progress:
            progress(done, total)
        if any(c.strip() for c in cells[width:]):
            problems.append((number, "-", _("Deze rij heeft meer waarden dan er kolommen zijn. "
                                            "Staat er een scheidingsteken te veel in een waarde?")))
            continue
        # unprotect: the quote the export puts before '=', '+', '-', '@' (csv_safe) is not part of the value.
        values = {name: (unprotect(cells[i]) if i < len(cells) else "") for i, name in enumerate(header) if name}
        org, app, row_problems = _parse_row(values, today)
        if row_problems:
            order = list(COLUMNS)
            problems.extend((number, column, row_problems[column])
                            for column in sorted(row_problems, key=lambda c: order.index(c) if c in order else 99))
            continue
        row = _Row(number, org, app)
        first = first_by_kvk.get(org.kvk)
        if first is not None and first.org != org:
            problems.append((number, "kvk", _(
                "Dit KvK-nummer staat ook in rij {row}, maar met andere gegevens ({columns}). "
                "Maak de gegevens van de organisatie in alle rijen gelijk.").format(
                row=first.number, columns=", ".join(_differing_columns(first.org, org)))))
            continue
        first_by_kvk.setdefault(org.kvk, row)
        same = first_by_key.get((org.kvk, app.received_on))
        if same is not None:
            if same.app != app:
                problems.append((number, "ontvangen", _(
                    "Deze organisatie staat met dezelfde ontvangstdatum ook in rij {row}, maar met andere "
                    "criteria. Eén aanvraag per organisatie per dag.").format(row=same.number)))
                continue
            row = replace(row, duplicate_of=same.number)
        else:
            first_by_key[(org.kvk, app.received_on)] = row
        rows.append(row)
    return rows, absent_fields, total, problems


# ---------------------------------------------------------------------------------------------
# Import


WRITE_BATCH = 500  # rows per flush while importing


def import_applications(
    ctx: ServiceContext, path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import applications from a CSV file, all or nothing.

    ``progress(done, total)`` is called once per row while checking and once per row while
    writing (``total`` is twice the number of rows). An exception raised by it (a cancel)
    rolls everything back. Raises ImportFileError listing every problem; nothing is written then.
    """
    rows, absent_fields, total, problems = _parse_file(Path(path), ctx.today(), progress)
    if problems:
        raise ImportFileError(problems)
    checked = total // 2
    with UnitOfWork(ctx) as uow:
        s = uow.session
        org_stmt = select(Organisation)
        if len(rows) <= 500:
            org_stmt = org_stmt.where(Organisation.kvk.in_({r.org.kvk for r in rows}))
        existing = {o.kvk: o for o in s.scalars(org_stmt)}
        present = {(kvk, received) for kvk, received in s.execute(
            select(Organisation.kvk, Application.received_on).join(Application, Application.organisation_id == Organisation.id)
        )}
        plan: list[_Row] = []
        new_orgs: set[str] = set()
        updated_orgs: set[str] = set()
        already = in_file = 0
        for row in rows:
            if row.duplicate_of is not None:
                in_file += 1
                continue
            if (row.org.kvk, row.app.received_on) in present:
                already += 1
                continue
            org = existing.get(row.org.kvk)
            if org is None:
                new_orgs.add(row.org.kvk)
            else:
                current = _org_to_data(org)
                if absent_fields:  # columns left out of the file leave those details alone
                    row = replace(row, org=replace(row.org, **{f: getattr(current, f) for f in absent_fields}))
                if row.org != current:
                    updated_orgs.add(row.org.kvk)
            plan.append(row)
        result = ImportResult(
            rows=len(rows), new_applications=len(plan), new_organisations=len(new_orgs),
            updated_organisations=len(updated_orgs), already_present=already, duplicates_in_file=in_file,
            dry_run=dry_run,
        )
        if dry_run:
            return result
        log.info("import of %s: %d rows checked, writing %d applications", path, len(rows), len(plan))
        planned = {r.number: r for r in plan}
        for done, row in enumerate(rows, start=checked + 1):
            if row.number in planned:
                add_application(uow, planned[row.number].org, planned[row.number].app, organisations=existing)
            if done % WRITE_BATCH == 0:
                s.flush()  # written in batches inside the one transaction, so the progress is the real work
            if progress:
                progress(done, total)
        try:
            uow.commit()
        except IntegrityError as err:
            raise DomainError(_("Tijdens het importeren heeft iemand anders een van deze aanvragen opgeslagen. "
                                "Er is niets opgeslagen; probeer het opnieuw.")) from err
    log.info("import of %s committed: %s", path, result)
    return result


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
        criteria = sorted((Criterion(e.criterion) for e in app.evidence), key=order.__getitem__)
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
