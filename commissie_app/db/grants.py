"""Database roles on a shared PostgreSQL server (``commissie-app db grant``): the policy and its SQL.

The app's own permission checks stop mistakes made through the app. Someone who connects with psql
(or any other client) with a login of their own meets only what the database itself refuses: these
group roles. ``plan`` turns the policy below and the live catalogue into statements (identifiers
through psycopg's ``sql.Identifier``, the password as a SCRAM verifier made by libpq: never a clear
password in the SQL); ``apply`` runs them in one transaction, so a refusal leaves nothing half-done.
Run it as the owner of the tables; making roles needs CREATEROLE, never superuser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from psycopg import errors as pg_errors
from psycopg import sql
from sqlalchemy import Engine, text

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

READER, WRITER = "waarnemer", "gebruiker"
DEFAULT_PREFIX = "commissie"

# Where the services themselves delete rows: removing an attachment or a criterion's evidence, and
# taking an item off the agenda (with its conflict declarations; an item with votes stays), and an entry of
# the developments log (issue 15).
DELETABLE = frozenset({"attachments", "evidence", "agenda_items", "conflicts", "developments"})
# What records the commission's decisions: never deleted by a login of the writing group.
PROTECTED = frozenset({"decisions", "votes", "decision_letters", "audit_events", "corrections"})
# Written once and never changed: the audit trail and the corrections of closed meetings.
APPEND_ONLY = frozenset({"audit_events", "corrections"})
# Changed only by the owner (schema upgrades).
OWNER_ONLY = frozenset({"alembic_version"})
# Columns an observer may not read: attached documents are the applicants' personal data (AVG).
SECRET_COLUMNS = {"attachments": frozenset({"data"})}

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def group_names(prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """The two group roles: ``<prefix>_waarnemer`` (read only) and ``<prefix>_gebruiker`` (writes)."""
    if not _NAME.fullmatch(prefix):
        raise DomainError(_("Ongeldig voorvoegsel {prefix!r}: gebruik kleine letters, cijfers en _ "
                            "(hooguit 40 tekens, beginnend met een letter).").format(prefix=prefix))
    return {READER: f"{prefix}_{READER}", WRITER: f"{prefix}_{WRITER}"}


def require_postgresql(backend: str) -> None:
    if backend != "postgresql":
        raise DomainError(_("‘db grant’ werkt alleen met PostgreSQL. Een {kind}-database heeft geen eigen "
                            "gebruikers en rechten: bescherm het bestand met de rechten van de map.").format(
            kind="SQLite" if backend == "sqlite" else backend))


def writer_privileges(table: str) -> tuple[str, ...]:
    if table in OWNER_ONLY:
        return ("SELECT",)
    if table in APPEND_ONLY:
        return ("SELECT", "INSERT")
    return ("SELECT", "INSERT", "UPDATE") + (("DELETE",) if table in DELETABLE else ())


@dataclass(frozen=True)
class ExistingRole:
    login: bool
    superuser: bool
    groups: frozenset[str]


@dataclass(frozen=True)
class Catalogue:
    """What the server says about the database, the current user and the roles concerned."""

    database: str
    schema: str
    user: str
    can_create_roles: bool
    tables: dict[str, tuple[str, ...]]  # table -> its columns
    foreign_owners: dict[str, str]  # table -> owner, for tables the current user does not own
    roles: dict[str, ExistingRole] = field(default_factory=dict)


@dataclass
class Plan:
    messages: list[str]
    statements: list[sql.Composable]


def read_catalogue(conn, names: list[str]) -> Catalogue:
    database, schema, user, create = conn.execute(text(
        "SELECT current_database(), current_schema(), current_user, "
        "rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")).one()
    tables: dict[str, list[str]] = {}
    for table, column in conn.execute(text(
            "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relnamespace = CAST(:schema AS regnamespace) AND c.relkind IN ('r', 'p') "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"), {"schema": schema}):
        tables.setdefault(table, []).append(column)
    foreign = dict(conn.execute(text(
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = :schema AND tableowner <> current_user"),
        {"schema": schema}).all())
    roles = {}
    for name, login, superuser, groups in conn.execute(text(
            "SELECT r.rolname, r.rolcanlogin, r.rolsuper, ARRAY(SELECT g.rolname FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) FROM pg_roles r "
            "WHERE r.rolname = ANY(:names)"), {"names": names}):
        roles[name] = ExistingRole(login, superuser, frozenset(groups))
    return Catalogue(database, schema, user, bool(create), {t: tuple(c) for t, c in tables.items()}, foreign, roles)


def check(cat: Catalogue, groups: dict[str, str], login: str | None) -> None:
    if not cat.tables:
        raise DomainError(_("De database {db} heeft nog geen tabellen. Voer eerst uit: commissie-app db upgrade")
                          .format(db=cat.database))
    if cat.foreign_owners:
        table, owner = sorted(cat.foreign_owners.items())[0]
        raise DomainError(_("U bent verbonden als {user}, maar de tabel {table} is van {owner}. Voer "
                            "‘db grant’ uit als de eigenaar van de tabellen.").format(
            user=cat.user, table=table, owner=owner))
    for name in groups.values():
        found = cat.roles.get(name)
        if found is not None and (found.login or found.superuser):
            raise DomainError(_("De rol {name} bestaat al als login; kies een ander voorvoegsel (--prefix).")
                              .format(name=name))
    if login is not None:
        if not 0 < len(login.encode()) <= 63:  # PostgreSQL would silently cut a longer name
            raise DomainError(_("Een loginnaam heeft 1 tot 63 tekens."))
        found = cat.roles.get(login)
        unfit = found is not None and (found.superuser or not found.login)
        if login == cat.user or login in groups.values() or unfit:
            raise DomainError(_("{login} kan geen login in een groep van de commissie worden: het is de eigenaar, "
                                "een superuser of een groepsrol.").format(login=login))
    missing = [n for n in list(groups.values()) + ([login] if login else []) if n not in cat.roles]
    if missing and not cat.can_create_roles:
        raise DomainError(_("De databasegebruiker {user} mag geen rollen aanmaken ({roles}). Geef hem dat recht "
                            "(als beheerder: ALTER ROLE {user} CREATEROLE) of laat een beheerder de rollen maken. "
                            "Superuser is niet nodig.").format(user=cat.user, roles=", ".join(missing)))


def _privileges(names) -> sql.Composable:
    return sql.SQL(", ").join(sql.SQL(p) for p in names)


def _table_grants(cat: Catalogue, reader: sql.Identifier, writer: sql.Identifier) -> list[sql.Composable]:
    out = []
    for table, columns in sorted(cat.tables.items()):
        qualified = sql.Identifier(cat.schema, table)
        secret = SECRET_COLUMNS.get(table, frozenset())
        if secret:
            readable = sql.SQL(", ").join(sql.Identifier(c) for c in columns if c not in secret)
            out.append(sql.SQL("GRANT SELECT ({}) ON TABLE {} TO {}").format(readable, qualified, reader))
        else:
            out.append(sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(qualified, reader))
        out.append(sql.SQL("GRANT {} ON TABLE {} TO {}").format(
            _privileges(writer_privileges(table)), qualified, writer))
    return out


def _group_statements(cat: Catalogue, groups: dict[str, str]) -> Plan:
    plan = Plan([], [])
    schema, database = sql.Identifier(cat.schema), sql.Identifier(cat.database)
    for kind, name in groups.items():
        role = sql.Identifier(name)
        if name not in cat.roles:
            plan.statements.append(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
            plan.messages.append(_("Groepsrol {name} aangemaakt.").format(name=name))
        else:
            plan.messages.append(_("Groepsrol {name} bestond al; de rechten zijn opnieuw gezet.").format(name=name))
        plan.statements += [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, role),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role),
            # Start from nothing on every run, so that the result is the policy and not the history.
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, role),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, role),
        ]
    reader, writer = sql.Identifier(groups[READER]), sql.Identifier(groups[WRITER])
    plan.statements += _table_grants(cat, reader, writer)
    plan.statements += [
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, writer),
        # Tables and sequences a later upgrade (run by this owner) creates.
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(schema, reader),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE ON TABLES TO {}").format(
            schema, writer),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES TO {}").format(schema, writer),
    ]
    hidden = ", ".join(f"{t}.{c}" for t, cols in sorted(SECRET_COLUMNS.items()) if t in cat.tables
                       for c in sorted(cols))
    plan.messages.append(_("{name}: alleen lezen, op {n} tabellen (niet: {hidden}).").format(
        name=groups[READER], n=len(cat.tables), hidden=hidden or "-"))
    plan.messages.append(_("{name}: lezen, toevoegen en wijzigen; verwijderen alleen in {deletable}; nooit "
                           "verwijderen in {protected}; {append_only} alleen toevoegen.").format(
        name=groups[WRITER], deletable=", ".join(sorted(DELETABLE & cat.tables.keys())),
        protected=", ".join(sorted(PROTECTED)), append_only=" en ".join(sorted(APPEND_ONLY))))
    return plan


def _login_statements(cat: Catalogue, groups: dict[str, str], login: str, kind: str,
                      verifier: str | None) -> Plan:
    plan = Plan([], [])
    role, group = sql.Identifier(login), groups[kind]
    secret = sql.SQL(" PASSWORD {}").format(sql.Literal(verifier)) if verifier else sql.SQL("")
    existing = cat.roles.get(login)
    if existing is None:
        plan.statements.append(sql.SQL("CREATE ROLE {} LOGIN{}").format(role, secret))
        plan.messages.append(_("Login {login} aangemaakt.").format(login=login))
    elif verifier:
        plan.statements.append(sql.SQL("ALTER ROLE {} WITH{}").format(role, secret))
        plan.messages.append(_("Wachtwoord van login {login} gewijzigd.").format(login=login))
    for other in groups.values():
        if other != group and existing is not None and other in existing.groups:
            plan.statements.append(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), role))
            plan.messages.append(_("Login {login} is geen lid meer van {group}.").format(login=login, group=other))
    plan.statements.append(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), role))
    plan.messages.append(_("Login {login} is lid van {group}.").format(login=login, group=group))
    return plan


def apply(engine: Engine, *, prefix: str = DEFAULT_PREFIX, login: str | None = None, kind: str = READER,
          password: Callable[[bool], str | None] = lambda exists: None, execute: bool = True) -> Plan:
    """Set up (or bring up to date) the group roles and, with ``login``, a login in group ``kind``.

    ``password(exists)`` gives the login's password (None: keep the current one; a new login without
    password can sign in only where pg_hba allows that). With ``execute=False`` nothing is changed:
    the returned plan's statements are what would run.
    """
    require_postgresql(engine.dialect.name)
    if kind not in (READER, WRITER):
        raise DomainError(_("Onbekende rol {kind}: kies waarnemer of gebruiker.").format(kind=kind))
    groups = group_names(prefix)
    with engine.begin() as conn:
        cat = read_catalogue(conn, list(groups.values()) + ([login] if login else []))
        check(cat, groups, login)
        raw = conn.connection.driver_connection
        plan = _group_statements(cat, groups)
        if login:
            given = password(login in cat.roles)
            verifier = raw.pgconn.encrypt_password(given.encode(), login.encode(), None).decode() if given else None
            extra = _login_statements(cat, groups, login, kind, verifier)
            plan.messages += extra.messages
            plan.statements += extra.statements
        if not execute:
            return plan
        try:
            with raw.cursor() as cur:
                for statement in plan.statements:
                    cur.execute(statement)
        except pg_errors.InsufficientPrivilege as err:
            raise DomainError(_("De database weigerde een opdracht; er is niets gewijzigd: {msg}").format(
                msg=str(err).strip())) from err
    return plan


def as_text(engine: Engine, statements: list[sql.Composable]) -> list[str]:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        return [s.as_string(raw) + ";" for s in statements]
