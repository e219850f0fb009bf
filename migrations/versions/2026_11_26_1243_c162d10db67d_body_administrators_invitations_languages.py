"""Body administrators, invitations and password resets, each person's language

Revision ID: c162d10db67d
Revises: c2ce34c6af25
Create Date: 2026-11-26 12:43:57.033416

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c162d10db67d'
down_revision = 'c2ce34c6af25'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('invitation', 'password_reset')", name=op.f('ck_account_tokens_purpose_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_account_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_tokens_token_hash'))
    )
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_tokens_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), server_default='es_MX', nullable=False))
        batch_op.alter_column('password_hash',
               existing_type=sa.VARCHAR(length=255),
               nullable=True)
        batch_op.alter_column('centre_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        # A body administrator belongs to no centre; everyone else still does.
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(
            'role_known', "role IN ('body_admin', 'admin', 'evaluator', 'reviewer', 'candidate')")
        batch_op.create_check_constraint(
            'centre_known', "centre_id IS NOT NULL OR role = 'body_admin'")


def downgrade():
    op.execute("DELETE FROM account_tokens")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_centre_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(
            'role_known', "role IN ('admin', 'evaluator', 'reviewer', 'candidate')")
        batch_op.alter_column('centre_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('password_hash',
               existing_type=sa.VARCHAR(length=255),
               nullable=False)
        batch_op.drop_column('language')

    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_tokens_user_id'))

    op.drop_table('account_tokens')
