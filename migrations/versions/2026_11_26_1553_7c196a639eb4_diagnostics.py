"""Diagnostics

diagnostics and diagnostic_answers: the questionnaire of a standard answered before an
assessment, with its score and advice; one answer per item.

Revision ID: 7c196a639eb4
Revises: cad511df18cf
Create Date: 2026-11-26 15:53:35.162801

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c196a639eb4'
down_revision = 'cad511df18cf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('diagnostics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('score_percent', sa.Double(), nullable=True),
    sa.Column('recommendation', sa.String(length=20), nullable=True),
    sa.CheckConstraint("recommendation IS NULL OR recommendation IN ('ready', 'training')", name=op.f('ck_diagnostics_recommendation_known')),
    sa.CheckConstraint('(completed_at IS NULL) = (recommendation IS NULL)', name=op.f('ck_diagnostics_completed_with_advice')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_diagnostics_candidate_id_candidates')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_diagnostics_centre_id_centres')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_diagnostics_completed_by_id_users')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_diagnostics_standard_id_standards')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_diagnostics_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnostics'))
    )
    with op.batch_alter_table('diagnostics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diagnostics_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index('ix_diagnostics_centre_created', ['centre_id', 'created_at'], unique=False)

    op.create_table('diagnostic_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('diagnostic_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('is_met', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostics.id'], name=op.f('fk_diagnostic_answers_diagnostic_id_diagnostics')),
    sa.ForeignKeyConstraint(['item_id'], ['instrument_items.id'], name=op.f('fk_diagnostic_answers_item_id_instrument_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnostic_answers')),
    sa.UniqueConstraint('diagnostic_id', 'item_id', name='diagnostic_item')
    )


def downgrade():
    op.drop_table('diagnostic_answers')
    with op.batch_alter_table('diagnostics', schema=None) as batch_op:
        batch_op.drop_index('ix_diagnostics_centre_created')
        batch_op.drop_index(batch_op.f('ix_diagnostics_candidate_id'))

    op.drop_table('diagnostics')
