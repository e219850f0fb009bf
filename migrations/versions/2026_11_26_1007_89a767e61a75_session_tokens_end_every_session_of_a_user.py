"""Session tokens: a per-user secret in every session id, replaced to end all sessions

Revision ID: 89a767e61a75
Revises: 18d5ddc0bf16
Create Date: 2026-11-26 10:07:28.376231

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '89a767e61a75'
down_revision = '18d5ddc0bf16'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    # Each existing user gets their own random token (a shared or guessable value would let
    # one user's session id be made from another's). Sessions opened before carry the bare
    # user id, which no longer matches: everyone logs in again once.
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
