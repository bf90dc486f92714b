"""the register of recognitions: recognitions with their history, follow-up applications, 'ingetrokken'

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 (written by hand)

* ``applications.purpose`` (``new``, ``conversion``, ``renewal``, ``reassessment``; existing rows: ``new``)
  and ``applications.follow_up_of`` (the application whose recognition a follow-up continues);
* ``recognitions``: one per organisation and period of recognition; ``recognition_events``: its history;
* ``decisions.decision_type`` may be ``withdrawn`` (a reassessment ends the recognition): its CHECK
  constraint (made by 0009) is made again with the new value.

Each existing 'toegekend' or 'voorwaardelijk toegekend' decision becomes a recognition with the dates it
recorded, as the meeting's record stands (corrections of a closed meeting applied); nothing is recomputed.
The criteria are the application's evidence criteria, marked in the event's note as taken over.

On SQLite ``applications`` and ``decisions`` are re-created (batch mode): foreign keys must be off meanwhile
(``db.migrate`` does that), and the triggers of 0005 on ``decisions`` are dropped first and made again
afterwards with 0005's own definitions.

A downgrade keeps every decision: while a 'ingetrokken' decision exists, the CHECK constraint keeps that value.
"""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

PURPOSES = ('new', 'conversion', 'renewal', 'reassessment')
KINDS = ('full', 'conditional')
EVENTS = ('granted', 'conditional', 'converted', 'renewed', 'withdrawn', 'certificate', 'corrected')
DECISION_TYPES_0009 = ('granted', 'conditional', 'rejected', 'deferred')
DECISION_TYPES = DECISION_TYPES_0009 + ('withdrawn',)
#: the order of the criteria (domain.codes.Criterion), frozen here
CRITERIA = ('CODE_SO', 'SE_NL', 'PSO30', 'NON_PROFIT', 'BCORP', 'STARTUP')
TAKEN_OVER = "Overgenomen uit besluit {kenmerk} (van vóór het register); criteria: die van de aanvraag."
EVIDENCE_OWED = "Een keurmerk of inschrijving voor een van de andere criteria."


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _check_foreign_keys_off() -> None:
    if op.get_bind().exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("migration recognitions re-creates tables on SQLite: run it with PRAGMA foreign_keys=OFF "
                           "(commissie_app.db.migrate does)")


def _decision_triggers() -> list[tuple[str, str, str, str, str]]:
    """0005's SQLite triggers on ``decisions`` (re-creating the table drops them)."""
    module = op.get_context().script.get_revision('0005').module
    return [t for t in module._sqlite_triggers() if t[2] == 'decisions']


def _with_decisions_recreated(change) -> None:
    """``change(batch_op)`` on ``decisions``; on SQLite around 0005's triggers."""
    quote = op.get_context().script.get_revision('0005').module._quote
    if _sqlite():
        for name, *_rest in _decision_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        change(batch_op)
    if _sqlite():
        for name, event, table, when, message in _decision_triggers():
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {when} "
                       f"BEGIN SELECT RAISE(ABORT, {quote(message)}); END")


def _decision_type_check(values: tuple[str, ...]):
    def change(batch_op) -> None:
        batch_op.drop_constraint(batch_op.f('ck_decisions_decision_type'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_decisions_decision_type'),
                                         sa.column('decision_type').in_(values))
    return change


def _create_tables() -> None:
    op.create_table('recognitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('origin_application_id', sa.Uuid(), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('certificate_until', sa.Date(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('conditional_deadline', sa.Date(), nullable=True),
    sa.Column('evidence_owed', sa.Text(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_recognitions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['origin_application_id'], ['applications.id'],
                            name=op.f('fk_recognitions_origin_application_id_applications')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_recognitions_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions')),
    sa.UniqueConstraint('origin_application_id', name=op.f('uq_recognitions_origin_application_id')),
    sa.CheckConstraint(sa.column('kind').in_(KINDS), name=op.f('ck_recognitions_kind')),
    )
    op.create_index(op.f('ix_recognitions_organisation_id'), 'recognitions', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_recognitions_decision_id'), 'recognitions', ['decision_id'], unique=False)
    op.create_index(op.f('ix_recognitions_valid_until'), 'recognitions', ['valid_until'], unique=False)
    op.create_table('recognition_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('recognition_id', sa.Uuid(), nullable=False),
    sa.Column('event', sa.String(length=20), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=True),
    sa.Column('kenmerk', sa.String(length=50), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['recognition_id'], ['recognitions.id'],
                            name=op.f('fk_recognition_events_recognition_id_recognitions')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                            name=op.f('fk_recognition_events_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognition_events')),
    sa.CheckConstraint(sa.column('event').in_(EVENTS), name=op.f('ck_recognition_events_event')),
    )
    op.create_index(op.f('ix_recognition_events_recognition_id'), 'recognition_events', ['recognition_id'],
                    unique=False)
    op.create_index(op.f('ix_recognition_events_decision_id'), 'recognition_events', ['decision_id'], unique=False)


def _add_application_columns() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=20), nullable=False, server_default='new'))
        batch_op.add_column(sa.Column('follow_up_of', sa.Uuid(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_applications_purpose'), sa.column('purpose').in_(PURPOSES))
        batch_op.create_foreign_key(batch_op.f('fk_applications_follow_up_of_applications'), 'applications',
                                    ['follow_up_of'], ['id'])
        batch_op.create_index(batch_op.f('ix_applications_follow_up_of'), ['follow_up_of'], unique=False)


# ---------------------------------------------------------------- data: decisions become recognitions

UUID, DATE, TEXT, WHEN = sa.Uuid(), sa.Date(), sa.Text(), sa.DateTime(timezone=True)
_decisions = sa.table('decisions', sa.column('id', UUID), sa.column('application_id', UUID), sa.column('kenmerk', TEXT),
                      sa.column('decision_type', TEXT), sa.column('decided_on', DATE),
                      sa.column('badge_valid_from', DATE), sa.column('badge_valid_until', DATE),
                      sa.column('conditional_deadline', DATE), sa.column('recorded_by', TEXT),
                      sa.column('recorded_at', WHEN))
_applications = sa.table('applications', sa.column('id', UUID), sa.column('organisation_id', UUID))
_evidence = sa.table('evidence', sa.column('application_id', UUID), sa.column('criterion', TEXT),
                     sa.column('valid_until', DATE))
_corrections = sa.table('corrections', sa.column('entity_type', TEXT), sa.column('entity_id', TEXT),
                        sa.column('field', TEXT), sa.column('new_value', sa.JSON()), sa.column('meeting_id', UUID),
                        sa.column('seq', sa.Integer()))
_recognitions = sa.table('recognitions', *(sa.column(n, t) for n, t in (
    ('id', UUID), ('version', sa.Integer()), ('organisation_id', UUID), ('origin_application_id', UUID),
    ('decision_id', UUID), ('kind', TEXT), ('criteria', sa.JSON()), ('valid_from', DATE), ('valid_until', DATE),
    ('certificate_until', DATE), ('override_reason', TEXT), ('conditional_deadline', DATE), ('evidence_owed', TEXT),
    ('withdrawn_on', DATE), ('withdrawal_reason', TEXT), ('created_at', WHEN), ('updated_at', WHEN))))
_events = sa.table('recognition_events', *(sa.column(n, t) for n, t in (
    ('id', UUID), ('recognition_id', UUID), ('event', TEXT), ('decision_id', UUID), ('kenmerk', TEXT),
    ('on_date', DATE), ('valid_until', DATE), ('note', TEXT), ('at', WHEN), ('by', TEXT))))


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _corrected(conn) -> dict:
    """(decision id text, field) -> the value the latest correction gave it (in each meeting's order)."""
    out = {}
    rows = conn.execute(sa.select(_corrections.c.entity_id, _corrections.c.field, _corrections.c.new_value)
                        .where(_corrections.c.entity_type == 'decision')
                        .order_by(_corrections.c.meeting_id, _corrections.c.seq))
    for entity_id, field, value in rows:
        out[(entity_id, field)] = value
    return out


def _decisions_as_they_stand(conn) -> list[dict]:
    corrected = _corrected(conn)
    out = []
    for row in conn.execute(sa.select(_decisions).order_by(_decisions.c.decided_on, _decisions.c.recorded_at)):
        d = dict(row._mapping)
        for field in ('decision_type', 'badge_valid_from', 'badge_valid_until', 'conditional_deadline'):
            d[field] = corrected.get((str(d['id']), field), d[field])
        if d['decision_type'] in ('granted', 'conditional'):
            out.append(d)
    return out


def _evidence_of(conn, application_id) -> list[tuple[str, dt.date | None]]:
    rows = conn.execute(sa.select(_evidence.c.criterion, _evidence.c.valid_until)
                        .where(_evidence.c.application_id == application_id))
    return sorted(((c, _as_date(v)) for c, v in rows), key=lambda r: CRITERIA.index(r[0]))


def _migrate_decisions() -> None:
    conn = op.get_bind()
    recognitions, events = _recognitions, _events
    made: dict = {}
    now = dt.datetime.now(dt.timezone.utc)
    for d in _decisions_as_they_stand(conn):
        conditional = d['decision_type'] == 'conditional'
        valid_from = _as_date(d['badge_valid_from']) or _as_date(d['decided_on'])
        valid_until = _as_date(d['badge_valid_until']) or _as_date(d['conditional_deadline']) or valid_from
        evidence = _evidence_of(conn, d['application_id'])
        certificates = [v for _c, v in evidence if v is not None]
        values = dict(
            decision_id=d['id'], kind='conditional' if conditional else 'full',
            criteria=[c for c, _v in evidence], valid_from=valid_from, valid_until=valid_until,
            certificate_until=min(certificates, default=None),
            conditional_deadline=_as_date(d['conditional_deadline']) if conditional else None,
            evidence_owed=EVIDENCE_OWED if conditional else '', updated_at=now)
        rec_id = made.get(d['application_id'])
        if rec_id is None:
            rec_id = made[d['application_id']] = uuid.uuid4()
            org = conn.execute(sa.select(_applications.c.organisation_id)
                               .where(_applications.c.id == d['application_id'])).scalar_one()
            conn.execute(recognitions.insert().values(
                id=rec_id, version=1, organisation_id=org, origin_application_id=d['application_id'],
                override_reason='', withdrawn_on=None, withdrawal_reason='', created_at=now, **values))
            event = 'conditional' if conditional else 'granted'
        else:  # a second granting decision on the same application (not made by the app; kept all the same)
            conn.execute(recognitions.update().where(recognitions.c.id == rec_id).values(**values))
            event = 'renewed'
        conn.execute(events.insert().values(
            id=uuid.uuid4(), recognition_id=rec_id, event=event, decision_id=d['id'], kenmerk=d['kenmerk'],
            on_date=_as_date(d['decided_on']), valid_until=valid_until, note=TAKEN_OVER.format(kenmerk=d['kenmerk']),
            at=d['recorded_at'] or now, by=d['recorded_by']))


def upgrade() -> None:
    if _sqlite():
        _check_foreign_keys_off()
    _add_application_columns()
    _with_decisions_recreated(_decision_type_check(DECISION_TYPES))
    _create_tables()
    _migrate_decisions()


def downgrade() -> None:
    if _sqlite():
        _check_foreign_keys_off()
    op.drop_table('recognition_events')
    op.drop_table('recognitions')
    withdrawn = op.get_bind().execute(sa.select(sa.func.count()).select_from(_decisions)
                                      .where(_decisions.c.decision_type == 'withdrawn')).scalar()
    if not withdrawn:
        _with_decisions_recreated(_decision_type_check(DECISION_TYPES_0009))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_follow_up_of'))
        batch_op.drop_constraint(batch_op.f('fk_applications_follow_up_of_applications'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_applications_purpose'), type_='check')
        batch_op.drop_column('follow_up_of')
        batch_op.drop_column('purpose')
