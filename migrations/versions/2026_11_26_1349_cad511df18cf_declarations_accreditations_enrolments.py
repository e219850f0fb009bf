"""Evaluators declare no conflict themselves; accreditations withdrawn; certificates held;
one candidate record across centres (enrolments); versioned consents

Revision ID: cad511df18cf
Revises: 9ef6a519263d
Create Date: 2026-11-26 13:49:56.720526

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "cad511df18cf"
down_revision = "9ef6a519263d"
branch_labels = None
depends_on = None


def upgrade():
    # Bookings made before this revision carry the administrator's declaration: kept as is.
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.alter_column("no_conflict_declared_at", existing_type=sa.DateTime(), nullable=True)

    # The certificates an evaluator holds (EC0076 and the standards they assess).
    op.create_table('evaluator_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('standard_code', sa.String(length=20), nullable=False),
    sa.Column('folio', sa.String(length=80), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('file_key', sa.String(length=200), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('file_mimetype', sa.String(length=40), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('certificate_id IS NOT NULL OR (file_key IS NOT NULL AND file_sha256 IS NOT NULL)', name=op.f('ck_evaluator_credentials_source_known')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_evaluator_credentials_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_evaluator_credentials_evaluator_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_evaluator_credentials_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator_credentials')),
    sa.UniqueConstraint('evaluator_id', 'standard_code', 'folio', name='evaluator_folio'),
    sa.UniqueConstraint('file_key', name=op.f('uq_evaluator_credentials_file_key'))
    )
    with op.batch_alter_table('evaluator_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_credentials_evaluator_id'), ['evaluator_id'], unique=False)

    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), server_default='', nullable=False))

    # One person, one record: every centre a candidate is registered at.
    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_enrolments_candidate_id_candidates')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_enrolments_centre_id_centres')),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_enrolments_enrolled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('candidate_id', 'centre_id', name='candidate_centre')
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolments_centre_id'), ['centre_id'], unique=False)

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_text_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('privacy_notice_version', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('privacy_notice_accepted_at', sa.DateTime(), nullable=True))
    # Every candidate registered so far is enrolled at the centre that registered them.
    op.execute(
        "INSERT INTO enrolments (candidate_id, centre_id, enrolled_at) "
        "SELECT id, centre_id, registered_at FROM candidates"
    )


def downgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_column('privacy_notice_accepted_at')
        batch_op.drop_column('privacy_notice_version')
        batch_op.drop_column('consent_text_version')

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolments_centre_id'))

    op.drop_table('enrolments')

    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('evaluator_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_credentials_evaluator_id'))

    op.drop_table('evaluator_credentials')

    op.execute(
        "UPDATE assessments SET no_conflict_declared_at = created_at "
        "WHERE no_conflict_declared_at IS NULL"
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.alter_column(
            "no_conflict_declared_at", existing_type=sa.DateTime(), nullable=False
        )
