"""Offered standards; centres can be deactivated

offered_standards: the published standards each centre offers (once per centre and standard
version). centres.is_active: a deactivated centre's staff cannot log in.

Revision ID: 903bf6a8b3d2
Revises: 5e7a1c2b9d40
Create Date: 2026-11-26 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '903bf6a8b3d2'
down_revision = '5e7a1c2b9d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offered_standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_offered_standards_centre_id_centres')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_offered_standards_offered_by_id_users')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_offered_standards_standard_id_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offered_standards')),
    sa.UniqueConstraint('centre_id', 'standard_id', name='centre_standard')
    )
    with op.batch_alter_table('offered_standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offered_standards_standard_id'), ['standard_id'], unique=False)

    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('is_active')

    with op.batch_alter_table('offered_standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offered_standards_standard_id'))

    op.drop_table('offered_standards')
