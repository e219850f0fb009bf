"""Standards have versions, official dates and a public search

A standard records its English title, the official dates (approval, publication in the DOF),
the date it was withdrawn (superseded or cancelled), the version it was copied from, and the
text the public catalogue searches. On PostgreSQL that text has a trigram index (pg_trgm, a
trusted extension), so a "contains" search does not read every row.

Revision ID: df5c35ae3042
Revises: c162d10db67d
Create Date: 2026-11-26 12:40:07.369437

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'df5c35ae3042'
down_revision = 'c162d10db67d'
branch_labels = None
depends_on = None


def _folded(text):
    """As app.standards.rules.folded: lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('approved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('dof_published_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_standards_replaces_id_standards'), 'standards', ['replaces_id'], ['id'])
    connection = op.get_bind()
    standards = sa.table(
        'standards', sa.column('id', sa.Integer), sa.column('code', sa.String),
        sa.column('version', sa.String), sa.column('title', sa.String),
        sa.column('sector', sa.String), sa.column('search_text', sa.Text),
    )
    for row in connection.execute(sa.select(standards)).all():
        full_code = f"{row.code}.{row.version}" if row.version else row.code
        text = _folded(" ".join([full_code, row.title, row.sector]))
        connection.execute(
            standards.update().where(standards.c.id == row.id).values(search_text=text)
        )
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.alter_column('title_en', server_default=None)
        batch_op.alter_column('search_text', server_default=None)
        batch_op.create_index('ix_standards_search_text', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.create_index('ix_standards_status_code', ['status', 'code', 'version'], unique=False)
        batch_op.create_index('ix_standards_status_level', ['status', 'level'], unique=False)
        batch_op.create_index('ix_standards_status_sector', ['status', 'sector'], unique=False)


def downgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_standards_replaces_id_standards'), type_='foreignkey')
        batch_op.drop_index('ix_standards_status_sector')
        batch_op.drop_index('ix_standards_status_level')
        batch_op.drop_index('ix_standards_status_code')
        batch_op.drop_index('ix_standards_search_text', postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
        batch_op.drop_column('search_text')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('withdrawn_on')
        batch_op.drop_column('dof_published_on')
        batch_op.drop_column('approved_on')
        batch_op.drop_column('title_en')
