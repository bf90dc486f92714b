"""Shared fixtures: a migrated database per test on SQLite and on real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from commissie_app.db import migrate  # noqa: E402
from commissie_app.db.engine import Database, make_engine  # noqa: E402
from commissie_app.db.models import Base  # noqa: E402
from commissie_app.domain.codes import Role  # noqa: E402
from commissie_app.services.context import Actor, ServiceContext  # noqa: E402

PG_URL = os.environ.get("COMMISSIE_TEST_PG_URL")
TODAY = dt.date(2026, 11, 23)


def pytest_addoption(parser):
    parser.addoption("--approve", action="store_true",
                     help="rewrite the expected texts of tests/test_approved_documents.py (tests/approved/)")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test touches the real user data, config or log directories."""
    monkeypatch.setenv("COMMISSIE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COMMISSIE_DB_URL", raising=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, backup=False)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """A database of its own per xdist worker on the real server, migrated once."""
    if not PG_URL:
        pytest.skip("COMMISSIE_TEST_PG_URL not set: PostgreSQL is not available on this machine")
    base = make_url(PG_URL)
    name = f"{base.database}_{worker_id}_{os.getpid()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine, backup=False)
    engine.dispose()
    yield url
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _sqlite_db(tmp_path, sqlite_template) -> Database:
    path = tmp_path / "commissie.sqlite"
    shutil.copy(sqlite_template, path)
    return Database(f"sqlite:///{path}")


def _pg_db(pg_url) -> Database:
    db = Database(pg_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path, sqlite_template):
    """A migrated, empty database: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = _sqlite_db(tmp_path, sqlite_template)
    else:
        database = _pg_db(request.getfixturevalue("pg_url"))
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template):
    """SQLite only (UI tests, which need not run twice)."""
    database = _sqlite_db(tmp_path, sqlite_template)
    yield database
    database.dispose()


def make_ctx(database: Database, name: str = "Sanne Secretaris", role: Role = Role.SECRETARY,
             member_id=None) -> ServiceContext:
    """A context acting as the user ``name`` (made with this role, and linked member, if new)."""
    from sqlalchemy import select

    from commissie_app.db.models import User

    with database.session() as s:
        user = s.scalars(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, role=role.value, member_id=member_id, active=True)
            s.add(user)
            s.commit()
        actor = Actor(name, Role(user.role), user.id, user.member_id)
    return ServiceContext(database, actor, today=lambda: TODAY)


@pytest.fixture
def ctx(db):
    return make_ctx(db)


@pytest.fixture
def sqlite_ctx(sqlite_db):
    return make_ctx(sqlite_db)
