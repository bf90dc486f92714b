"""The public register for the SROI page of the Kennemer Inkoop Platform (issue 12, docs/register-export.md).

Included: every recognition whose badge may be carried today, i.e. status erkend, voorwaardelijk erkend or
verloopt binnenkort and begun (valid from today or earlier). Left out: verlopen and ingetrokken (KIP must not
show the badge), and a badge that has not begun yet. Only what describes the organisation in public: name,
KvK number, municipality, website, criteria, kind, status, dates and kenmerk. No personal data at all: no
contact person, e-mail, phone, and no address (a zzp'er's street address is the home of a person).

Open to every role, like reading: the register is public and holds nothing the Register page does not show
to everyone (the application export, with contact details, needs 'aanvragen importeren en exporteren').
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.csv_safe import write_csv
from commissie_app.services.export_files import write_atomically, write_xlsx
from commissie_app.services.letter_settings import get_letter_settings
from commissie_app.services.recognitions import RegisterRow, list_register

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"  # docs/register-export.schema.json; a new field or meaning makes a new version
SUFFIXES = (".csv", ".json", ".xlsx")

#: CSV and XLSX columns (Dutch, like the application export), in this order
COLUMNS = ("naam", "kvk", "gemeente", "website", "criteria", "criteria_omschrijving", "erkenning", "status",
           "geldig_vanaf", "geldig_tot", "kenmerk")
TEXT_COLUMNS = frozenset({"kvk", "kenmerk"})
XLSX_WIDTHS = {"naam": 40, "website": 28, "criteria": 22, "criteria_omschrijving": 60, "erkenning": 16,
               "status": 22, "kenmerk": 16}


def public_rows(ctx: ServiceContext, today: dt.date | None = None) -> list[RegisterRow]:
    """The recognitions KIP shows: badge carried today (begun, not expired, not withdrawn), by name."""
    today = today or ctx.today()
    return [r for r in list_register(ctx, today=today) if r.status.is_current and r.valid_from <= today]


def _coded(member) -> dict[str, str]:
    return {"code": member.value, "label": member.label}


def _json_record(r: RegisterRow) -> dict[str, object]:
    return {
        "organisation": r.name,
        "kvk": r.kvk,
        "municipality": _coded(r.municipality),
        "website": r.website,
        "criteria": [_coded(c) for c in r.criteria],
        "kind": _coded(r.kind),
        "status": _coded(r.status),
        "valid_from": r.valid_from.isoformat(),
        "valid_until": r.valid_until.isoformat(),
        "kenmerk": r.kenmerk,
    }


def register_document(ctx: ServiceContext, today: dt.date | None = None) -> dict[str, object]:
    """The JSON document (docs/register-export.schema.json) as Python values."""
    today = today or ctx.today()
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_on": today.isoformat(),
        "commission": get_letter_settings(ctx).sender_name,
        "expiring_within_months": ctx.rules.reminder_months,
        "recognitions": [_json_record(r) for r in public_rows(ctx, today)],
    }


def _table_records(rows: Iterable[RegisterRow]) -> Iterator[dict[str, object]]:
    for r in rows:
        yield {
            "naam": r.name,
            "kvk": r.kvk,
            "gemeente": r.municipality.label,
            "website": r.website,
            "criteria": ", ".join(c.value for c in r.criteria),
            "criteria_omschrijving": ", ".join(c.label for c in r.criteria),
            "erkenning": r.kind.label,
            "status": r.status.label,
            "geldig_vanaf": r.valid_from,
            "geldig_tot": r.valid_until,
            "kenmerk": r.kenmerk,
        }


def _csv_text(value: object) -> str:
    return value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else str(value)


def _write_csv(ctx: ServiceContext, target: Path, today: dt.date) -> int:
    records = _table_records(public_rows(ctx, today))
    return write_csv(target, COLUMNS, ([_csv_text(rec[c]) for c in COLUMNS] for rec in records))


def _write_xlsx(ctx: ServiceContext, target: Path, today: dt.date) -> int:
    return write_xlsx(target, _("Register"), COLUMNS, _table_records(public_rows(ctx, today)), widths=XLSX_WIDTHS,
                      text_columns=TEXT_COLUMNS)


def _write_json(ctx: ServiceContext, target: Path, today: dt.date) -> int:
    doc = register_document(ctx, today)
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return len(doc["recognitions"])


WRITERS = {".csv": _write_csv, ".json": _write_json, ".xlsx": _write_xlsx}


def export_register(ctx: ServiceContext, path: Path, today: dt.date | None = None) -> int:
    """Write the public register to CSV, JSON or XLSX (by the file's extension); returns the number of
    recognitions written. The file is written next to the target and then moved into place."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise DomainError(_("Kies een bestandsnaam die eindigt op .csv, .json of .xlsx; ‘{name}’ wordt niet "
                            "ondersteund.").format(name=path.suffix or path.name))
    today = today or ctx.today()
    count = write_atomically(path, lambda tmp: writer(ctx, tmp, today))
    log.info("exported the register (%d recognitions) to %s", count, path)
    return count
