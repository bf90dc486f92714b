"""Code columns (statuses, seats, votes, ...): the database refuses unknown codes and the ORM gives the
domain enums back (issue 10, "Enum columns get CHECK constraints and typed mapping"). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, Enum, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from commissie_app.bootstrap import open_database
from commissie_app.db import migrate
from commissie_app.db.models import Application, Base, DecisionLetter
from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import assessments
from commissie_app.services.letter_archive import get_letter
from commissie_app.services.letter_generation import generate_letters
from commissie_app.services.letter_sending import mark_sent
from commissie_app.services.meeting_detail import get_meeting
from commissie_app.services.meeting_planning import list_meetings
from commissie_app.services.applications import get_application, register_application
from commissie_app.services.attachments import add_attachment
from commissie_app.services.demo import create_demo_data
from commissie_app.services.uow import UnitOfWork
from commissie_app.services.users import add_user
from tests.factories import app_data, org_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def before_checks() -> str:
    """The revision before the migration that adds the constraints (found by its slug: numbers change)."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    (mine,) = [s for s in scripts.walk_revisions() if s.path.endswith("_enum_check_constraints.py")]
    return mine.down_revision


def code_columns():
    """(table, column, allowed values, enum class or None) of every code column of the models."""
    return [(t.name, c.name, tuple(c.type.enums), c.type.enum_class)
            for t in Base.metadata.sorted_tables for c in t.columns if isinstance(c.type, Enum)]


def _id(db, value: uuid.UUID):
    return value.hex if db.dialect == "sqlite" else value


def _refused_by(constraint: str, db, sql: str, params: dict) -> None:
    with pytest.raises(IntegrityError) as err:
        with db.engine.begin() as conn:
            conn.execute(text(sql), params)
    assert constraint in str(err.value)


def every_kind_of_data(ctx) -> dict:
    """The demo data plus what it lacks: a user, an attachment, an assessment with advice, a sent letter."""
    create_demo_data(ctx)
    add_user(ctx, "Vera Voorzitter", Role.CHAIR)
    app_id = register_application(ctx, org_data(kvk="87654321"), app_data(Criterion.PSO30))
    add_attachment(ctx, app_id, "pso.pdf", PDF, Criterion.PSO30)
    add_attachment(ctx, app_id, "los.pdf", PDF)
    a = assessments.get_or_create_assessment(ctx, app_id)
    assessments.save_answers(ctx, a.id, {"region_established": "nee"}, a.version)
    closed = next(r.id for r in list_meetings(ctx) if r.status is MeetingStatus.CLOSED
                  and any(i.decision for i in get_meeting(ctx, r.id).items))
    infos = generate_letters(ctx, closed)
    mark_sent(ctx, infos[0].id, dt.date(2026, 11, 23), "post")
    return {"application": app_id, "sent_letter": infos[0].id}


def test_a_status_outside_the_list_is_refused_by_the_database(ctx):
    """Issue 10: a plain SQL UPDATE or INSERT with an unknown status is refused, on SQLite and PostgreSQL."""
    app_id = register_application(ctx, org_data(), app_data(Criterion.PSO30))
    db = ctx.db
    _refused_by("ck_applications_status", db, "UPDATE applications SET status = 'approved' WHERE id = :id",
                {"id": _id(db, app_id)})
    _refused_by("ck_status_changes_to_status", db,
                "INSERT INTO status_changes (id, application_id, from_status, to_status, at, on_date, by, remark) "
                "VALUES (:id, :app, 'received', 'goedgekeurd', :at, :on, 'x', '')",
                {"id": _id(db, uuid.uuid4()), "app": _id(db, app_id), "at": dt.datetime.now(dt.timezone.utc),
                 "on": dt.date(2026, 11, 23)})
    _refused_by("ck_users_role", db, "INSERT INTO users (id, name, role, created_at) VALUES (:id, 'X', 'admin', :at)",
                {"id": _id(db, uuid.uuid4()), "at": dt.datetime.now(dt.timezone.utc)})
    assert get_application(ctx, app_id).status is Status.RECEIVED
    # a known code and NULL (where the column allows it) still go in
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE applications SET status = 'in_progress' WHERE id = :id"), {"id": _id(db, app_id)})
        conn.execute(text("UPDATE attachments SET criterion = NULL"))
    assert get_application(ctx, app_id).status is Status.IN_PROGRESS


def test_every_code_column_refuses_an_unknown_code(ctx):
    """Issue 10: each code column of every table refuses a value outside its list (a plain SQL UPDATE of a row
    that no trigger of 0005 protects)."""
    ids = every_kind_of_data(ctx)
    db = ctx.db
    protected = {"votes", "decisions", "meetings", "decision_letters"}  # rows of closed meetings / sent letters
    seen = set()
    for table, column, _values, _cls in code_columns():
        where = ""
        if table in protected:
            where = {"decision_letters": "WHERE sent_on IS NULL", "meetings": "WHERE status <> 'closed'"}.get(
                table, "WHERE agenda_item_id IN (SELECT a.id FROM agenda_items a JOIN meetings m ON "
                       "m.id = a.meeting_id WHERE m.status <> 'closed')")
        with db.engine.connect() as conn:
            if conn.execute(text(f"SELECT COUNT(*) FROM {table} {where}")).scalar() == 0:
                continue
        _refused_by(f"ck_{table}_{column}", db, f"UPDATE {table} SET {column} = 'onbekend' {where}", {})
        seen.add((table, column))
    assert {"applications", "users", "assessments", "attendance", "evidence", "decision_letters", "terms",
            "organisations", "agenda_items", "meetings", "status_changes"} <= {t for t, _c in seen}
    assert get_letter(ctx, ids["sent_letter"]).sent_via == "post"


def test_the_orm_gives_the_domain_enums_back(ctx):
    """Issue 10: model attributes of code columns are the domain enums, not strings to convert by hand."""
    every_kind_of_data(ctx)
    checked = 0
    with UnitOfWork(ctx) as uow:
        for mapper in Base.registry.mappers:
            cols = [c for c in mapper.columns if isinstance(c.type, Enum) and c.type.enum_class is not None]
            for row in uow.session.scalars(select(mapper.class_).limit(20)):
                for c in cols:
                    value = getattr(row, c.key)
                    assert value is None or type(value) is c.type.enum_class, (mapper.class_.__name__, c.key, value)
                    checked += value is not None
        app = uow.session.scalars(select(Application).where(Application.status == Status.DECIDED)).first()
        assert app.status is Status.DECIDED and app.organisation.municipality.label
    assert checked > 100


def test_models_and_migrations_agree(db):
    """Issue 10: autogenerate finds no difference between the models and the migrated schema, and each code
    column's CHECK constraint in the database holds exactly the values of the model's enum."""
    _assert_schema_is_the_models(db)


def _assert_schema_is_the_models(db) -> None:
    with db.engine.connect() as conn:
        mc = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": Base.metadata})
        assert compare_metadata(mc, Base.metadata) == []
    found = {}
    insp = inspect(db.engine)
    for name in Base.metadata.tables:
        for ck in insp.get_check_constraints(name):
            found[ck["name"]] = set(re.findall(r"'([^']*)'", ck["sqltext"]))
    expected = {f"ck_{t}_{c}": set(values) for t, c, values, _cls in code_columns()}
    assert len(expected) >= 20
    assert found == expected
    model = {ck.name for t in Base.metadata.sorted_tables for ck in t.constraints if isinstance(ck, CheckConstraint)}
    assert model == set(expected)


def _snapshot(db, tables=None) -> dict:
    """Every row of every table (``tables``: only these, each with only the columns it has there)."""
    with db.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(*[c for c in t.columns
                                                               if tables is None or c.name in tables[t.name]]))))
                for t in Base.metadata.sorted_tables if tables is None or t.name in tables}


def triggers_of_0005() -> set[str]:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    return {name for name, *_rest in scripts.get_revision("0005").module._sqlite_triggers()}


def _sqlite_triggers(db) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())


@pytest.mark.parametrize("start", ["before the constraints", "0005"])
def test_upgrade_keeps_every_row_and_the_triggers_of_0005(ctx, start):
    """Issue 10: a database from before the constraints (at the revision just before, and at 0005) holding data
    of every kind is upgraded; no row is lost or changed (SQLite re-creates the tables: no cascade to referring
    rows), the constraints hold afterwards and the triggers of 0005 still refuse to change a sent letter.
    (From 0005, tables made by later migrations start empty again: their downgrade drops them.)"""
    ids = every_kind_of_data(ctx)
    db = ctx.db
    before = _snapshot(db)
    assert all(before[t] for t in ("users", "evidence", "attachments", "assessments", "votes", "decision_letters",
                                   "corrections", "status_changes", "attendance", "terms"))
    triggers = _sqlite_triggers(db) if db.dialect == "sqlite" else set()
    migrate.downgrade(db.engine, before_checks() if start == "before the constraints" else start)
    assert not any(insp["name"] for insp in inspect(db.engine).get_check_constraints("applications"))
    insp = inspect(db.engine)
    # the tables and columns of the older revision (Issue 12: a follow-up's purpose and link are newer)
    kept = {name: {c["name"] for c in insp.get_columns(name)} for name in insp.get_table_names()}
    before = _snapshot(db, kept)
    migrate.upgrade(db.engine, backup=False)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert _snapshot(db, kept) == before
    _assert_schema_is_the_models(db)
    if db.dialect == "sqlite":
        assert triggers_of_0005() <= triggers and _sqlite_triggers(db) == triggers
    sent = DecisionLetter.__table__.c.id == ids["sent_letter"]
    with pytest.raises(DBAPIError, match="commissie-app"):
        with db.engine.begin() as conn:
            conn.execute(DecisionLetter.__table__.update().where(sent).values(sent_via=None, sent_on=None))
    with pytest.raises(DBAPIError, match="commissie-app"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE votes SET choice = 'against'"))  # the demo's votes are of closed meetings
    _refused_by("ck_applications_status", db, "UPDATE applications SET status = 'approved'", {})
    assert _snapshot(db, kept) == before


def test_upgrade_stops_with_a_clear_message_on_an_unknown_code(ctx):
    """Issue 10: a row holding a code outside the list stops the upgrade with a Dutch message naming table,
    column and value; nothing is changed, and once the row is mended the upgrade goes through."""
    app_id = register_application(ctx, org_data(), app_data(Criterion.PSO30))
    db = ctx.db
    migrate.downgrade(db.engine, before_checks())
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE applications SET status = 'goedgekeurd'"))
        conn.execute(text("UPDATE evidence SET criterion = 'ISO26000'"))
    with pytest.raises(DomainError) as err:
        open_database(db.url)  # what the app and the CLI do on start (after a backup copy of a SQLite file)
    message = str(err.value)
    assert "kan niet worden bijgewerkt" in message and "Er is niets gewijzigd" in message
    assert "applications.status: ‘goedgekeurd’ (1 rij)" in message
    assert "evidence.criterion: ‘ISO26000’ (1 rij)" in message
    assert migrate.current_revision(db.engine) == before_checks()
    if db.dialect == "sqlite":
        assert triggers_of_0005() <= _sqlite_triggers(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE applications SET status = 'complete'"))
        conn.execute(text("UPDATE evidence SET criterion = 'PSO30'"))
    migrate.upgrade(db.engine, backup=False)
    assert get_application(ctx, app_id).status is Status.COMPLETE


def test_code_columns_cover_the_enum_classes_of_the_domain():
    """Issue 10: the models map the code columns to the domain's enums (not to strings)."""
    classes = {cls for *_rest, cls in code_columns() if cls is not None}
    assert all(issubclass(cls, enum.Enum) for cls in classes)
    assert {Status, Criterion, Role, MeetingStatus} <= classes
    by_column = {(t, c): cls for t, c, _v, cls in code_columns()}
    assert by_column[("applications", "status")] is Status
    assert by_column[("status_changes", "from_status")] is Status
