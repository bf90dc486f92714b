"""Issue 9, item 13 (database part): a damaged file, a file that is no database, a mistyped --db path."""

from __future__ import annotations

import sqlite3

import pytest

from commissie_app import cli
from commissie_app.db import migrate, revision
from commissie_app.db.engine import make_engine
from commissie_app.paths import default_db_path
from tests.damaged_db import BACKUPS, demo_file, overwrite_pages, page_count, root_page

NEWEST_BACKUP = BACKUPS[-1]


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(["--als", "Sanne Secretaris", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_damaged_message(text: str, path, backup: str | None) -> None:
    assert f"Het databasebestand {path} is beschadigd" in text
    if backup is not None:
        assert backup in text and "reservekopie" in text
    for english in ("malformed", "not a database", "Traceback", "onverwachts"):
        assert english not in text


def test_backup_of_a_file_damaged_in_the_middle_is_refused_in_dutch_naming_the_latest_backup(
        tmp_path, sqlite_template, capsys):
    """Issue 9, item 13: garbage over pages in the middle; `backup` checks the whole file first."""
    path = demo_file(tmp_path / "data", sqlite_template)
    middle = page_count(path) // 2
    overwrite_pages(path, list(range(middle - 10, middle + 10)))
    out = tmp_path / "copy.sqlite"
    code, text = run(capsys, "--db", f"sqlite:///{path}", "backup", str(out))
    assert code == 1
    assert_damaged_message(text, path, NEWEST_BACKUP)
    assert not out.exists()


def test_a_command_that_reads_a_damaged_table_says_so_in_dutch(tmp_path, sqlite_template, capsys):
    """Issue 9, item 13: before, SQLite's "database disk image is malformed" ended in exit 3."""
    path = demo_file(tmp_path / "data", sqlite_template)
    overwrite_pages(path, [root_page(path, "organisations")])
    code, text = run(capsys, "--db", f"sqlite:///{path}", "export-applications", str(tmp_path / "out.csv"))
    assert code == 1
    assert_damaged_message(text, path, NEWEST_BACKUP)


def test_a_file_that_is_not_sqlite_is_called_damaged_and_the_missing_backup_said(tmp_path, capsys):
    """Issue 9, item 13: a file that is no database at all (before: exit 3, "file is not a database")."""
    path = tmp_path / "commissie.sqlite"
    path.write_text("Dit is een boodschappenlijst, geen database.\n" * 200, encoding="utf-8")
    code, text = run(capsys, "--db", f"sqlite:///{path}", "export-applications", str(tmp_path / "out.csv"))
    assert code == 1
    assert_damaged_message(text, path, None)
    assert "geen reservekopie" in text and "commissie.backup-*.sqlite" in text


def test_an_upgrade_checks_the_whole_file_first_and_neither_copies_nor_changes_a_damaged_one(
        tmp_path, capsys):
    """Issue 9, item 13: `db upgrade` of an old file with a damaged index stops before the backup copy."""
    path = tmp_path / "data" / "commissie.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001", backup=False)
    with engine.begin() as conn:
        for i in range(300):
            conn.exec_driver_sql(
                "INSERT INTO organisations (id, version, created_at, updated_at, name, kvk, legal_form, municipality,"
                " street, postcode, place, contact_person, email, phone, website, mission, impact_domains)"
                f" VALUES ('{i:032x}', 1, '2026-01-01', '2026-01-01', 'Organisatie {i}', '{10000000 + i}', 'bv',"
                " 'Haarlem', '', '', '', '', '', '', '', '', '[]')")
    engine.dispose()
    overwrite_pages(path, [root_page(path, "ix_organisations_municipality")])
    code, text = run(capsys, "db", "upgrade", "--db", f"sqlite:///{path}")
    assert code == 1
    assert_damaged_message(text, path, None)
    assert sorted(p.name for p in path.parent.iterdir()) == ["commissie.sqlite"]  # no backup of a damaged file
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    conn.close()


@pytest.mark.parametrize("how", ["--db", "COMMISSIE_DB_URL"])
def test_a_mistyped_database_path_is_refused_and_creates_nothing(tmp_path, capsys, monkeypatch, how):
    """Issue 9, item 13: before, a mistyped --db silently made a new, empty database (and its folder)."""
    path = tmp_path / "typo" / "comissie.sqlite"
    url = f"sqlite:///{path}"
    argv = ["demo-data", "--db", url] if how == "--db" else ["demo-data"]
    if how == "COMMISSIE_DB_URL":
        monkeypatch.setenv("COMMISSIE_DB_URL", url)
    code, text = run(capsys, *argv)
    assert code == 1
    assert f"Het databasebestand {path} bestaat niet" in text and "commissie-app db upgrade" in text
    assert not path.parent.exists()


def test_db_upgrade_creates_a_new_database_on_purpose(tmp_path, capsys):
    """Issue 9, item 13: `db upgrade` is the way to make a new database file at a chosen place."""
    path = tmp_path / "nieuw" / "commissie.sqlite"
    code, text = run(capsys, "db", "upgrade", "--db", f"sqlite:///{path}")
    assert code == 0 and path.exists()
    assert f"versie {revision.head_revision()}" in text
    code, text = run(capsys, "demo-data", "--db", f"sqlite:///{path}")
    assert code == 0 and "Demodata aangemaakt" in text


def test_the_first_start_still_creates_the_default_database(capsys):
    """Issue 9, item 13: the default database in the data folder is created as before."""
    assert not default_db_path().exists()
    code, text = run(capsys, "demo-data")
    assert code == 0 and default_db_path().exists()
