"""Judgement reasons

assessments.judgement_reasons: why the rule gave the signed judgement (the threshold, the
weighted score and the critical items not met), kept as it was signed.

Revision ID: 5e7a1c2b9d40
Revises: 116e7047e052
Create Date: 2026-11-26 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a1c2b9d40'
down_revision = '116e7047e052'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('judgement_reasons', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('judgement_reasons')
