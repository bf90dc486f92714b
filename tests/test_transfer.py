"""Import of applications from CSV (all or nothing, no duplicates) and export to CSV/XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commissie_app import cli
from commissie_app.db.models import Application, AuditEvent, Evidence, Organisation, StatusChange
from commissie_app.domain.codes import Criterion, ImpactDomain, LegalForm, Municipality, Status
from commissie_app.domain.errors import DomainError, ImportFileError
from commissie_app.services.applications import get_application, list_rows, register_application
from commissie_app.services.transfer import COLUMNS, export_applications, import_applications
from tests.factories import app_data, org_data

DATA = Path(__file__).parent / "data"
HEADER = ";".join(COLUMNS)


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (Organisation, Application, Evidence, StatusChange, AuditEvent)}


def snapshot(ctx) -> dict[tuple[str, dt.date], tuple]:
    """What an application transfer must keep: organisation details, criteria, date received."""
    out = {}
    for row in list_rows(ctx):
        d = get_application(ctx, row.application_id)
        out[(d.organisation.kvk, d.application.received_on)] = (d.organisation, d.application.criteria)
    return out


def write(path: Path, lines: list[str], encoding="utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


# --- reading the formats Excel and other tools write -------------------------------------------


def test_dutch_excel_file_cp1252_semicolons(ctx):
    result = import_applications(ctx, DATA / "aanvragen_excel_nl.csv")

    assert (result.new_applications, result.new_organisations, result.already_present) == (3, 3, 0)
    apps = {d.organisation.kvk: d for d in (get_application(ctx, r.application_id) for r in list_rows(ctx))}
    cafe = apps["01234567"]
    assert cafe.organisation.name == "Café De Tweede Kans (voorbeeld)"
    assert cafe.organisation.contact_person == "Renée Jansen"
    assert cafe.organisation.postcode == "2011 RD"
    assert cafe.organisation.legal_form is LegalForm.STICHTING
    assert cafe.organisation.founded_on == dt.date(2015, 3, 1)
    assert cafe.application.received_on == dt.date(2026, 11, 2)
    assert set(cafe.application.criteria) == {Criterion.NON_PROFIT, Criterion.SE_NL}
    assert cafe.status is Status.RECEIVED and len(cafe.history) == 1
    coop = apps["07654321"]  # label with diacritics, lower-case municipality, criterion by its label
    assert coop.organisation.legal_form is LegalForm.COOPERATIE
    assert coop.organisation.municipality is Municipality.ZANDVOORT
    assert coop.application.criteria == (Criterion.CODE_SO,)
    assert coop.application.received_on == dt.date(2026, 11, 5)
    assert apps["12345678"].organisation.mission == "Leren; werken; groeien"
    assert set(apps["12345678"].application.criteria) == {Criterion.PSO30, Criterion.BCORP}
    with ctx.db.session() as s:
        audited = s.scalars(select(AuditEvent.entity_type).where(AuditEvent.action == "create")).all()
        assert sorted(audited).count("application") == 3 and audited.count("organisation") == 3
        assert set(s.scalars(select(AuditEvent.actor))) == {"Sanne Secretaris"}


def test_utf8_commas_header_spaces_multiline_and_impact_domains(ctx):
    result = import_applications(ctx, DATA / "aanvragen_utf8.csv")

    assert (result.new_applications, result.new_organisations) == (2, 1)
    details = [get_application(ctx, r.application_id) for r in list_rows(ctx)]
    assert {d.application.received_on for d in details} == {dt.date(2026, 11, 12), dt.date(2025, 6, 1)}
    org = details[0].organisation
    assert org.name == "Taalcafé Voorbeeldwijk"
    assert org.mission == "Samen Nederlands leren.\nElke woensdag open."
    assert set(org.impact_domains) == {ImpactDomain.COHESION, ImpactDomain.CARE}
    assert org.website == "https://taalcafe.voorbeeld.nl"


@pytest.mark.parametrize(
    "encoding, delimiter",
    [("utf-8-sig", ","), ("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", ",")],
)
def test_every_encoding_and_delimiter_reads_the_same(sqlite_ctx, tmp_path, encoding, delimiter):
    cells = ["Zoë's Coöperatie", "00000123", "coöperatie", "Heemskerk", "Crème 1", "1961 AG", "Heemskerk",
             "Zoë", "", "", "", "2020-02-29", "Één missie", "werk en participatie", "PSO30|CODE_SO", "01-11-2026"]
    header = [f"  {c.upper()} " for c in COLUMNS]  # case and surrounding spaces are ignored
    path = write(tmp_path / "f.csv", [delimiter.join(header), delimiter.join(cells)], encoding)

    result = import_applications(sqlite_ctx, path)

    assert result.new_applications == 1
    d = get_application(sqlite_ctx, list_rows(sqlite_ctx)[0].application_id)
    assert (d.organisation.name, d.organisation.kvk, d.organisation.street) == ("Zoë's Coöperatie", "00000123", "Crème 1")
    assert d.organisation.founded_on == dt.date(2020, 2, 29)
    assert d.organisation.impact_domains == (ImpactDomain.WORK,)
    assert set(d.application.criteria) == {Criterion.PSO30, Criterion.CODE_SO}


# --- all or nothing ------------------------------------------------------------------------------


def test_every_problem_is_reported_with_spreadsheet_row_and_column_and_nothing_is_written(ctx):
    before = counts(ctx.db)

    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, DATA / "rij_fouten.csv")

    found = {(r, c) for r, c, _ in exc.value.problems}
    assert found == {
        (3, "kvk"), (3, "gemeente"),
        (4, "naam"), (4, "rechtsvorm"), (4, "postcode"), (4, "email"), (4, "criteria"), (4, "ontvangen"),
        (5, "kvk"),  # same KvK as row 2 with another e-mail address
        (6, "criteria"), (6, "ontvangen"),  # no criteria, date in the future
    }
    reasons = {(r, c): m for r, c, m in exc.value.problems}
    assert "Amsterdam" in reasons[(3, "gemeente")]
    assert "voorloopnul" in reasons[(3, "kvk")]  # a 7-digit KvK: Excel dropped the leading zero
    assert "rij 2" in reasons[(5, "kvk")] and "email" in reasons[(5, "kvk")]
    assert "31-02-2026" in reasons[(4, "ontvangen")]
    assert "niets opgeslagen" in str(exc.value)
    assert counts(ctx.db) == before  # not even the good row 2 was written


def test_unknown_and_missing_columns_are_problems(ctx, tmp_path):
    path = write(tmp_path / "f.csv", ["naam;kvk;opmerking;naam;gemeente", "A;12345678;x;A;Haarlem"])

    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, path)

    assert {(r, c) for r, c, _ in exc.value.problems} == {
        (1, "opmerking"), (1, "naam"), (1, "rechtsvorm"), (1, "criteria"), (1, "ontvangen")}
    assert counts(ctx.db)["organisations"] == 0


def test_row_with_too_many_values_and_trailing_empty_rows(ctx, tmp_path):
    path = write(tmp_path / "f.csv", [
        "naam;kvk;rechtsvorm;gemeente;criteria;ontvangen",
        "A BV;12345678;bv;Haarlem;PSO30;01-11-2026",
        "B BV;22345678;bv;Haarlem;PSO30;01-11-2026;extra",
        ";;;;;", "",
    ])
    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, path)
    assert [(r, c) for r, c, _ in exc.value.problems] == [(3, "-")]


@pytest.mark.parametrize("content, message", [
    (b"", "leeg"),
    (b"naam;kvk\r\n\x81\x8d\x8f\x90", "geen tekstbestand"),
])
def test_unreadable_files_are_domain_errors(sqlite_ctx, tmp_path, content, message):
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    with pytest.raises(DomainError, match=message):
        import_applications(sqlite_ctx, path)
    with pytest.raises(DomainError, match="bestaat niet"):
        import_applications(sqlite_ctx, tmp_path / "missing.csv")


# --- no duplicates, dry run, updates -------------------------------------------------------------


def test_importing_the_same_file_twice_creates_no_duplicates(ctx):
    import_applications(ctx, DATA / "aanvragen_excel_nl.csv")
    before = counts(ctx.db)

    again = import_applications(ctx, DATA / "aanvragen_excel_nl.csv")

    assert (again.new_applications, again.new_organisations, again.already_present) == (0, 0, 3)
    assert "3 aanvragen al aanwezig" in again.summary()
    assert counts(ctx.db) == before


def test_dry_run_reports_what_would_happen_and_writes_nothing(ctx):
    register_application(ctx, org_data(kvk="12345678", name="Staalstart IJmond Leerbedrijf BV"),
                         app_data(received_on=dt.date(2026, 11, 10)))
    before = counts(ctx.db)

    dry = import_applications(ctx, DATA / "aanvragen_excel_nl.csv", dry_run=True)

    assert counts(ctx.db) == before
    assert (dry.new_applications, dry.new_organisations, dry.already_present, dry.dry_run) == (2, 2, 1, True)
    assert dry.summary().startswith("Controle geslaagd, er is niets opgeslagen.")
    real = import_applications(ctx, DATA / "aanvragen_excel_nl.csv")
    assert (real.new_applications, real.new_organisations, real.already_present) == (2, 2, 1)
    assert real.summary() == ("Import voltooid: 2 nieuwe aanvragen, 2 nieuwe organisaties, "
                              "1 aanvraag al aanwezig (overgeslagen).")


def test_existing_organisation_is_updated_but_absent_columns_are_left_alone(ctx, tmp_path):
    register_application(ctx, org_data(kvk="12345678", email="oud@example.nl",
                                       impact_domains=(ImpactDomain.CARE,)), app_data())
    path = write(tmp_path / "f.csv", [
        "naam;kvk;rechtsvorm;gemeente;email;criteria;ontvangen",
        "Nieuwe Naam BV;12345678;bv;Haarlem;nieuw@example.nl;BCORP;15-11-2026",
    ])

    result = import_applications(ctx, path)

    assert (result.new_applications, result.new_organisations, result.updated_organisations) == (1, 0, 1)
    assert "1 organisatie bijgewerkt" in result.summary()
    org = get_application(ctx, list_rows(ctx)[0].application_id).organisation
    assert (org.name, org.email) == ("Nieuwe Naam BV", "nieuw@example.nl")
    assert org.impact_domains == (ImpactDomain.CARE,)  # no impactdomeinen column: kept
    assert org.street == "Grote Markt 2" and org.mission.startswith("Werk voor")


def test_duplicate_rows_in_one_file(ctx, tmp_path):
    row = "A BV;12345678;bv;Haarlem;PSO30;01-11-2026"
    ok = write(tmp_path / "ok.csv", ["naam;kvk;rechtsvorm;gemeente;criteria;ontvangen", row, row])
    result = import_applications(ctx, ok)
    assert (result.new_applications, result.duplicates_in_file) == (1, 1)
    assert "1 rij dubbel in het bestand" in result.summary()

    clash = write(tmp_path / "clash.csv", ["naam;kvk;rechtsvorm;gemeente;criteria;ontvangen",
                                           row.replace("01-11", "02-11"), row.replace("01-11", "02-11").replace("PSO30", "BCORP")])
    with pytest.raises(ImportFileError) as exc:
        import_applications(ctx, clash)
    assert [(r, c) for r, c, _ in exc.value.problems] == [(3, "ontvangen")]


# --- progress and cancelling ---------------------------------------------------------------------


def test_progress_is_reported_per_row_while_checking_and_writing(sqlite_ctx):
    calls = []
    import_applications(sqlite_ctx, DATA / "aanvragen_excel_nl.csv", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 6) for i in range(1, 7)]

    calls.clear()
    import_applications(sqlite_ctx, DATA / "aanvragen_excel_nl.csv", dry_run=True, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 6) for i in range(1, 4)]


class Cancelled(Exception):
    pass


def test_cancelling_while_writing_rolls_everything_back(ctx):
    def progress(done, total):
        if done == total - 1:  # two of three rows written already
            raise Cancelled

    with pytest.raises(Cancelled):
        import_applications(ctx, DATA / "aanvragen_excel_nl.csv", progress=progress)
    assert set(counts(ctx.db).values()) == {0}


# --- export --------------------------------------------------------------------------------------


def populate(ctx) -> None:
    register_application(ctx, org_data(kvk="01234567", name="Crème de la Crème Coöperatie", legal_form=LegalForm.COOPERATIE,
                                       municipality=Municipality.BLOEMENDAAL, mission="Één; twee, \"drie\"\nvier",
                                       impact_domains=(ImpactDomain.SUSTAINABILITY, ImpactDomain.WORK)),
                         app_data(Criterion.SE_NL, Criterion.CODE_SO, received_on=dt.date(2026, 10, 1)))
    register_application(ctx, org_data(kvk="01234567", name="Crème de la Crème Coöperatie", legal_form=LegalForm.COOPERATIE,
                                       municipality=Municipality.BLOEMENDAAL, mission="Één; twee, \"drie\"\nvier",
                                       impact_domains=(ImpactDomain.SUSTAINABILITY, ImpactDomain.WORK)),
                         app_data(Criterion.STARTUP, received_on=dt.date(2025, 3, 4)))
    register_application(ctx, org_data(kvk="00012345", name="Zoë's Zorg", legal_form=LegalForm.EENMANSZAAK,
                                       municipality=Municipality.HEEMSKERK, street="", postcode="", place="",
                                       contact_person="", email="", phone="", website="", founded_on=None,
                                       mission="=1+1", impact_domains=()),
                         app_data(Criterion.PSO30, received_on=dt.date(2026, 11, 20)))


def wipe(db) -> None:
    """An empty database: the schema made anew (audit events cannot be deleted row by row)."""
    from commissie_app.db import migrate

    migrate.downgrade(db.engine, "base")
    migrate.upgrade(db.engine, backup=False)


def test_csv_export_imports_again_unchanged(ctx, tmp_path):
    populate(ctx)
    before = snapshot(ctx)
    path = tmp_path / "aanvragen.csv"

    assert export_applications(ctx, path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode())  # BOM: Excel opens it as UTF-8

    again = import_applications(ctx, path)  # into the same database: nothing new
    assert (again.new_applications, again.already_present, again.updated_organisations) == (0, 3, 0)

    wipe(ctx.db)
    result = import_applications(ctx, path)  # into an empty database
    assert (result.new_applications, result.new_organisations) == (3, 2)
    assert snapshot(ctx) == before


def test_xlsx_export_keeps_kvk_as_text_and_dates_as_dates(ctx, tmp_path):
    from openpyxl import load_workbook

    populate(ctx)
    ids = [r.application_id for r in sorted(list_rows(ctx), key=lambda r: r.received_on, reverse=True)][:2]
    path = tmp_path / "selectie.XLSX"

    assert export_applications(ctx, path, ids) == 2

    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["Zoë's Zorg", "Crème de la Crème Coöperatie"]  # in the order asked
    kvk = ws.cell(row=2, column=2)
    assert (kvk.value, kvk.data_type, kvk.number_format) == ("00012345", "s", "@")
    mission = ws.cell(row=2, column=list(COLUMNS).index("missie") + 1)
    assert (mission.value, mission.data_type) == ("=1+1", "s")  # text, never a formula
    received = ws.cell(row=2, column=len(COLUMNS)).value
    assert received.date() == dt.date(2026, 11, 20)


def test_unknown_export_extension_is_refused_in_dutch(sqlite_ctx, tmp_path):
    with pytest.raises(DomainError, match=r"\.csv of \.xlsx"):
        export_applications(sqlite_ctx, tmp_path / "out" / "aanvragen.txt")
    (tmp_path / "out").mkdir()
    with pytest.raises(DomainError, match=r"\.csv of \.xlsx"):
        export_applications(sqlite_ctx, tmp_path / "out" / "aanvragen")
    assert list((tmp_path / "out").iterdir()) == []


def test_export_to_unwritable_place_is_a_domain_error(sqlite_ctx, tmp_path):
    with pytest.raises(DomainError, match="kan niet worden geschreven"):
        export_applications(sqlite_ctx, tmp_path / "no-such-dir" / "aanvragen.csv")


# --- command line --------------------------------------------------------------------------------


def test_cli_import_and_export_exit_statuses(sqlite_db, tmp_path, capsys):
    url = sqlite_db.url
    assert cli.main(["--db", url, "--als", "Sanne Secretaris", "import-applications", str(DATA / "rij_fouten.csv")]) == 1
    err = capsys.readouterr().err
    assert "rij 3, kolom gemeente: Onbekende waarde ‘Amsterdam’" in err

    assert cli.main(["--db", url, "--als", "Sanne Secretaris", "import-applications", "--dry-run", str(DATA / "aanvragen_utf8.csv")]) == 0
    assert "Controle geslaagd" in capsys.readouterr().out
    assert counts(sqlite_db)["applications"] == 0

    assert cli.main(["--db", url, "--als", "Sanne Secretaris", "import-applications", str(DATA / "aanvragen_utf8.csv")]) == 0
    assert "Import voltooid: 2 nieuwe aanvragen, 1 nieuwe organisatie" in capsys.readouterr().out

    out = tmp_path / "uit.csv"
    assert cli.main(["--db", url, "--als", "Sanne Secretaris", "export-applications", str(out)]) == 0
    assert "2 aanvragen geëxporteerd" in capsys.readouterr().out
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 2 * 2  # the mission spans two lines
