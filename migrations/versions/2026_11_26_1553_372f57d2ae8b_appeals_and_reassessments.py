"""Appeals (inconformidades) with their files; re-assessments linked to the attempt they
follow; a waiting period per standard

Revision ID: 372f57d2ae8b
Revises: b7a3c1d2e4f5
Create Date: 2026-11-26 15:53:21.683012

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '372f57d2ae8b'
down_revision = 'b7a3c1d2e4f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status = 'open' OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_appeals_decided_has_who_and_when')),
    sa.CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name=op.f('ck_appeals_status_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_appeals_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_appeals_centre_id_centres')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_appeals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_appeals_filed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeals_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index('ix_appeals_centre_status', ['centre_id', 'status'], unique=False)
        batch_op.create_index('uq_appeals_one_open_per_assessment', ['assessment_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('appeal_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('shown_name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_files_appeal_id_appeals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_files')),
    sa.UniqueConstraint('file_key', name=op.f('uq_appeal_files_file_key'))
    )
    with op.batch_alter_table('appeal_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_files_appeal_id'), ['appeal_id'], unique=False)

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_assessment_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_assessments_follows', ['follows_assessment_id'])
        batch_op.create_foreign_key(batch_op.f('fk_assessments_follows_assessment_id_assessments'), 'assessments', ['follows_assessment_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_assessments_follows_other'), 'follows_assessment_id IS NULL OR follows_assessment_id <> id')

    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reassessment_wait_days', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_standards_reassessment_wait_not_negative'), 'reassessment_wait_days >= 0')


def downgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_standards_reassessment_wait_not_negative'), type_='check')
        batch_op.drop_column('reassessment_wait_days')

    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessments_follows_assessment_id_assessments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_assessments_follows_other'), type_='check')
        batch_op.drop_constraint('uq_assessments_follows', type_='unique')
        batch_op.drop_column('follows_assessment_id')

    with op.batch_alter_table('appeal_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_files_appeal_id'))

    op.drop_table('appeal_files')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('uq_appeals_one_open_per_assessment', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_appeals_centre_status')
        batch_op.drop_index(batch_op.f('ix_appeals_assessment_id'))

    op.drop_table('appeals')
