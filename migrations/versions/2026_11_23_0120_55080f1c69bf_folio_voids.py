"""folio voids

Revision ID: 55080f1c69bf
Revises: 9ba8da473bbc
Create Date: 2026-11-23 01:20:59.577527

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '55080f1c69bf'
down_revision = '9ba8da473bbc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('folio_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=60), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folio_voids')),
    sa.UniqueConstraint('scope', 'number', name='scope_number')
    )


def downgrade():
    op.drop_table('folio_voids')
