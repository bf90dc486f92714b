"""the database refuses a code it does not know: CHECK constraints on every code column

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 (written by hand)

Columns holding one of a fixed set of codes (an application's status, a vote's choice, a seat, ...)
were plain strings: SQLite stores anything, so one bulk update or another program could write a code
the app does not know. Each now gets a CHECK constraint ``ck_<table>_<column>`` with the values the
app knows today (``CODES`` below, frozen here; the models map the same columns to the domain enums
with ``db.models.code``, whose ``create_constraint`` makes the same constraints).

Existing data is checked first. No earlier release stored other values, so none is mapped: a row
with a value outside its set (written by hand or by another program) stops the upgrade with a Dutch
message naming table, column and value, before anything is changed; the database stays as it was.

On SQLite each table is re-created (batch mode). Foreign keys must be off meanwhile (dropping a
table would otherwise cascade to the rows referring to it); ``db.migrate`` does that and checks the
foreign keys afterwards. The triggers of 0005 on these tables (letters, votes, decisions, meetings)
are dropped first and made again afterwards with 0005's own definitions: re-creating a table drops
its triggers, and renaming a table fails while a trigger refers to a table that is being replaced.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, ngettext

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

STATUSES = ('received', 'in_progress', 'info_requested', 'complete', 'scheduled', 'decided', 'withdrawn')
CRITERIA = ('CODE_SO', 'SE_NL', 'PSO30', 'NON_PROFIT', 'BCORP', 'STARTUP')
SEATS = ('business', 'sroi_ijmond', 'sroi_south_kennemerland', 'haarlem_impact', 'haarlem_work_income')

#: table -> column -> the values allowed (NULL stays allowed where the column is nullable).
CODES: dict[str, dict[str, tuple[str, ...]]] = {
    'users': {'role': ('secretary', 'chair', 'member', 'observer')},  # 'guest' became 'observer' in 0006
    'organisations': {
        'legal_form': ('eenmanszaak', 'vof', 'maatschap', 'bv', 'nv', 'cooperatie', 'vereniging', 'stichting',
                       'anders'),
        'municipality': ('Haarlem', 'Bloemendaal', 'Heemstede', 'Zandvoort', 'Velsen', 'Heemskerk', 'Beverwijk'),
    },
    'applications': {'status': STATUSES},
    'evidence': {'criterion': CRITERIA},
    'attachments': {'criterion': CRITERIA},
    'status_changes': {'from_status': STATUSES, 'to_status': STATUSES},
    'assessments': {
        'kind': ('member', 'consolidated'),
        'state': ('draft', 'final'),
        'advice': ('grant', 'conditional_grant', 'reject', 'defer'),
    },
    'terms': {'seat': SEATS},
    'meetings': {'status': ('planned', 'agenda_set', 'open', 'closed')},
    'agenda_items': {'kind': ('standard', 'application', 'free')},
    'attendance': {'seat': SEATS, 'state': ('present', 'absent', 'excused')},
    'votes': {'seat': SEATS, 'choice': ('for', 'against', 'abstain')},
    'decisions': {'decision_type': ('granted', 'conditional', 'rejected', 'deferred')},
    'decision_letters': {'sent_via': ('post', 'email')},
}


#: Values a later migration adds (0011: decisions 'withdrawn'). They can be present here only in a database
#: brought back from that revision (its downgrade keeps every decision), and stay allowed then.
LATER: dict[tuple[str, str], tuple[str, ...]] = {('decisions', 'decision_type'): ('withdrawn',)}


def _allowed(table: str, column: str, values: tuple[str, ...]) -> tuple[str, ...]:
    later = LATER.get((table, column), ())
    if not later:
        return values
    col = sa.column(column)
    present = op.get_bind().execute(sa.select(sa.func.count()).select_from(sa.table(table, col))
                                    .where(col.in_(later))).scalar()
    return values + later if present else values


def _unknown_values() -> list[str]:
    """One line per (table, column, value) outside the allowed set, with the number of rows."""
    conn = op.get_bind()
    lines = []
    for table, columns in CODES.items():
        for column, values in columns.items():
            col = sa.column(column)
            rows = conn.execute(sa.select(col, sa.func.count()).select_from(sa.table(table, col))
                                .where(col.is_not(None), col.not_in(_allowed(table, column, values))).group_by(col).order_by(col))
            lines += [ngettext("- {table}.{column}: ‘{value}’ ({n} rij)", "- {table}.{column}: ‘{value}’ ({n} rijen)",
                               n).format(table=table, column=column, value=value, n=n)
                      for value, n in rows]
    return lines


def _check_data() -> None:
    lines = _unknown_values()
    if lines:
        raise DomainError(_(
            "De database kan niet worden bijgewerkt: er staan waarden in die de app niet kent:\n{lines}\n"
            "Er is niets gewijzigd. Laat deze rijen corrigeren (of zet een reservekopie terug) en open de "
            "database daarna opnieuw.").format(lines="\n".join(lines)))


def _sqlite_foreign_keys_off() -> None:
    """Re-creating a table must not cascade to the rows that refer to it (``db.migrate`` turns them off)."""
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("migration enum_check_constraints re-creates tables on SQLite: run it with PRAGMA foreign_keys=OFF "
                           "(commissie_app.db.migrate does)")


def _triggers_0005():
    """0005's module, whose ``_sqlite_triggers`` and ``_quote`` say how its triggers are made."""
    return op.get_context().script.get_revision('0005').module


def _sqlite_triggers() -> list[tuple[str, str, str, str, str]]:
    """The triggers of 0005 on the tables re-created here (those of the audit events and corrections refer
    to no other table and stay as they are)."""
    return [t for t in _triggers_0005()._sqlite_triggers() if t[2] in CODES]


def _drop_sqlite_triggers() -> None:
    for name, *_rest in _sqlite_triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_sqlite_triggers() -> None:
    quote = _triggers_0005()._quote
    for name, event, table, when, message in _sqlite_triggers():
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {when} "
                   f"BEGIN SELECT RAISE(ABORT, {quote(message)}); END")


def _alter_each_table(change) -> None:
    """``change(batch_op, table, column, values)`` per code column; on SQLite around 0005's triggers."""
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        _sqlite_foreign_keys_off()
        _drop_sqlite_triggers()
    for table, columns in CODES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                change(batch_op, table, column, values)
    if sqlite:
        _create_sqlite_triggers()


def _add(batch_op, table: str, column: str, values: tuple[str, ...]) -> None:
    batch_op.create_check_constraint(batch_op.f(f'ck_{table}_{column}'),
                                     sa.column(column).in_(_allowed(table, column, values)))


def _drop(batch_op, table: str, column: str, _values) -> None:
    batch_op.drop_constraint(batch_op.f(f'ck_{table}_{column}'), type_='check')


def upgrade() -> None:
    _check_data()
    _alter_each_table(_add)


def downgrade() -> None:
    _alter_each_table(_drop)
