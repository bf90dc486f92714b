"""The register export for KIP's SROI page (issue 12): which recognitions, which fields, the JSON Schema, no
personal data, formula safety and the command line; SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from sqlalchemy import select, update

from commissie_app import cli
from commissie_app.db.models import Organisation
from commissie_app.domain.codes import Criterion, Municipality, Role
from commissie_app.domain.errors import DomainError
from commissie_app.domain.recognition import RecognitionKind, RecognitionStatus
from commissie_app.domain.voting import DecisionType
from commissie_app.services import applications as apps
from commissie_app.services import register_export
from commissie_app.services.demo import create_demo_data
from commissie_app.services.register_export import export_register
from tests.conftest import make_ctx
from tests.factories import app_data, org_data
from tests.test_export import HOSTILE, assert_no_formula_cell, read_csv
from tests.test_recognitions import _complete, _decide, _to_complete, seat_members

TODAY = dt.date(2026, 11, 23)
SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "register-export.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

WASSERETTE, ZZP, STAALSTART = ("Wasserette Werkkans (demo)", "Zzp Duurzaam Advies Zandvoort (demo)",
                               "Staalstart IJmond Leerbedrijf (demo)")
#: the demo on 23 November 2026: the laundry's badge ends with its B Corp certificate within three months; the
#: zzp'er's conditional recognition became a full one; the learning company's was withdrawn on 20 October
DEMO_EXPECTED = [
    (WASSERETTE, "90000013", "Haarlem", ["BCORP"], "full", "expiring", "2026-10-20", "2027-01-22", "KIP-2026-007"),
    (ZZP, "90000012", "Zandvoort", ["CODE_SO"], "full", "recognised", "2026-08-11", "2028-10-19", "KIP-2026-005"),
]
#: what describes a natural person: never a column or field of the export
PERSONAL_NAMES = {"contact_person", "contactpersoon", "contact", "email", "e-mail", "mail", "phone", "telefoon",
                  "street", "straat", "adres", "address", "postcode", "postal_code", "huisnummer"}


def load_xlsx(path: Path) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def json_summary(doc: dict) -> list[tuple]:
    return [(r["organisation"], r["kvk"], r["municipality"]["code"], [c["code"] for c in r["criteria"]],
             r["kind"]["code"], r["status"]["code"], r["valid_from"], r["valid_until"], r["kenmerk"])
            for r in doc["recognitions"]]


def export_all(ctx, tmp_path: Path, today: dt.date | None = None) -> dict[str, Path]:
    paths = {s: tmp_path / f"register{s}" for s in (".csv", ".json", ".xlsx")}
    for path in paths.values():
        export_register(ctx, path, today=today)
    return paths


# ---------------------------------------------------------------- which recognitions, with which data


def test_demo_export_holds_exactly_the_organisations_that_may_carry_the_badge_today(ctx, tmp_path):
    """Issue 12: with the demo data every format holds the laundry (verloopt binnenkort, its badge capped by
    its certificate) and the converted zzp'er (erkend, full), with their criteria found met, dates and kenmerk;
    the withdrawn recognition is left out."""
    create_demo_data(ctx)
    paths = export_all(ctx, tmp_path)

    doc = json.loads(paths[".json"].read_text(encoding="utf-8"))
    assert json_summary(doc) == DEMO_EXPECTED
    assert (doc["schema_version"], doc["exported_on"], doc["commission"], doc["expiring_within_months"]) == (
        "1.0", "2026-11-23", "Commissie Sociaal Inkopen", 3)
    first = doc["recognitions"][0]
    assert (first["status"]["label"], first["criteria"][0]["label"], first["kind"]["label"]) == (
        "verloopt binnenkort", "B Corporation", "volledig")

    rows = read_csv(paths[".csv"])
    assert list(rows[0]) == list(register_export.COLUMNS)
    assert [(r["naam"], r["kvk"], r["gemeente"], r["criteria"], r["criteria_omschrijving"], r["erkenning"],
             r["status"], r["geldig_vanaf"], r["geldig_tot"], r["kenmerk"]) for r in rows] == [
        (WASSERETTE, "90000013", "Haarlem", "BCORP", "B Corporation", "volledig", "verloopt binnenkort",
         "20-10-2026", "22-01-2027", "KIP-2026-007"),
        (ZZP, "90000012", "Zandvoort", "CODE_SO", "Register Code Sociale Ondernemingen", "volledig", "erkend",
         "11-08-2026", "19-10-2028", "KIP-2026-005")]
    assert paths[".csv"].read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel

    sheet = load_xlsx(paths[".xlsx"])
    assert [(r["naam"], r["kvk"], r["status"], r["geldig_vanaf"].date(), r["geldig_tot"].date(), r["kenmerk"])
            for r in sheet] == [
        (WASSERETTE, "90000013", "verloopt binnenkort", dt.date(2026, 10, 20), dt.date(2027, 1, 22), "KIP-2026-007"),
        (ZZP, "90000012", "erkend", dt.date(2026, 8, 11), dt.date(2028, 10, 19), "KIP-2026-005")]


def test_the_export_follows_the_day_expired_and_not_yet_begun_badges_are_left_out(ctx, tmp_path):
    """Issue 12: the day after the laundry's badge ends it is no longer exported (verlopen); before the
    learning company's withdrawal it was exported as erkend, and the laundry's badge, not yet begun, was not."""
    create_demo_data(ctx)
    later = json.loads(json.dumps(register_export.register_document(ctx, dt.date(2027, 1, 23))))
    assert [(r["organisation"], r["status"]["code"]) for r in later["recognitions"]] == [(ZZP, "recognised")]
    before = register_export.register_document(ctx, dt.date(2026, 10, 19))
    assert [(r["organisation"], r["status"]["code"]) for r in before["recognitions"]] == [
        (STAALSTART, "recognised"), (ZZP, "recognised")]
    VALIDATOR.validate(later)
    VALIDATOR.validate(before)


def test_a_conditional_recognition_is_exported_from_its_first_day(ctx, tmp_path):
    """Issue 12: a startup's conditional recognition decided for 1 December appears from that day, as
    'voorwaardelijk erkend' and kind 'voorwaardelijk' (KIP can tell it apart), not before."""
    members = seat_members(ctx)
    first = _complete(ctx, "10000007", Criterion.STARTUP, founded=dt.date(2025, 2, 1))
    kenmerk = _decide(ctx, members, first, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
                      criteria_met=[Criterion.STARTUP])
    assert export_register(ctx, tmp_path / "voor.json", today=dt.date(2026, 11, 30)) == 0
    assert export_register(ctx, tmp_path / "op.json", today=dt.date(2026, 12, 1)) == 1
    doc = json.loads((tmp_path / "op.json").read_text(encoding="utf-8"))
    VALIDATOR.validate(doc)
    assert json_summary(doc) == [("Org 10000007", "10000007", "Haarlem", ["STARTUP"], "conditional", "conditional",
                                  "2026-12-01", "2028-11-30", kenmerk)]  # issue 14: t/m the day before
    assert doc["recognitions"][0]["status"]["label"] == "voorwaardelijk erkend"
    export_register(ctx, tmp_path / "op.csv", today=dt.date(2026, 12, 1))
    (row,) = read_csv(tmp_path / "op.csv")
    assert (row["erkenning"], row["status"]) == ("voorwaardelijk", "voorwaardelijk erkend")


# ---------------------------------------------------------------- the schema


def test_the_json_export_validates_against_the_schema_and_a_broken_document_does_not(ctx, tmp_path):
    """Issue 12: the JSON follows docs/register-export.schema.json (draft 2020-12, formats checked); a document
    with a personal field, a wrong KvK number, a status KIP must not show, a Dutch date or without its version
    is refused."""
    Draft202012Validator.check_schema(SCHEMA)
    create_demo_data(ctx)
    path = tmp_path / "register.json"
    export_register(ctx, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    VALIDATOR.validate(doc)

    def broken(change) -> dict:
        bad = copy.deepcopy(doc)
        change(bad)
        return bad

    for bad in (
        broken(lambda d: d["recognitions"][0].update(contact_person="Mila Jacobs")),
        broken(lambda d: d["recognitions"][0].update(email="info@demo13.example.nl")),
        broken(lambda d: d["recognitions"][0].update(kvk="9000001")),
        broken(lambda d: d["recognitions"][0]["status"].update(code="withdrawn")),
        broken(lambda d: d["recognitions"][0]["criteria"].clear()),
        broken(lambda d: d["recognitions"][0].update(valid_until="22-01-2027")),
        broken(lambda d: d["recognitions"][0].update(valid_until="2027-02-30")),
        broken(lambda d: d.pop("schema_version")),
        broken(lambda d: d.update(exported_on="gisteren")),
    ):
        with pytest.raises(SchemaError):
            VALIDATOR.validate(bad)


def test_the_schemas_codes_are_the_apps_codes():
    """Issue 12: the schema names every criterion and municipality the app knows, and exactly the statuses and
    kinds that can be exported (a new code in the app must reach the documented schema)."""
    rec = SCHEMA["$defs"]["recognition"]["properties"]
    assert rec["criteria"]["items"]["properties"]["code"]["enum"] == [c.value for c in Criterion]
    assert rec["municipality"]["properties"]["code"]["enum"] == [m.value for m in Municipality]
    assert rec["status"]["properties"]["code"]["enum"] == [s.value for s in RecognitionStatus if s.is_current]
    assert rec["kind"]["properties"]["code"]["enum"] == [k.value for k in RecognitionKind]
    assert SCHEMA["properties"]["schema_version"]["const"] == register_export.SCHEMA_VERSION


# ---------------------------------------------------------------- no personal data


def _personal_values(ctx) -> set[str]:
    with ctx.db.session() as s:
        orgs = s.scalars(select(Organisation)).all()
        values = {v for o in orgs for v in (o.contact_person, o.email, o.phone, o.street, o.postcode) if v}
    assert len(values) > 40  # the demo's thirteen organisations and more, each with their own
    return values


def _names_and_values(paths: dict[str, Path]) -> tuple[set[str], list[str]]:
    """Every field name or column header, and every text of the three files (the XLSX's XML parts too)."""
    doc = json.loads(paths[".json"].read_text(encoding="utf-8"))
    names: set[str] = set()
    texts: list[str] = [paths[".json"].read_text(encoding="utf-8"), paths[".csv"].read_text(encoding="utf-8-sig")]

    def walk(node) -> None:
        if isinstance(node, dict):
            names.update(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    with open(paths[".csv"], encoding="utf-8-sig", newline="") as fh:
        names.update(next(csv.reader(fh, delimiter=";")))
    sheet = load_xlsx(paths[".xlsx"])
    names.update(sheet[0])
    texts += [str(v) for row in sheet for v in row.values()]
    with zipfile.ZipFile(paths[".xlsx"]) as z:
        texts += [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    return names, texts


def test_no_personal_data_appears_in_any_format(ctx, tmp_path):
    """Issue 12: no column or field of a person's data (contact person, e-mail, phone, street, postcode) in the
    CSV, JSON or XLSX, nor any of those values of any organisation; the export's columns and the schema's fields
    cannot carry one (the schema refuses any field it does not name)."""
    create_demo_data(ctx)  # the recognised zzp'er (an eenmanszaak) has a street address: their home
    paths = export_all(ctx, tmp_path)

    names, texts = _names_and_values(paths)
    assert ZZP in texts[0] and "Strandweg 12" in _personal_values(ctx)  # the zzp'er is there ...
    assert not {n.lower() for n in names} & PERSONAL_NAMES, names
    for value in _personal_values(ctx):  # ... its person is not, in any format
        assert not any(value in text for text in texts), value
    assert not set(register_export.COLUMNS) & PERSONAL_NAMES
    schema_fields = set(SCHEMA["$defs"]["recognition"]["properties"]) | set(SCHEMA["properties"])
    assert not schema_fields & PERSONAL_NAMES
    assert SCHEMA["additionalProperties"] is False and SCHEMA["$defs"]["recognition"]["additionalProperties"] is False


# ---------------------------------------------------------------- formula safety


def test_csv_and_xlsx_are_formula_safe(ctx, tmp_path):
    """Issue 12 (issue 7, item 8): an organisation named '=HYPERLINK(...)' is a quoted text cell in the CSV and
    a string cell (never a formula) in the XLSX; the JSON keeps the name as it is."""
    members = seat_members(ctx)
    app_id = apps.register_application(ctx, org_data(kvk="01234567", name=HOSTILE["name"]),
                                       app_data(Criterion.PSO30))
    _to_complete(ctx, app_id)
    _decide(ctx, members, app_id, DecisionType.GRANTED, day=dt.datetime(2026, 11, 23, 14),
            criteria_met=[Criterion.PSO30])
    with ctx.db.engine.begin() as conn:  # a website stored before the editor checked it
        conn.execute(update(Organisation).values(website="+31.example.nl"))
    paths = export_all(ctx, tmp_path)

    assert_no_formula_cell(paths[".csv"])
    (row,) = read_csv(paths[".csv"])
    assert (row["naam"], row["website"]) == ("'" + HOSTILE["name"], "'+31.example.nl")

    from openpyxl import load_workbook

    ws = load_workbook(paths[".xlsx"]).active
    header = [c.value for c in ws[1]]
    for column, value in (("naam", HOSTILE["name"]), ("website", "+31.example.nl")):
        cell = ws.cell(row=2, column=header.index(column) + 1)
        assert (cell.value, cell.data_type) == (value, "s")
    with zipfile.ZipFile(paths[".xlsx"]) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)

    doc = json.loads(paths[".json"].read_text(encoding="utf-8"))
    assert doc["recognitions"][0]["organisation"] == HOSTILE["name"]


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_cli_register_export_writes_each_format(ctx, tmp_path, capsys, suffix):
    """Issue 12: `commissie-app register export FILE.csv|FILE.json|FILE.xlsx` writes the public register; an
    observer (waarnemer) may do it, since it is public."""
    create_demo_data(ctx)
    make_ctx(ctx.db, "Willem Waarnemer", Role.OBSERVER)
    out = tmp_path / f"kip{suffix}"

    assert cli.main(["--db", ctx.db.url, "--als", "Willem Waarnemer", "register", "export", str(out)]) == 0

    assert f"2 erkenningen geëxporteerd naar {out}." in capsys.readouterr().out
    if suffix == ".json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        VALIDATOR.validate(doc)
        names = [r["organisation"] for r in doc["recognitions"]]
    elif suffix == ".csv":
        names = [r["naam"] for r in read_csv(out)]
    else:
        names = [r["naam"] for r in load_xlsx(out)]
    assert names == [WASSERETTE, ZZP]


def test_cli_register_export_refuses_an_unknown_extension_in_dutch(sqlite_ctx, tmp_path, capsys):
    """Issue 12: another extension is a Dutch message (exit status 1) and writes nothing."""
    out = tmp_path / "kip.txt"
    assert cli.main(["--db", sqlite_ctx.db.url, "--als", "Sanne Secretaris", "register", "export", str(out)]) == 1
    assert "Kies een bestandsnaam die eindigt op .csv, .json of .xlsx" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".export-*"))
    with pytest.raises(DomainError, match="‘.pdf’ wordt niet ondersteund"):
        export_register(sqlite_ctx, tmp_path / "kip.pdf")
