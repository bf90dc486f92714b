"""the contact person's form of address, and the date printed on each archived letter (issue 14)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 (written by hand)

* ``organisations.contact_salutation``: how letters address the contact person, ``mrs`` ("Geachte mevrouw
  Van Dijk,"), ``mr`` ("Geachte heer De Boer,") or ``neutral`` ("Geachte Lotte van Dijk,"); existing
  organisations get ``neutral``, which is what their letters said before (the full name). A CHECK constraint
  holds the three codes, as for every code column (0009).
* ``decision_letters.letter_date`` and ``letters.letter_date``: the date printed on that version. A letter
  that goes out later than it was made gets a new version dated the sending day, so the date is no longer
  always the day it was made. NULL for versions made before: their date is the day they were made.

On SQLite ``organisations`` is re-created (batch mode, for the CHECK constraint): foreign keys must be off
meanwhile (``db.migrate`` does that); every trigger whose text names ``organisations`` is dropped first and made
again afterwards from its own stored text. The two date columns are plain ``ADD COLUMN`` (no re-create: the
triggers of 0005 and 0012 on the letter tables stay as they are).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

FORMS = ('mrs', 'mr', 'neutral')
LETTER_TABLES = ('decision_letters', 'letters')


def _organisations_batch(change) -> None:
    """``change(batch_op)`` on ``organisations``; on SQLite around the triggers that name the table."""
    conn = op.get_bind()
    triggers = []
    if conn.dialect.name == 'sqlite':
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("migration contact_salutation re-creates organisations on SQLite: run it with "
                               "PRAGMA foreign_keys=OFF (commissie_app.db.migrate does)")
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%organisations%' ORDER BY name"
        ).all()
        for name, _sql in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        change(batch_op)
    for _name, sql in triggers:
        op.execute(sql)


def _add_salutation(batch_op) -> None:
    batch_op.add_column(sa.Column('contact_salutation', sa.String(length=20), nullable=False,
                                  server_default='neutral'))
    batch_op.create_check_constraint(batch_op.f('ck_organisations_contact_salutation'),
                                     sa.column('contact_salutation').in_(FORMS))


def _drop_salutation(batch_op) -> None:
    batch_op.drop_constraint(batch_op.f('ck_organisations_contact_salutation'), type_='check')
    batch_op.drop_column('contact_salutation')


def upgrade() -> None:
    _organisations_batch(_add_salutation)
    for table in LETTER_TABLES:
        op.add_column(table, sa.Column('letter_date', sa.Date(), nullable=True))


def downgrade() -> None:
    for table in LETTER_TABLES:
        op.drop_column(table, 'letter_date')
    _organisations_batch(_drop_salutation)
