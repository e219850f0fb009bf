"""certificate designs per centre and issuance batches

Revision ID: 2a2731dc0439
Revises: e5d808bdf15b
Create Date: 2026-11-23 01:04:33.773992

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2a2731dc0439'
down_revision = 'e5d808bdf15b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('issuance_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_issuance_batches_centre_id_centres')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_issuance_batches_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issuance_batches'))
    )
    op.create_table('batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'issued', 'failed')", name=op.f('ck_batch_items_status_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_batch_items_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['batch_id'], ['issuance_batches.id'], name=op.f('fk_batch_items_batch_id_issuance_batches')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_batch_items_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_items')),
    sa.UniqueConstraint('batch_id', 'assessment_id', name='batch_assessment')
    )
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate_design', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('certificate_design')

    op.drop_table('batch_items')
    op.drop_table('issuance_batches')
