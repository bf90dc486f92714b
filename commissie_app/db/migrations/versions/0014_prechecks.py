"""vooraf-checks: advice given to a (prospective) applicant before applying (issue 15)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 (written by hand)

``prechecks``: one row per check: the date and who did it, the organisation (a known one, and its name as given,
or only the name of a prospective one), legal form and contact, the answers (JSON, keyed by the questions of the
assessment form used), the outcome the form's advice rules gave (``granted``, ``conditional``, ``rejected``,
``undecided``, ``incomplete``) with its reason, the conditional deadline and the criteria that fit, the adopted
form version (``form_id``) and rule set version used, and the application made from it, once made.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

LEGAL_FORMS = ('eenmanszaak', 'vof', 'maatschap', 'bv', 'nv', 'cooperatie', 'vereniging', 'stichting', 'anders')
OUTCOMES = ('granted', 'conditional', 'rejected', 'undecided', 'incomplete')


def upgrade() -> None:
    op.create_table('prechecks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('checked_by', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('legal_form', sa.String(length=20), nullable=True),
    sa.Column('contact_person', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('form_id', sa.Uuid(), nullable=False),
    sa.Column('rule_set_version', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_prechecks_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['form_id'], ['assessment_forms.id'], name=op.f('fk_prechecks_form_id_assessment_forms')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_prechecks_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prechecks')),
    sa.CheckConstraint(sa.column('legal_form').in_(LEGAL_FORMS), name=op.f('ck_prechecks_legal_form')),
    sa.CheckConstraint(sa.column('outcome').in_(OUTCOMES), name=op.f('ck_prechecks_outcome')),
    )
    op.create_index(op.f('ix_prechecks_organisation_id'), 'prechecks', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_prechecks_form_id'), 'prechecks', ['form_id'], unique=False)
    op.create_index(op.f('ix_prechecks_application_id'), 'prechecks', ['application_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_prechecks_application_id'), table_name='prechecks')
    op.drop_index(op.f('ix_prechecks_form_id'), table_name='prechecks')
    op.drop_index(op.f('ix_prechecks_organisation_id'), table_name='prechecks')
    op.drop_table('prechecks')
