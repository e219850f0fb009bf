"""Signing keys shared by every machine

The public halves of the body's signing keys move from files beside the private key into the
database, so every machine publishes the same issuer profile and keys; at most one key is active.
Deployments from before register their key (and any retired-signing-keys/ files) with
`flask certificates create-key`.

Revision ID: 11d4531d7019
Revises: df5c35ae3042
Create Date: 2026-11-26 12:40:53.672132

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '11d4531d7019'
down_revision = 'df5c35ae3042'
branch_labels = None
depends_on = None

ACTIVE = sa.text("retired_at IS NULL")


def upgrade():
    op.create_table('signing_keys',
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_signing_keys'))
    )
    op.create_index(
        'uq_signing_keys_one_active',
        'signing_keys',
        [sa.text('(retired_at IS NULL)')],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade():
    op.drop_index('uq_signing_keys_one_active', table_name='signing_keys')
    op.drop_table('signing_keys')
