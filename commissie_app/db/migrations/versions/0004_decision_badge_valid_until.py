"""decisions keep the last day of the SROI badge

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 (written by hand)

Until now a letter computed the badge's end as 24 months from its start. The period is now a rule
(`badge_validity_months` in forms/rules.toml) fixed on the decision when it is recorded, so that a
later change of the rule does not change decisions already taken. Existing decisions get the end
their letters already showed: 24 months from the start, or the deadline of a conditional one.
The month arithmetic is repeated here on purpose: a migration must not depend on app code that
may change after it.
"""
from __future__ import annotations

import calendar
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

MONTHS_BEFORE_THIS_RULE = 24


def _end(valid_from: dt.date) -> dt.date:
    index = valid_from.month - 1 + MONTHS_BEFORE_THIS_RULE
    year, month = valid_from.year + index // 12, index % 12 + 1
    anniversary = dt.date(year, month, min(valid_from.day, calendar.monthrange(year, month)[1]))
    return anniversary - dt.timedelta(days=1)


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('badge_valid_until', sa.Date(), nullable=True))

    decisions = sa.table('decisions', sa.column('id', sa.Uuid()), sa.column('decision_type', sa.String()),
                         sa.column('badge_valid_from', sa.Date()), sa.column('conditional_deadline', sa.Date()),
                         sa.column('badge_valid_until', sa.Date()))
    conn = op.get_bind()
    rows = conn.execute(sa.select(decisions.c.id, decisions.c.decision_type, decisions.c.badge_valid_from,
                                  decisions.c.conditional_deadline)
                        .where(decisions.c.badge_valid_from.is_not(None))).all()
    for row in rows:
        if row.decision_type == 'conditional' and row.conditional_deadline is not None:
            end = row.conditional_deadline
        elif row.decision_type in ('granted', 'conditional'):
            end = _end(row.badge_valid_from)
        else:
            continue
        conn.execute(sa.update(decisions).where(decisions.c.id == row.id).values(badge_valid_until=end))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('badge_valid_until')
