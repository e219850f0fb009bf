"""Evidence files

evidence_files: the files an evaluator attaches to an assessment's items (app/evidence), kept
in the store under a key the app makes, with their SHA-256, size, type and display name; a
purged file keeps its row (purged_at).

Revision ID: 116e7047e052
Revises: 5b7e1c2a9d40
Create Date: 2026-11-26 15:54:06.753993

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '116e7047e052'
down_revision = '5b7e1c2a9d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('extension', sa.String(length=10), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_evidence_files_sha256_hex')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_evidence_files_not_empty')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_evidence_files_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['item_id'], ['instrument_items.id'], name=op.f('fk_evidence_files_item_id_instrument_items')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_files_assessment_item', ['assessment_id', 'item_id'], unique=False)
        batch_op.create_index('ix_evidence_files_storage_key', ['storage_key'], unique=True)


def downgrade():
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_files_storage_key')
        batch_op.drop_index('ix_evidence_files_assessment_item')

    op.drop_table('evidence_files')
