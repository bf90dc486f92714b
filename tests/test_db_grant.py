"""Issue 10: ``commissie-app db grant`` on the real PostgreSQL server.

Roles are cluster-wide: every test makes group roles and logins with a prefix of its own (process id
plus random part), so parallel workers never meet, and drops them afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import secrets
import subprocess
import sys
import uuid

import pytest
from psycopg import sql
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from commissie_app import cli_db
from commissie_app.cli import main
from commissie_app.db import grants
from commissie_app.db.engine import Database, make_engine
from commissie_app.db.models import AuditEvent, DecisionRecord, VoteRecord
from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import PermissionDeniedError
from commissie_app.domain.errors import DatabaseRefusedError, DomainError
from commissie_app.services import applications as apps
from commissie_app.services import (
    attachments,
    commission,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
)
from commissie_app.services.application_rows import list_rows
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork
from tests.conftest import _pg_db, make_ctx
from tests.factories import app_data, org_data
from tests.meeting_days import step

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"
PASSWORD = "Lang-Genoeg-" + secrets.token_hex(4)


class Roles:
    """The names one test uses, and the clean-up of everything they were granted."""

    def __init__(self, url: str):
        self.url = url
        self.prefix = f"t{os.getpid()}_{secrets.token_hex(3)}"
        self.groups = grants.group_names(self.prefix)
        self.reader_login = f"{self.prefix}_lezer"
        self.writer_login = f"{self.prefix}_schrijver"

    def url_as(self, login: str) -> str:
        return make_url(self.url).set(username=login, password=PASSWORD).render_as_string(hide_password=False)

    @contextlib.contextmanager
    def engine_as(self, login: str):
        """An engine on ``login``, closed afterwards (an open session of a dropped role would keep the
        test database from being dropped)."""
        engine = make_engine(self.url_as(login))
        try:
            yield engine
        finally:
            engine.dispose()

    def drop(self) -> None:
        names = [self.reader_login, self.writer_login, *self.groups.values()]
        engine = create_engine(self.url)
        with engine.begin() as conn:
            raw = conn.connection.driver_connection
            existing = set(conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"), {"n": names}))
            with raw.cursor() as cur:
                for name in (n for n in names if n in existing):
                    role = sql.Identifier(name)
                    for stmt in ("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}",
                                 "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}",
                                 "REVOKE ALL ON SCHEMA public FROM {}",
                                 "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {}",
                                 "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {}"):
                        cur.execute(sql.SQL(stmt).format(role))
                    cur.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(
                        sql.Identifier(make_url(self.url).database), role))
                for name in (n for n in names if n in existing):
                    cur.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
        engine.dispose()


@pytest.fixture
def pg_db(pg_url):
    database = _pg_db(pg_url)
    yield database
    database.dispose()


@pytest.fixture
def roles(pg_url):
    r = Roles(pg_url)
    yield r
    r.drop()


def _grant(db: Database, roles: Roles, login: str | None = None, kind: str = grants.READER) -> grants.Plan:
    return grants.apply(db.engine, prefix=roles.prefix, login=login, kind=kind, password=lambda exists: PASSWORD)


def owner_scalar(db: Database, query: str, **params):
    """One value read with the owner's login (what really is in the database)."""
    with db.engine.connect() as conn:
        return conn.scalar(text(query), params)


def assert_denied(engine, statement: str) -> None:
    """The server refuses (insufficient_privilege), and the app turns that into its Dutch message."""
    with pytest.raises(DatabaseRefusedError) as err, engine.begin() as conn:
        conn.execute(text(statement))
    assert err.value.__cause__.sqlstate == "42501"
    assert "De database staat dit niet toe" in str(err.value)


def _application_with_attachment(db: Database) -> uuid.UUID:
    ctx = make_ctx(db)
    app_id = apps.register_application(ctx, org_data(), app_data(Criterion.PSO30))
    attachments.add_attachment(ctx, app_id, "kvk-uittreksel.pdf", PDF)
    return app_id


@pytest.mark.postgres
def test_observer_login_reads_but_cannot_change_anything(pg_db, roles):
    """Issue 10: a login in the waarnemer group reads the data (also through the app's own list), not
    the attachments' content, and every INSERT, UPDATE or DELETE is refused by the server, also when the
    app's own check would let the user through."""
    app_id = _application_with_attachment(pg_db)
    _grant(pg_db, roles, login=roles.reader_login, kind=grants.READER)

    with roles.engine_as(roles.reader_login) as reader:
        with reader.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM applications")) == 1
            assert conn.scalar(text("SELECT count(*) FROM audit_events")) >= 2
            assert conn.scalar(text("SELECT filename FROM attachments")) == "kvk-uittreksel.pdf"
        observer_db = Database(engine=reader)
        assert [uuid.UUID(str(row.id)) for row in list_rows(make_ctx(observer_db))] == [app_id]
        detail = apps.get_application(make_ctx(observer_db), app_id)
        assert [a.filename for a in detail.attachments] == ["kvk-uittreksel.pdf"]
        with pytest.raises(DatabaseRefusedError):  # the document itself stays closed
            attachments.get_content(make_ctx(observer_db), detail.attachments[0].id)
        assert_denied(reader, "SELECT data FROM attachments")
        assert_denied(reader, "INSERT INTO settings (key, value) VALUES ('x', '1')")
        assert_denied(reader, "UPDATE applications SET notes = 'gewijzigd'")
        assert_denied(reader, "DELETE FROM attachments")
        assert_denied(reader, "DELETE FROM audit_events")
        with pytest.raises(DatabaseRefusedError):
            apps.register_application(make_ctx(observer_db), org_data(kvk="87654321"), app_data())
        # The app's own check still answers first for an observer (its audit record of the refusal is
        # refused by the database too, and the app's message still reaches the user).
        make_ctx(pg_db, "Wim Waarnemer", Role.OBSERVER)
        with pytest.raises(PermissionDeniedError) as refused:
            apps.register_application(make_ctx(observer_db, "Wim Waarnemer"), org_data(kvk="87654321"), app_data())
        assert "waarnemer" in str(refused.value).lower()
    assert owner_scalar(pg_db, "SELECT count(*) FROM applications") == 1


@pytest.mark.postgres
def test_writer_login_runs_the_app_but_cannot_delete_or_rewrite_records(pg_db, roles):
    """Issue 10: a login in the writing group does the app's work through the service layer (demo data
    with meetings, votes, decisions and letters; removing an attachment, which the app does), but the
    server refuses DELETE on votes, decisions, letters, audit events and corrections, UPDATE of audit
    events and corrections, and what would get round the triggers of 0005 (TRUNCATE, DISABLE TRIGGER)."""
    _grant(pg_db, roles, login=roles.writer_login, kind=grants.WRITER)
    with roles.engine_as(roles.writer_login) as writer:
        writer_db = Database(engine=writer)
        ctx = make_ctx(writer_db)
        assert create_demo_data(ctx) > 0
        app_id = apps.register_application(ctx, org_data(kvk="87654321"), app_data(Criterion.BCORP))
        att_id = attachments.add_attachment(ctx, app_id, "certificaat.pdf", PDF)
        attachments.remove_attachment(ctx, att_id)
        with UnitOfWork(ctx) as uow:
            assert uow.session.scalar(select(VoteRecord.id).limit(1)) is not None
            assert uow.session.scalar(select(DecisionRecord.id).limit(1)) is not None
            assert uow.session.scalar(select(AuditEvent.id).where(AuditEvent.entity_id == str(att_id),
                                                                  AuditEvent.action == "delete")) is not None

        for statement in ("DELETE FROM votes", "DELETE FROM decisions", "DELETE FROM decision_letters",
                          "DELETE FROM audit_events", "DELETE FROM corrections",
                          "UPDATE audit_events SET actor = 'iemand anders'",
                          "UPDATE corrections SET reason = 'anders'",
                          "UPDATE alembic_version SET version_num = '0001'",
                          "TRUNCATE audit_events", "ALTER TABLE votes DISABLE TRIGGER ALL",
                          "DROP TABLE votes"):
            assert_denied(writer, statement)
    assert owner_scalar(pg_db, "SELECT count(*) FROM votes") > 0
    assert owner_scalar(pg_db, "SELECT count(*) FROM audit_events WHERE actor = 'iemand anders'") == 0


@pytest.mark.postgres
def test_writer_login_can_still_remove_what_the_app_removes(pg_db, roles):
    """Issue 10: the deletions the app itself makes work for the writing group: a criterion's evidence
    dropped in an edit, and an application taken off the agenda together with its conflict declaration."""
    _grant(pg_db, roles, login=roles.writer_login, kind=grants.WRITER)
    with roles.engine_as(roles.writer_login) as writer:
        ctx = make_ctx(Database(engine=writer))
        app_id = apps.register_application(ctx, org_data(), app_data(Criterion.PSO30, Criterion.BCORP))
        detail = apps.get_application(ctx, app_id)
        apps.update_application(ctx, app_id, expected_version=detail.version,
                                expected_organisation_version=detail.organisation_version,
                                org=detail.organisation, app=app_data(Criterion.PSO30))
        assert [e.criterion for e in apps.get_application(ctx, app_id).application.evidence] == [Criterion.PSO30]
        apps.change_status(ctx, app_id, Status.IN_PROGRESS)
        apps.change_status(ctx, app_id, Status.COMPLETE)
        member = commission.add_member(ctx, "Lid Een")
        commission.appoint(ctx, member, Seat.BUSINESS, dt.date(2026, 1, 1))  # issue 13: the chair holds a seat
        starts = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.timezone.utc)
        meeting = meeting_planning.plan_meeting(ctx, starts, place="Stadhuis", chair_member_id=member)
        meeting_agenda.add_application_item(ctx, meeting, app_id)
        step(ctx, meeting, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
        item = next(i for i in meeting_detail.get_meeting(ctx, meeting).items if i.kind is ItemKind.APPLICATION)
        meeting_attendance.declare_conflict(ctx, item.id, member, "Adviseur van de organisatie")
        meeting_agenda.remove_item(ctx, item.id)
        assert apps.get_application(ctx, app_id).status is Status.COMPLETE
    assert owner_scalar(pg_db, "SELECT count(*) FROM conflicts") == 0


@pytest.mark.postgres
def test_grant_twice_is_no_error_and_takes_back_extra_privileges(pg_db, roles):
    """Issue 10: running it again reports the existing roles and brings them back to the policy:
    a DELETE on votes or a SELECT of attachment content granted by hand in between is taken back."""
    first = _grant(pg_db, roles)
    assert f"Groepsrol {roles.groups['waarnemer']} aangemaakt." in first.messages
    with pg_db.engine.begin() as conn:
        raw = conn.connection.driver_connection
        raw.execute(sql.SQL("GRANT DELETE ON votes TO {}").format(sql.Identifier(roles.groups["gebruiker"])))
        raw.execute(sql.SQL("GRANT SELECT ON attachments TO {}").format(sql.Identifier(roles.groups["waarnemer"])))
    second = _grant(pg_db, roles)
    assert any("bestond al" in m and roles.groups["gebruiker"] in m for m in second.messages)
    with pg_db.engine.connect() as conn:
        check = {"w": roles.groups["gebruiker"], "r": roles.groups["waarnemer"]}
        assert conn.scalar(text("SELECT has_table_privilege(:w, 'votes', 'DELETE')"), check) is False
        assert conn.scalar(text("SELECT has_table_privilege(:w, 'votes', 'INSERT')"), check) is True
        assert conn.scalar(text("SELECT has_column_privilege(:r, 'attachments', 'data', 'SELECT')"), check) is False
        assert conn.scalar(text("SELECT has_column_privilege(:r, 'attachments', 'filename', 'SELECT')"), check) is True


@pytest.mark.postgres
def test_tables_made_by_a_later_upgrade_follow_the_groups(pg_db, roles):
    """Issue 10: a table the owner creates later (an upgrade) is readable for observers and writable
    without DELETE for the writing group, before anyone runs 'db grant' again."""
    _grant(pg_db, roles)
    table = f"later_{roles.prefix}"
    with pg_db.engine.begin() as conn:
        conn.connection.driver_connection.execute(
            sql.SQL("CREATE TABLE {} (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x text)").format(
                sql.Identifier(table)))
    try:
        with pg_db.engine.connect() as conn:
            args = {"t": table, "r": roles.groups["waarnemer"], "w": roles.groups["gebruiker"]}
            assert conn.scalar(text("SELECT has_table_privilege(:r, :t, 'SELECT')"), args)
            assert not conn.scalar(text("SELECT has_table_privilege(:r, :t, 'INSERT')"), args)
            assert conn.scalar(text("SELECT has_table_privilege(:w, :t, 'INSERT')"), args)
            assert not conn.scalar(text("SELECT has_table_privilege(:w, :t, 'DELETE')"), args)
    finally:
        with pg_db.engine.begin() as conn:
            conn.connection.driver_connection.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(table)))


@pytest.mark.postgres
def test_cli_sets_up_a_login_and_moves_it_between_groups(pg_url, pg_db, roles, monkeypatch, capsys):
    """Issue 10: 'commissie-app db grant --login NAAM --role ...' takes the password from the
    environment (never the command line), says in Dutch what it did, and a second run with the other
    role moves the login; '--sql' shows the statements with a SCRAM verifier and changes nothing."""
    monkeypatch.setenv("COMMISSIE_LOGIN_PASSWORD", PASSWORD)
    base = ["--db", pg_url, "db", "grant", "--prefix", roles.prefix, "--login", roles.reader_login]

    assert main(base + ["--sql"]) == 0
    shown = capsys.readouterr().out
    assert "SCRAM-SHA-256$" in shown and PASSWORD not in shown
    assert f'CREATE ROLE "{roles.reader_login}" LOGIN PASSWORD' in shown
    assert owner_scalar(pg_db, "SELECT count(*) FROM pg_roles WHERE rolname = :n", n=roles.reader_login) == 0
    assert main(base + ["--role", "waarnemer"]) == 0
    out = capsys.readouterr().out
    assert f"Login {roles.reader_login} aangemaakt." in out
    assert f"Login {roles.reader_login} is lid van {roles.groups['waarnemer']}." in out
    assert main(base + ["--role", "gebruiker"]) == 0
    out = capsys.readouterr().out
    assert f"Login {roles.reader_login} is geen lid meer van {roles.groups['waarnemer']}." in out
    with roles.engine_as(roles.reader_login) as engine:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO settings (key, value) VALUES ('door_login', '1')"))


@pytest.mark.postgres
def test_refused_for_a_login_that_does_not_own_the_tables(pg_db, roles):
    """Issue 10: run by a login that is not the owner, it refuses with a Dutch message and changes nothing."""
    _grant(pg_db, roles, login=roles.writer_login, kind=grants.WRITER)
    with roles.engine_as(roles.writer_login) as writer:
        with pytest.raises(DomainError) as err:
            grants.apply(writer, prefix=roles.prefix + "x")
        assert "eigenaar van de tabellen" in str(err.value)
    assert owner_scalar(pg_db, "SELECT count(*) FROM pg_roles WHERE rolname LIKE :p", p=roles.prefix + "x%") == 0


def test_refused_on_sqlite_with_a_dutch_message(tmp_path, capsys):
    """Issue 10: on SQLite 'db grant' refuses (exit status 1) with a Dutch message and makes no file."""
    path = tmp_path / "nieuw.sqlite"
    assert main(["--db", f"sqlite:///{path}", "db", "grant"]) == 1
    assert "werkt alleen met PostgreSQL" in capsys.readouterr().err
    assert not path.exists()


@pytest.mark.postgres
def test_cli_write_by_an_observer_login_ends_with_the_dutch_refusal(pg_db, roles):
    """Issue 10: a command that writes, run with an observer's login, stops with the Dutch message
    (exit status 1), not with "Er ging iets onverwachts mis"; nothing is saved. Picking the secretary's
    name (the app's identity is a name, not a password) does not get round the database."""
    make_ctx(pg_db)  # the owner made the secretary's user record; the observer's login signs in as that name
    _grant(pg_db, roles, login=roles.reader_login, kind=grants.READER)
    # A process of its own, as a user runs it: its connection ends with it (a connection left open by a
    # role that is then dropped would keep the test database from being dropped).
    done = subprocess.run([sys.executable, "-m", "commissie_app", "--db", roles.url_as(roles.reader_login),
                           "--als", "Sanne Secretaris", "demo-data"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "De database staat dit niet toe" in done.stderr and "onverwachts" not in done.stderr
    assert owner_scalar(pg_db, "SELECT count(*) FROM organisations") == 0
    assert owner_scalar(pg_db, "SELECT count(*) FROM users") == 1

def test_refused_without_createrole_naming_the_privilege():
    """Issue 10: an owner without CREATEROLE is told, in Dutch, which privilege to ask for (not superuser),
    before anything runs; an unusable prefix or a too long login name is refused too."""
    catalogue = grants.Catalogue(database="commissie", schema="public", user="eigenaar", can_create_roles=False,
                                 tables={"votes": ("id",)}, foreign_owners={})
    with pytest.raises(DomainError) as err:
        grants.check(catalogue, grants.group_names("commissie"), None)
    assert "ALTER ROLE eigenaar CREATEROLE" in str(err.value) and "commissie_waarnemer" in str(err.value)
    with pytest.raises(DomainError):
        grants.group_names('x"; DROP TABLE votes; --')
    with pytest.raises(DomainError) as err:  # PostgreSQL would cut the name to 63 bytes without an error
        grants.check(catalogue, grants.group_names("commissie"), "l" * 64)
    assert "63 tekens" in str(err.value)


def test_password_only_from_the_environment_or_a_terminal(monkeypatch):
    """Issue 10: without a terminal and without COMMISSIE_LOGIN_PASSWORD a new login is refused with a
    Dutch message (there is no option to put a password on the command line); an existing login keeps its
    password."""
    monkeypatch.delenv(cli_db.PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(DomainError) as err:
        cli_db.ask_password(False)
    assert "COMMISSIE_LOGIN_PASSWORD" in str(err.value)
    assert cli_db.ask_password(True) is None
    monkeypatch.setenv(cli_db.PASSWORD_ENV, PASSWORD)
    assert cli_db.ask_password(False) == PASSWORD
