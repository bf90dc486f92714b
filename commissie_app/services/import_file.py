"""Reading and checking an import file, streamed: the file is never held in memory as a whole.

The transfer format (``COLUMNS``) is defined here; the export writes the same columns. Checking
turns every row into validated domain data through the one validation path
(``domain.validation``) and keeps per organisation and per application only what the write phase
needs (``CheckedFile``), so the write transaction starts with everything prepared.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

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
from commissie_app.i18n import _
from commissie_app.services.csv_safe import unprotect

Progress = Callable[[int, int], None]
Problem = tuple[int, str, str]  # row as a spreadsheet shows it (header = 1), column, Dutch reason

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
DELIMITERS = ";,\t"
CHUNK = 1 << 20
MAX_PROBLEMS = 1000  # a file that is wrong throughout is not reported row by row beyond this



def _not_text() -> str:
    return _("Het bestand kan niet worden gelezen: het is geen tekstbestand in UTF-8, UTF-16 of Windows-1252. "
             "Sla het in Excel op als ‘CSV UTF-8 (gescheiden door lijstscheidingsteken)’.")


# ---------------------------------------------------------------------------------------------
# Encoding, delimiter, records


def _decodes(path: Path, encoding: str, skip: int = 0) -> bool:
    """Whether the whole file decodes, read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as fh:
        fh.seek(skip)
        try:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def detect_encoding(path: Path) -> str:
    """UTF-16 by its byte order mark (or its NUL bytes), else UTF-8 (with or without BOM), else Windows-1252."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a byte order mark: Latin text has a NUL in (nearly) every other byte, never in the others.
    half, odd, even = len(head) // 2, head[1::2].count(0), head[0::2].count(0)
    if max(odd, even) * 2 > half and min(odd, even) <= half // 100:
        return "utf-16-le" if odd > even else "utf-16-be"
    if head.startswith(codecs.BOM_UTF8) and _decodes(path, "utf-8", skip=3):
        return "utf-8-sig"
    if not head.startswith(codecs.BOM_UTF8) and _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "cp1252"):
        return "cp1252"
    raise DomainError(_not_text())


def _delimiter(sample: str) -> str:
    """The one of ; , and tab (Excel's "Unicode-tekst" is UTF-16 with tabs) that the header uses most."""
    header = sample.split("\n", 1)[0]
    counts = sorted(((header.count(d), d) for d in DELIMITERS), reverse=True)
    if counts[0][0] > counts[1][0]:
        return counts[0][1]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ";"


@dataclass(frozen=True)
class CsvFile:
    """A CSV file whose encoding and delimiter are known; ``records()`` streams it."""

    path: Path
    encoding: str
    delimiter: str

    @classmethod
    def open(cls, path: Path) -> "CsvFile":
        path = Path(path)
        try:
            encoding = detect_encoding(path)
            with open(path, encoding=encoding, newline="") as fh:
                sample = fh.read(8192)
        except FileNotFoundError as err:
            raise DomainError(_("Het bestand {file} bestaat niet.").format(file=path)) from err
        except UnicodeDecodeError as err:  # UTF-16 with a broken byte in the first part
            raise DomainError(_not_text()) from err
        except OSError as err:
            raise DomainError(_("Het bestand {file} kan niet worden gelezen: {reason}").format(
                file=path, reason=err.strerror or err)) from err
        if not sample.strip():
            raise DomainError(_("Het bestand is leeg; de eerste rij moet de kolomnamen bevatten."))
        return cls(path, encoding, _delimiter(sample))

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Every record with its row number as a spreadsheet shows it (the header is row 1)."""
        number = 0
        try:
            with open(self.path, encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as err:
                        raise ImportFileError([(number + 1, "-", _csv_reason(err))]) from err
                    number += 1
                    yield number, cells
        except UnicodeDecodeError as err:
            raise DomainError(_("Het bestand kan niet worden gelezen: na rij {row} staat een teken dat niet in "
                                "{encoding} past. Sla het in Excel op als ‘CSV UTF-8 (gescheiden door "
                                "lijstscheidingsteken)’.").format(row=number, encoding=self.encoding.upper())) from err
        except OSError as err:
            raise DomainError(_("Het bestand {file} kan niet worden gelezen: {reason}").format(
                file=self.path, reason=err.strerror or err)) from err


def _csv_reason(err: csv.Error) -> str:
    if "field limit" in str(err):
        return _("Een waarde in deze rij is langer dan {limit} tekens; zo lang is geen enkel gegeven. "
                 "Ontbreekt er een afsluitend aanhalingsteken (\")?").format(limit=f"{csv.field_size_limit():,}".replace(",", "."))
    return _("Deze rij is geen geldige CSV-regel; controleer de aanhalingstekens.")


# ---------------------------------------------------------------------------------------------
# Checking


def _check_header(header: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    allowed = ", ".join(COLUMNS)
    for i, name in enumerate(header, start=1):
        if not name:
            # An empty header cell at the end (Excel's trailing ';') is harmless.
            if any(header[i:]):
                problems.append((1, _("kolom {n}").format(n=i), _("Deze kolom heeft geen naam.")))
            continue
        if name not in COLUMNS:
            shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", name[:50])  # as text, whatever the file holds
            problems.append((1, shown, _("Onbekende kolom. Toegestane kolommen: {allowed}.").format(allowed=allowed)))
        elif name in seen:
            problems.append((1, name, _("Deze kolom komt twee keer voor.")))
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append((1, name, _("Deze kolom ontbreekt; hij is verplicht.")))
    return problems


@functools.lru_cache(maxsize=1024)
def _from_text(enum_cls, text: str):
    """``from_text`` remembered: a file repeats the same few codes on every row."""
    return enum_cls.from_text(text)


def _choices(enum_cls) -> str:
    return ", ".join(m.label for m in enum_cls)


def parse_row(values: dict[str, str], today: dt.date) -> tuple[OrganisationData | None, ApplicationData | None, dict[str, str]]:
    """Turn one row into validated data; problems map column name -> reason."""
    problems: dict[str, str] = {}

    def enum_value(column: str, enum_cls, missing: str):
        text = values.get(column, "").strip()
        if not text:
            problems[column] = missing
            return text
        try:
            return _from_text(enum_cls, text)
        except ValueError:
            problems[column] = _("Onbekende waarde ‘{value}’; kies uit: {choices}.").format(
                value=text[:50], choices=_choices(enum_cls))
            return text

    def date_value(column: str):
        text = values.get(column, "").strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            problems[column] = _("Ongeldige datum ‘{value}’; gebruik dd-mm-jjjj of jjjj-mm-dd.").format(value=text[:50])
            return None

    def list_value(column: str, enum_cls) -> tuple:
        out = []
        for part in LIST_SPLIT.split(values.get(column, "")):
            part = part.strip()
            if not part:
                continue
            try:
                out.append(_from_text(enum_cls, part))
            except ValueError:
                codes = ", ".join(m.value for m in enum_cls) if enum_cls is Criterion else _choices(enum_cls)
                problems[column] = _("Onbekende waarde ‘{value}’; kies uit: {choices}.").format(
                    value=part[:50], choices=codes)
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
        for name, reason in err.errors.items():
            column = FIELD_COLUMN.get(name, name)
            if column == "kvk" and re.fullmatch(r"\d{7}", org.kvk.strip()):
                reason += " " + _("Excel laat een voorloopnul soms weg; geef de kolom in Excel de opmaak Tekst.")
            problems.setdefault(column, reason)
    try:
        app = validate_application(app, today)
    except ValidationError as err:
        for name, reason in err.errors.items():
            problems.setdefault(FIELD_COLUMN.get(name, name), reason)
    if problems:
        return None, None, problems
    return org, app, {}


def differing_columns(a: OrganisationData, b: OrganisationData) -> list[str]:
    return [FIELD_COLUMN[f.name] for f in fields(OrganisationData) if getattr(a, f.name) != getattr(b, f.name)]


@dataclass
class PlannedApplication:
    """One application of the file: the first row that has it, and how many rows have it."""

    row: int
    data: ApplicationData
    copies: int = 1


@dataclass
class CheckedFile:
    """A checked file: what the write phase needs, in file order, and nothing more."""

    rows: int = 0  # data rows, each checked
    absent_fields: frozenset[str] = frozenset()  # columns left out of the file: existing details stay
    organisations: dict[str, tuple[int, OrganisationData]] = field(default_factory=dict)  # kvk -> first row, data
    applications: dict[tuple[str, dt.date], PlannedApplication] = field(default_factory=dict)

    @property
    def duplicates(self) -> int:
        return sum(p.copies - 1 for p in self.applications.values())


def _count_rows(source: CsvFile) -> int:
    records = source.records()
    next(records, None)
    return sum(1 for _n, cells in records if any(c.strip() for c in cells))


def check_file(path: Path, today: dt.date, progress: Progress | None = None) -> CheckedFile:
    """Read and check the whole file; raises ImportFileError listing every problem.

    ``progress(done, total)`` is called once per data row; ``total`` is twice the number of rows
    (the write phase reports the second half).
    """
    source = CsvFile.open(path)
    total = 2 * _count_rows(source) if progress else 0
    records = source.records()
    header = [h.strip().lower() for h in next(records)[1]]
    problems = _check_header(header)
    if problems:
        raise ImportFileError(problems)
    present = {h for h in header if h}
    checked = CheckedFile(absent_fields=frozenset(
        COLUMNS[c] for c in COLUMNS if c not in present and c not in REQUIRED))
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    columns = [(i, name) for i, name in enumerate(header) if name]
    order = {c: n for n, c in enumerate(COLUMNS)}
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        checked.rows += 1
        if progress:
            progress(checked.rows, total)
        if len(problems) >= MAX_PROBLEMS:
            continue
        if any(c.strip() for c in cells[width:]):
            problems.append((number, "-", _("Deze rij heeft meer waarden dan er kolommen zijn. "
                                            "Staat er een scheidingsteken te veel in een waarde?")))
            continue
        # unprotect: the quote the export puts before '=', '+', '-', '@' (csv_safe) is not part of the value.
        values = {name: (unprotect(cells[i]) if i < len(cells) else "") for i, name in columns}
        org, app, row_problems = parse_row(values, today)
        if row_problems:
            problems.extend((number, column, row_problems[column])
                            for column in sorted(row_problems, key=lambda c: order.get(c, 99)))
            continue
        problem = _add(checked, number, org, app)
        if problem:
            problems.append(problem)
    if problems:
        raise ImportFileError(problems)
    return checked


def _add(checked: CheckedFile, number: int, org: OrganisationData, app: ApplicationData) -> Problem | None:
    """Note one valid row; a row that contradicts an earlier one is a problem."""
    first = checked.organisations.setdefault(org.kvk, (number, org))
    if first[1] != org:
        return (number, "kvk", _(
            "Dit KvK-nummer staat ook in rij {row}, maar met andere gegevens ({columns}). "
            "Maak de gegevens van de organisatie in alle rijen gelijk.").format(
            row=first[0], columns=", ".join(differing_columns(first[1], org))))
    planned = checked.applications.setdefault((org.kvk, app.received_on), PlannedApplication(number, app, 0))
    if planned.data != app:
        return (number, "ontvangen", _(
            "Deze organisatie staat met dezelfde ontvangstdatum ook in rij {row}, maar met andere "
            "criteria. Eén aanvraag per organisatie per dag.").format(row=planned.row))
    planned.copies += 1
    return None
