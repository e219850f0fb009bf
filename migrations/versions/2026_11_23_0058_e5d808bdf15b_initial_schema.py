"""initial schema

Revision ID: e5d808bdf15b
Revises: 
Create Date: 2026-11-23 00:58:08.830732

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5d808bdf15b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('centres',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centres')),
    sa.UniqueConstraint('code', name=op.f('uq_centres_code'))
    )
    op.create_table('folio_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=60), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folio_counters')),
    sa.UniqueConstraint('scope', name='scope')
    )
    op.create_table('standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('version', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=200), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('validity_years', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded', 'cancelled')", name=op.f('ck_standards_status_known')),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_standards_level_range')),
    sa.CheckConstraint('validity_years IS NULL OR validity_years > 0', name=op.f('ck_standards_validity_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standards')),
    sa.UniqueConstraint('code', 'version', name='code_version')
    )
    op.create_table('elements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_elements_standard_id_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elements')),
    sa.UniqueConstraint('standard_id', 'position', name='standard_position')
    )
    op.create_table('instruments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('threshold_percent', sa.Integer(), nullable=False),
    sa.CheckConstraint('threshold_percent BETWEEN 1 AND 100', name=op.f('ck_instruments_threshold_range')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_instruments_standard_id_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruments')),
    sa.UniqueConstraint('standard_id', name=op.f('uq_instruments_standard_id'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('is_active_account', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'evaluator', 'reviewer', 'candidate')", name=op.f('ck_users_role_known')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_users_centre_id_centres')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('accreditations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.CheckConstraint('valid_until >= valid_from', name=op.f('ck_accreditations_period_ordered')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_accreditations_evaluator_id_users')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_accreditations_standard_id_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accreditations')),
    sa.UniqueConstraint('evaluator_id', 'standard_id', 'valid_from', name='evaluator_period')
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)

    op.create_table('candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('curp', sa.String(length=18), nullable=False),
    sa.Column('is_publicly_listed', sa.Boolean(), nullable=False),
    sa.Column('consent_recorded_at', sa.DateTime(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_candidates_centre_id_centres')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_candidates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('curp', name=op.f('uq_candidates_curp')),
    sa.UniqueConstraint('user_id', name=op.f('uq_candidates_user_id'))
    )
    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('performance', 'product', 'knowledge', 'attitude')", name=op.f('ck_criteria_kind_known')),
    sa.ForeignKeyConstraint(['element_id'], ['elements.id'], name=op.f('fk_criteria_element_id_elements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('element_id', 'position', name='element_position')
    )
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('no_conflict_declared_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('judgement', sa.String(length=20), nullable=True),
    sa.Column('score_percent', sa.Double(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('signed_off_at', sa.DateTime(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("judgement IS NULL OR judgement IN ('competent', 'not_yet_competent')", name=op.f('ck_assessments_judgement_known')),
    sa.CheckConstraint("status IN ('scheduled', 'in_progress', 'judged', 'returned', 'reviewed', 'certified', 'cancelled')", name=op.f('ck_assessments_status_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_assessments_period_ordered')),
    sa.CheckConstraint('reviewer_id IS NULL OR reviewer_id <> evaluator_id', name=op.f('ck_assessments_reviewer_not_evaluator')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_assessments_candidate_id_candidates')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_assessments_centre_id_centres')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_assessments_evaluator_id_users')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_assessments_reviewer_id_users')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_assessments_standard_id_standards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_evaluator_start', ['evaluator_id', 'starts_at'], unique=False)

    op.create_table('instrument_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('is_critical', sa.Boolean(), nullable=False),
    sa.CheckConstraint('weight > 0', name=op.f('ck_instrument_items_weight_positive')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_instrument_items_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_instrument_items_instrument_id_instruments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_items')),
    sa.UniqueConstraint('instrument_id', 'position', name='instrument_position')
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('folio', sa.String(length=60), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('curp_masked', sa.String(length=18), nullable=False),
    sa.Column('standard_code', sa.String(length=30), nullable=False),
    sa.Column('standard_title', sa.String(length=300), nullable=False),
    sa.Column('standard_level', sa.Integer(), nullable=False),
    sa.Column('centre_name', sa.String(length=200), nullable=False),
    sa.Column('body_name', sa.String(length=200), nullable=False),
    sa.Column('evaluator_name', sa.String(length=200), nullable=False),
    sa.Column('judged_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('design', sa.String(length=60), nullable=False),
    sa.Column('pdf_path', sa.String(length=300), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('signed_payload', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=200), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.CheckConstraint("status <> 'revoked' OR (revoked_at IS NOT NULL AND status_reason <> '')", name=op.f('ck_certificates_revocation_has_reason')),
    sa.CheckConstraint("status IN ('valid', 'suspended', 'revoked', 'superseded')", name=op.f('ck_certificates_status_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_certificates_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_certificates_candidate_id_candidates')),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_certificates_centre_id_centres')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificates.id'], name=op.f('fk_certificates_superseded_by_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('folio', name=op.f('uq_certificates_folio')),
    sa.UniqueConstraint('public_id', name=op.f('uq_certificates_public_id'))
    )
    op.create_table('item_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('is_met', sa.Boolean(), nullable=False),
    sa.Column('observation', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_item_results_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['item_id'], ['instrument_items.id'], name=op.f('fk_item_results_item_id_instrument_items')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_item_results_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_results')),
    sa.UniqueConstraint('assessment_id', 'item_id', name='assessment_item')
    )
    _make_audit_trail_append_only()


def _make_audit_trail_append_only():
    """The audit trail is evidence: the database itself refuses to change or delete an event."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.drop_table('item_results')
    op.drop_table('certificates')
    op.drop_table('instrument_items')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_evaluator_start')

    op.drop_table('assessments')
    op.drop_table('criteria')
    op.drop_table('candidates')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_object')

    op.drop_table('audit_events')
    op.drop_table('accreditations')
    op.drop_table('users')
    op.drop_table('instruments')
    op.drop_table('elements')
    op.drop_table('standards')
    op.drop_table('folio_counters')
    op.drop_table('centres')
