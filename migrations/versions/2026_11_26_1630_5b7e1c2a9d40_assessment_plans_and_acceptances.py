"""Assessment plans and the candidate's acceptances

assessment_plans: one plan per assessment (unique), its content as JSON, the SHA-256 of its
canonical form and a version raised on every change. plan_acceptances: the candidate's
acceptance of one content hash, unique per (plan, hash), with the content accepted.

Revision ID: 5b7e1c2a9d40
Revises: da47f59e2076
Create Date: 2026-11-26 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e1c2a9d40'
down_revision = 'da47f59e2076'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessment_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_plans_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_assessment_plans_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_plans')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_assessment_plans_assessment_id'))
    )
    op.create_table('plan_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_plan_acceptances_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['assessment_plans.id'], name=op.f('fk_plan_acceptances_plan_id_assessment_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_acceptances')),
    sa.UniqueConstraint('plan_id', 'content_hash', name='uq_plan_acceptance_hash')
    )


def downgrade():
    op.drop_table('plan_acceptances')
    op.drop_table('assessment_plans')
