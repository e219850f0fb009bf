"""Expiry reminders, recertification requests, session reminders

certificate_reminders: one row per (certificate, days before expiry) reminder sent (unique).
recertification_requests: a holder's request, at most one open per certificate (partial
unique index), linked to the new assessment once scheduled (unique).
session_reminders: the day-before reminder of an assessment's session, once (unique).

Revision ID: da47f59e2076
Revises: 358c584f00f6
Create Date: 2026-11-26 15:50:41.285659

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'da47f59e2076'
down_revision = '358c584f00f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('session_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_session_reminders_assessment_id_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_reminders')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_session_reminders_assessment_id'))
    )
    op.create_table('certificate_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_reminders_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_reminders')),
    sa.UniqueConstraint('certificate_id', 'days_before', name='uq_certificate_reminders_certificate_days')
    )
    op.create_table('recertification_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status = 'requested' OR assessment_id IS NOT NULL", name=op.f('ck_recertification_requests_scheduled_has_assessment')),
    sa.CheckConstraint("status IN ('requested', 'scheduled', 'completed')", name=op.f('ck_recertification_requests_status_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_recertification_requests_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_recertification_requests_centre_id_centres')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_recertification_requests_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_recertification_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recertification_requests')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_recertification_requests_assessment_id'))
    )
    with op.batch_alter_table('recertification_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recertification_requests_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index('uq_recertification_requests_open_certificate', ['certificate_id'], unique=True, sqlite_where=sa.text("status <> 'completed'"), postgresql_where=sa.text("status <> 'completed'"))


def downgrade():
    with op.batch_alter_table('recertification_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_recertification_requests_open_certificate', sqlite_where=sa.text("status <> 'completed'"), postgresql_where=sa.text("status <> 'completed'"))
        batch_op.drop_index(batch_op.f('ix_recertification_requests_centre_id'))

    op.drop_table('recertification_requests')
    op.drop_table('certificate_reminders')
    op.drop_table('session_reminders')
