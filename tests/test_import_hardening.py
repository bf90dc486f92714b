"""Hostile and awkward import files, and the field limits shared by the import, the services and the editor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import String, func, select, update

from commissie_app import cli
from commissie_app.db.models import Application, AuditEvent, Evidence, Organisation
from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.errors import ImportFileError, ValidationError
from commissie_app.domain.validation import FIELD_MAX_LENGTH
from commissie_app.services.applications import change_status, get_application, list_rows, register_application
from commissie_app.services.transfer import import_applications
from tests.factories import app_data, org_data

HEADER = "naam;kvk;rechtsvorm;gemeente;adres;email;missie;criteria;ontvangen"


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def counts(db) -> tuple[int, int, int]:
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Organisation, Application, AuditEvent))


# --- item 4: decided records are read-only, also for the import ---------------------------------


def _decide(ctx, app_id, status: Status) -> None:
    if status is Status.WITHDRAWN:
        change_status(ctx, app_id, Status.WITHDRAWN, remark="ingetrokken door de aanvrager")
    else:  # a decision is made by the meeting process; here the outcome is set directly
        with ctx.db.engine.begin() as conn:
            conn.execute(update(Application.__table__).where(Application.id == app_id).values(status=status.value))


@pytest.mark.parametrize("status", [Status.DECIDED, Status.WITHDRAWN])
def test_import_does_not_change_the_organisation_of_a_decided_application(ctx, tmp_path, status):
    """Issue 9, item 4: an import that would change the details of an organisation with a decided
    (besloten/ingetrokken) application reports the row and column; nothing is written."""
    app_id = register_application(ctx, org_data(kvk="12345678", name="Oude Naam BV", email="oud@example.nl"),
                                  app_data(received_on=dt.date(2026, 10, 1)))
    _decide(ctx, app_id, status)
    before = counts(ctx.db)
    path = write(tmp_path / "f.csv", [
        "naam;kvk;rechtsvorm;gemeente;email;criteria;ontvangen",
        "Andere BV;01010101;bv;Haarlem;;PSO30;01-11-2026",
        "Nieuwe Naam BV;12345678;bv;Haarlem;nieuw@example.nl;BCORP;15-11-2026",
    ])

    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, path)
    (row, column, reason), = exc.value.problems
    assert (row, column) == (3, "naam, email")
    assert "besloten of ingetrokken aanvraag" in reason
    with pytest.raises(ImportFileError):
        import_applications(ctx, path, dry_run=True)
    assert counts(ctx.db) == before
    org = get_application(ctx, app_id).organisation
    assert (org.name, org.email) == ("Oude Naam BV", "oud@example.nl")


def test_a_new_application_of_a_decided_organisation_with_the_same_details_is_imported(ctx, tmp_path):
    """Issue 9, item 4: the same details as stored are no change, so a new application is fine."""
    app_id = register_application(ctx, org_data(kvk="12345678", name="Vaste Naam BV"),
                                  app_data(received_on=dt.date(2026, 10, 1)))
    _decide(ctx, app_id, Status.WITHDRAWN)
    path = write(tmp_path / "f.csv", ["naam;kvk;rechtsvorm;gemeente;criteria;ontvangen",
                                      "Vaste Naam BV;12345678;bv;Haarlem;BCORP;15-11-2026"])

    result = import_applications(ctx, path)

    assert (result.new_applications, result.new_organisations, result.updated_organisations) == (1, 0, 0)


# --- item 11: one set of field limits, checked everywhere ----------------------------------------


def test_field_limits_are_the_column_sizes_of_the_database():
    """Issue 9, item 11: the domain's limits equal the VARCHAR sizes, so no database ever cuts or refuses a value."""
    columns = {**{c.name: c for c in Organisation.__table__.columns},
               "reference": Evidence.__table__.c.reference}
    for field, limit in FIELD_MAX_LENGTH.items():
        column = columns.get(field)
        if column is not None and isinstance(column.type, String) and column.type.length:
            assert column.type.length == limit, field
    assert {"name", "street", "place", "contact_person", "email", "phone", "website", "reference"} <= set(FIELD_MAX_LENGTH)


def test_import_names_row_and_column_of_too_long_values_and_control_characters(ctx, tmp_path):
    """Issue 9, item 11: over-long values and control characters are refused with row, column and a
    Dutch reason, the same on SQLite and PostgreSQL (PostgreSQL used to exit 3); nothing is written."""
    path = write(tmp_path / "f.csv", [
        HEADER,
        'Goed BV;11111111;bv;Haarlem;Straat 1;a@example.nl;"Regel een\nRegel\ttwee";PSO30;01-11-2026',
        f"{'L' * 201};22222222;bv;Haarlem;Straat 2;;;PSO30;01-11-2026",
        "Nul\x00 BV;33333333;bv;Haarlem;Straat\x07 3;;Missie\x1b;PSO30;01-11-2026",
        f"{'N' * 100_000};44444444;bv;Haarlem;;;;PSO30;01-11-2026",
    ])

    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, path)

    problems = {(r, c): m for r, c, m in exc.value.problems}
    assert set(problems) == {(3, "naam"), (4, "naam"), (4, "adres"), (4, "missie"), (5, "naam")}
    assert problems[(3, "naam")] == "Dit veld is 201 tekens lang; er passen hoogstens 200 tekens in."
    assert problems[(5, "naam")] == "Dit veld is 100000 tekens lang; er passen hoogstens 200 tekens in."
    assert "stuurteken U+0000" in problems[(4, "naam")]
    assert "stuurteken U+0007" in problems[(4, "adres")]
    assert "stuurteken U+001B" in problems[(4, "missie")]
    assert counts(ctx.db) == (0, 0, 0)


def test_services_refuse_what_the_import_refuses_with_the_same_messages(ctx):
    """Issue 9, item 11: the services check the same limits (the editor and the import call them too)."""
    with pytest.raises(ValidationError) as exc:
        register_application(ctx, org_data(name="x" * 201, contact_person="Jan\x00", mission="ok\nok\tok"),
                             app_data(Criterion.PSO30, notes="a\x01b"))
    assert exc.value.errors["name"] == "Dit veld is 201 tekens lang; er passen hoogstens 200 tekens in."
    assert "stuurteken U+0000" in exc.value.errors["contact_person"]
    assert "stuurteken U+0001" in exc.value.errors["notes"]
    assert "mission" not in exc.value.errors  # newline and tab are fine in a multi-line field
    assert counts(ctx.db) == (0, 0, 0)

    app_id = register_application(ctx, org_data(name="x" * 200, website="www." + "a" * 292 + ".nl"), app_data())
    assert get_application(ctx, app_id).organisation.name == "x" * 200
    change_status(ctx, app_id, Status.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        change_status(ctx, app_id, Status.INFO_REQUESTED, info_requested="KvK-uittreksel\x00",
                      info_due_on=dt.date(2026, 12, 1))
    assert "stuurteken U+0000" in exc.value.errors["info_requested"]
    change_status(ctx, app_id, Status.INFO_REQUESTED, info_requested="KvK-uittreksel\nen statuten",
                  info_due_on=dt.date(2026, 12, 1))


def test_cli_import_of_an_over_long_value_names_the_row_on_both_databases(db, tmp_path, capsys):
    """Issue 9, item 11: exit 1 with the row and column, never exit 3."""
    path = write(tmp_path / "f.csv", [HEADER, f"{'L' * 300};22222222;bv;Haarlem;;;;PSO30;01-11-2026"])
    assert cli.main(["--db", db.url, "--als", "Sanne Secretaris", "import-applications", str(path)]) == 1
    assert "rij 2, kolom naam: Dit veld is 300 tekens lang" in capsys.readouterr().err


# --- item 13: UTF-16 and very long fields --------------------------------------------------------


ROWS = ["naam;kvk;rechtsvorm;gemeente;criteria;ontvangen",
        "Zoë's Zorg;01234567;eenmanszaak;Heemskerk;PSO30;01-11-2026",
        "Crème Coöperatie;07654321;coöperatie;Zandvoort;SE_NL;02-11-2026"]


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-16", ";"),  # with byte order mark, as Windows programs write it
    ("utf-16", "\t"),  # Excel's "Unicode-tekst"
    ("utf-16-le", ";"),  # without byte order mark
    ("utf-16-be", ","),
])
def test_utf16_files_are_read_correctly(sqlite_ctx, tmp_path, encoding, delimiter):
    """Issue 9, item 13: a UTF-16 file was refused as "Onbekende kolom ÿþnaam"."""
    path = write(tmp_path / "f.csv", [r.replace(";", delimiter) for r in ROWS], encoding)

    result = import_applications(sqlite_ctx, path)

    assert (result.new_applications, result.new_organisations) == (2, 2)
    assert sorted(r.organisation for r in list_rows(sqlite_ctx)) == ["Crème Coöperatie", "Zoë's Zorg"]


def test_a_one_megabyte_field_is_refused_in_dutch_naming_the_row(sqlite_ctx, tmp_path):
    """Issue 9, item 13: Python's "field larger than field limit" came through in English."""
    path = write(tmp_path / "f.csv", [ROWS[0], ROWS[1], f'"{"x" * 1_000_000}";11111111;bv;Haarlem;PSO30;01-11-2026'])

    with pytest.raises(ImportFileError) as exc:
        import_applications(sqlite_ctx, path)

    (row, column, reason), = exc.value.problems
    assert (row, column) == (3, "-")
    assert reason.startswith("Een waarde in deze rij is langer dan 131.072 tekens")
    assert "field" not in str(exc.value)
    assert counts(sqlite_ctx.db) == (0, 0, 0)

