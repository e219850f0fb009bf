"""centre logo

Revision ID: 9ba8da473bbc
Revises: 2a2731dc0439
Create Date: 2026-11-23 01:13:02.544258

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9ba8da473bbc'
down_revision = '2a2731dc0439'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_mimetype', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('logo_mimetype')
        batch_op.drop_column('logo')
