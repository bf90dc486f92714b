"""Issue 11, "When the shared server cannot be reached": the command line against a PostgreSQL server that is
down, silent, or refuses the login prints one Dutch paragraph naming the server and exits 1; the driver's
English goes to the log file only. And the local file the desktop app opens instead (a backup is copied)."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from commissie_app.bootstrap import local_database_url, open_database
from commissie_app.domain.errors import DomainError
from commissie_app.domain.server_errors import ServerUnreachableError
from commissie_app.paths import default_db_path

ROOT = Path(__file__).parents[1]
PASSWORD = "GeheimWachtwoord42"
ENGLISH = ("connection", "refused", "failed", "traceback", "error", "server at", "password", "timeout expired")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(tmp_path, *args, env_url: str | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, COMMISSIE_HOME=str(tmp_path / "home"))
    env.pop("COMMISSIE_DB_URL", None)
    if env_url:
        env["COMMISSIE_DB_URL"] = env_url
    return subprocess.run([sys.executable, "-m", "commissie_app", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def log_text(tmp_path) -> str:
    return (tmp_path / "home" / "log" / "commissie-app.log").read_text(encoding="utf-8")


def assert_one_dutch_paragraph(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 1, proc.stderr
    out = (proc.stdout + proc.stderr).strip()
    assert "\n" not in out  # one paragraph
    lowered = out.lower()
    for english in ENGLISH:
        assert english not in lowered, f"{english!r} in {out!r}"
    assert PASSWORD.lower() not in lowered
    return out


@pytest.mark.parametrize("how", ["--db", "COMMISSIE_DB_URL"])
def test_a_command_against_a_server_that_is_down_prints_dutch_and_exits_1(tmp_path, how):
    """Issue 11: before, the command printed "Er ging iets onverwachts mis" (exit 3) and only the log
    said that the server refused the connection."""
    port = free_port()
    url = f"postgresql://commissie:{PASSWORD}@127.0.0.1:{port}/commissie_srv"
    args = ["export-applications", str(tmp_path / "uit.csv")]
    proc = run_cli(tmp_path, *args, "--db", url) if how == "--db" else run_cli(tmp_path, *args, env_url=url)
    out = assert_one_dutch_paragraph(proc)
    assert out.startswith("De gedeelde database is niet bereikbaar. Server 127.0.0.1:%d, database commissie_srv. "
                          "De server weigert de verbinding" % port)
    assert not (tmp_path / "uit.csv").exists()
    assert "Connection refused" in log_text(tmp_path)  # the driver's text: in the log only


def test_db_upgrade_against_a_server_that_is_down(tmp_path):
    port = free_port()
    proc = run_cli(tmp_path, "db", "upgrade", "--db", f"postgresql://commissie:{PASSWORD}@127.0.0.1:{port}/x")
    assert f"Server 127.0.0.1:{port}, database x." in assert_one_dutch_paragraph(proc)


def test_a_server_that_does_not_answer_is_given_up_after_a_few_seconds(tmp_path):
    """Issue 11: the user is not kept waiting: the connect timeout is 5 s (psycopg's default is 130 s)."""
    silent = socket.create_server(("127.0.0.1", 0))  # accepts the connection, never answers
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        proc = run_cli(tmp_path, "backup", str(tmp_path / "kopie.sqlite"), "--db",
                       f"postgresql://commissie:{PASSWORD}@127.0.0.1:{port}/commissie", timeout=60)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    out = assert_one_dutch_paragraph(proc)
    assert "De server antwoordt niet binnen 5 seconden" in out
    assert 4.5 < elapsed < 12


def test_an_unknown_server_name_is_named():
    with pytest.raises(ServerUnreachableError) as caught:
        open_database("postgresql://commissie:x@geen-server.invalid:5433/commissie")
    assert str(caught.value).startswith("De gedeelde database is niet bereikbaar. Server geen-server.invalid:5433, "
                                        "database commissie. De servernaam geen-server.invalid is niet gevonden")


@pytest.mark.postgres
def test_a_wrong_password_on_the_real_server_has_its_own_dutch_sentence(tmp_path, pg_url):
    """Issue 11: the user exists on the server, the password is wrong."""
    u = make_url(pg_url)
    proc = run_cli(tmp_path, "export-applications", str(tmp_path / "uit.csv"), "--db",
                   u.set(password=PASSWORD).render_as_string(hide_password=False))
    out = assert_one_dutch_paragraph(proc)
    assert out == (f"Aanmelden bij de databaseserver is mislukt. De server {u.host}:{u.port or 5432} weigert de "
                   f"aanmelding van gebruiker {u.username} bij database {u.database}: de gebruikersnaam of het "
                   "wachtwoord klopt niet. Controleer het adres bij --db of COMMISSIE_DB_URL, of vraag de beheerder "
                   "om de juiste gegevens.")
    assert "password authentication failed" in log_text(tmp_path)


@pytest.mark.postgres
def test_a_missing_database_on_the_real_server_is_named(tmp_path, pg_url):
    u = make_url(pg_url)
    proc = run_cli(tmp_path, "db", "upgrade", "--db",
                   u.set(database="bestaat_niet").render_as_string(hide_password=False))
    out = assert_one_dutch_paragraph(proc)
    assert out.startswith(f"De database bestaat niet. Op server {u.host}:{u.port or 5432} bestaat geen database "
                          "bestaat_niet.")


def test_the_screenshot_start_against_a_server_that_is_down_fails_in_dutch(tmp_path):
    """Issue 11: the desktop start without a screen to ask on (``--screenshot``) says why and stops."""
    port = free_port()
    out = tmp_path / "shot.png"
    proc = run_cli(tmp_path, "--db", f"postgresql://commissie:{PASSWORD}@127.0.0.1:{port}/commissie",
                   "--screenshot", str(out), timeout=120)
    text = assert_one_dutch_paragraph(proc)
    assert f"Server 127.0.0.1:{port}, database commissie." in text and not out.exists()


# -- the local file opened instead (bootstrap.local_database_url) ---------------------------------------

def test_a_backup_is_copied_and_the_copy_opens(tmp_path, sqlite_template):
    """Issue 11: a backup chosen in the dialog is never changed: the app opens a working copy of it."""
    backup = tmp_path / "usb" / "commissie.backup-20261123-101500.sqlite"
    backup.parent.mkdir()
    backup.write_bytes(sqlite_template.read_bytes())
    digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    url, copy = local_database_url(backup)
    assert copy is not None and copy.parent.name == "werkkopieen" and url == f"sqlite:///{copy}"
    open_database(url).dispose()
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == digest
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]


def test_the_apps_own_local_database_and_working_copies_open_as_they_are(tmp_path, sqlite_template):
    own = default_db_path()
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes(sqlite_template.read_bytes())
    assert local_database_url(own) == (f"sqlite:///{own.resolve()}", None)
    _url, copy = local_database_url(sqlite_template)
    assert local_database_url(copy) == (f"sqlite:///{copy.resolve()}", None)  # no copy of a copy


def test_an_empty_file_is_refused_not_made_into_a_new_database(tmp_path):
    empty = tmp_path / "leeg.sqlite"
    empty.touch()
    with pytest.raises(DomainError, match="is geen database of reservekopie van de Commissie-app"):
        local_database_url(empty)
    assert not any((default_db_path().parent / "werkkopieen").glob("*"))
