"""a decision keeps what its letter states: conditions, criteria found met, a deferral's request and date

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 (written by hand)

Until now a decision kept its type, motivation and dates; the rest of what its letter must say was lost
or guessed (issue 14):

* ``decisions.conditions``: the conditions of a conditional recognition beyond the standard one (the
  assessment form's "Onder welke voorwaarden?"), as text; empty for other decisions;
* ``decisions.criteria_met``: the codes of the criteria the commission found met (a JSON list), chosen when
  the decision is recorded; empty for a decision that recognises nothing;
* ``decisions.deferral_request``: for a decision 'aangehouden', what the commission asks the applicant for;
* ``decisions.answer_by``: for a decision 'aangehouden', the date by which the applicant should send it.

Existing decisions keep empty values: the tables of closed meetings are never changed (the triggers of
0005 refuse it), and their letters name the criteria as before (the recognition's, else those claimed).
The columns are added with ``ALTER TABLE ... ADD COLUMN`` on both databases (no table is re-created, so the
triggers of 0005 on ``decisions`` stay as they are).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

COLUMNS = ('answer_by', 'deferral_request', 'criteria_met', 'conditions')


def upgrade() -> None:
    op.add_column('decisions', sa.Column('conditions', sa.Text(), nullable=False, server_default=''))
    op.add_column('decisions', sa.Column('criteria_met', sa.JSON(), nullable=False, server_default='[]'))
    op.add_column('decisions', sa.Column('deferral_request', sa.Text(), nullable=False, server_default=''))
    op.add_column('decisions', sa.Column('answer_by', sa.Date(), nullable=True))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == 'sqlite':
        # DROP COLUMN is refused while a trigger names the table (those of 0005): drop them, then make them again
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%decisions%' ORDER BY name"
        ).all()
        for name, _sql in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for column in COLUMNS:
            op.execute(f"ALTER TABLE decisions DROP COLUMN {column}")
        for _name, sql in triggers:
            op.execute(sql)
        return
    for column in COLUMNS:
        op.drop_column('decisions', column)
