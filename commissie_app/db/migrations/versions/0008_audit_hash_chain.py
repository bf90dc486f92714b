"""audit events form a hash chain (seq, prev_hash, hash) with a one-row chain head

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 (written by hand)

Each audit event gets ``seq`` (its place in the chain: 1, 2, 3, ...; unique), ``prev_hash`` (the
previous event's hash) and ``hash`` (the SHA-256 of its canonical form, which includes
``prev_hash``). The table ``audit_chain_head`` holds one row (id 1) with the last seq and hash;
writers lock it to append one at a time (``commissie_app/db/audit_chain.py``). The row is made with
the first event; here only for a database that already has events.

Existing events are chained in the order they were written as far as the database knows: by their
time (``at``), then their id. The hash is computed by ``audit_chain.event_hash``, the one definition
of the canonical form, so old and new events are hashed alike and an old database verifies.

The append-only triggers of migration 0005 refuse the UPDATE that fills the new columns: on SQLite
the UPDATE trigger is dropped for the fill, and the table is re-created by batch mode to make the
columns NOT NULL (which drops both triggers), so both are created again; on PostgreSQL the trigger is
disabled during the fill and enabled again. The downgrade re-creates the SQLite triggers the same way.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from commissie_app.db.audit_chain import GENESIS, event_hash

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

FILL_BATCH = 1000

# As in migration 0005 (SQLite trigger names and message); PostgreSQL's trigger is trg_audit_events.
AUDIT = "commissie-app: het logboek kan niet worden gewijzigd of verwijderd"
SQLITE_TRIGGERS = (("trg_audit_events_update", "UPDATE"), ("trg_audit_events_delete", "DELETE"))

events = sa.table(
    'audit_events', sa.column('id', sa.Uuid()), sa.column('at', sa.DateTime(timezone=True)),
    sa.column('actor', sa.String()), sa.column('action', sa.String()), sa.column('entity_type', sa.String()),
    sa.column('entity_id', sa.String()), sa.column('old_values', sa.JSON()), sa.column('new_values', sa.JSON()),
    sa.column('seq', sa.Integer()), sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
)
head = sa.table('audit_chain_head', sa.column('id', sa.Integer()), sa.column('seq', sa.Integer()),
                sa.column('hash', sa.String()))


def _is_pg() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def _create_sqlite_triggers() -> None:
    for name, event in SQLITE_TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON audit_events FOR EACH ROW WHEN 1 "
                   f"BEGIN SELECT RAISE(ABORT, '{AUDIT}'); END")


def _chain_existing_events() -> tuple[int, str]:
    """Number the existing events by (at, id), 1,000 at a time, and chain them; returns the last seq and hash."""
    conn = op.get_bind()
    fill = (sa.update(events).where(events.c.id == sa.bindparam('event_id'))
            .values(seq=sa.bindparam('seq'), prev_hash=sa.bindparam('prev_hash'), hash=sa.bindparam('hash')))
    seq, prev, after = 0, GENESIS, None
    while True:
        stmt = sa.select(events).order_by(events.c.at, events.c.id).limit(FILL_BATCH)
        if after is not None:
            stmt = stmt.where(sa.tuple_(events.c.at, events.c.id) > sa.tuple_(*after))
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
        if not rows:
            return seq, prev
        for row in rows:
            seq += 1
            row['seq'], row['prev_hash'] = seq, prev
            row['hash'] = prev = event_hash(row)
        conn.execute(fill, [{'event_id': r['id'], 'seq': r['seq'], 'prev_hash': r['prev_hash'], 'hash': r['hash']}
                            for r in rows])
        after = (rows[-1]['at'], rows[-1]['id'])


def upgrade() -> None:
    op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:  # ALTER TABLE ADD COLUMN, no copy
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    if _is_pg():
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER trg_audit_events")
    else:
        op.execute("DROP TRIGGER trg_audit_events_update")
    last_seq, last_hash = _chain_existing_events()
    if last_seq:  # an empty database gets its head with its first event (a backup copies the head into one)
        op.get_bind().execute(sa.insert(head).values(id=1, seq=last_seq, hash=last_hash))
    if _is_pg():
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER trg_audit_events")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:  # SQLite: re-creates the table
        for name in ('seq', 'prev_hash', 'hash'):
            batch_op.alter_column(name, existing_type=sa.Integer() if name == 'seq' else sa.String(length=64),
                                  nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
    if not _is_pg():
        _create_sqlite_triggers()


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:  # SQLite: re-creates the table
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    if not _is_pg():
        _create_sqlite_triggers()
    op.drop_table('audit_chain_head')
