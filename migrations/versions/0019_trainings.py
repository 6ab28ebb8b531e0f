"""trainings: classes and their plans, quotas, the year's targets, instructors, course sessions, materials, enrolments, attendance, assessments, marks, completion records, evaluations

Revision ID: 0019_trainings
Revises: 0018_scoring_results
Create Date: 2026-12-02 06:35:55.724450

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_trainings'
down_revision = '0018_scoring_results'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('target_trainees', sa.Integer(), nullable=False),
    sa.Column('target_classes', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_training_years'))
    )
    op.create_table('instructors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('expertise', sa.String(length=500), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_instructors_person_id_persons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instructors')),
    sa.UniqueConstraint('person_id', name=op.f('uq_instructors_person_id'))
    )
    op.create_table('training_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.Enum('referee', 'skill_upgrade', 'innovation', 'cybersecurity', 'other', name='classcategory', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('draft', 'open', 'running', 'closed', name='classstate', native_enum=False, length=16), nullable=False),
    sa.Column('committee_id', sa.Integer(), nullable=True),
    sa.Column('commissioning_unit_id', sa.Integer(), nullable=True),
    sa.Column('target_trainees', sa.Text(), nullable=True),
    sa.Column('objectives', sa.Text(), nullable=True),
    sa.Column('format', sa.Enum('in_person', 'online', 'mixed', name='classformat', native_enum=False, length=16), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('max_age', sa.Integer(), nullable=True),
    sa.Column('age_reference_date', sa.Date(), nullable=True),
    sa.Column('min_skill_level', sa.String(length=1), nullable=True),
    sa.Column('requires_member_unit', sa.Boolean(), nullable=False),
    sa.Column('only_commissioning_unit', sa.Boolean(), nullable=False),
    sa.Column('min_attendance_percent', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('checkin_grace_minutes', sa.Integer(), nullable=False),
    sa.Column('qr_window_seconds', sa.Integer(), nullable=False),
    sa.Column('is_referee_training', sa.Boolean(), nullable=False),
    sa.Column('grants_level_id', sa.Integer(), nullable=True),
    sa.Column('grants_validity_years', sa.Integer(), nullable=True),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('waitlist_issued', sa.Integer(), nullable=False),
    sa.Column('waitlist_left', sa.Integer(), nullable=False),
    sa.Column('has_unit_quotas', sa.Boolean(), nullable=False),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_training_classes_class_capacity')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_training_classes_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['commissioning_unit_id'], ['organisations.id'], name=op.f('fk_training_classes_commissioning_unit_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['committee_id'], ['committees.id'], name=op.f('fk_training_classes_committee_id_committees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['copied_from_id'], ['training_classes.id'], name=op.f('fk_training_classes_copied_from_id_training_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_classes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grants_level_id'], ['judge_levels.id'], name=op.f('fk_training_classes_grants_level_id_judge_levels'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_classes'))
    )
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_classes_commissioning_unit_id'), ['commissioning_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_classes_committee_id'), ['committee_id'], unique=False)
        batch_op.create_index('ix_training_classes_year_state', ['year', 'state'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('theory', 'practical', name='assessmentkind', native_enum=False, length=16), nullable=False),
    sa.Column('max_mark', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('pass_mark', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('weight', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_mark > 0', name=op.f('ck_assessments_assessment_max_mark')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_assessments_assessment_weight')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_assessments_class_id_training_classes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_class_id'), ['class_id'], unique=False)

    op.create_table('course_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('lecture', 'practical', 'exam', name='sessionkind', native_enum=False, length=16), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('room_booking_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_course_sessions_course_session_interval')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_course_sessions_course_session_hours')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_course_sessions_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_booking_id'], ['bookings.id'], name=op.f('fk_course_sessions_room_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_course_sessions_room_id_rooms'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_sessions'))
    )
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_sessions_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_sessions_room_id'), ['room_id'], unique=False)

    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('enrolled', 'waiting', 'withdrawn', name='enrolmentstatus', native_enum=False, length=16), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('holds_seat', sa.Boolean(), nullable=False),
    sa.Column('counts_against_quota', sa.Boolean(), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('self', 'liaison', 'excel', 'staff', name='enrolmentchannel', native_enum=False, length=16), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_enrolments_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_enrolments_enrolled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_enrolments_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_enrolments_person_id_persons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('class_id', 'waitlist_position', name=op.f('uq_enrolments_class_id_waitlist_position'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_enrolments_class_status', ['class_id', 'status'], unique=False)
        batch_op.create_index('ix_enrolments_class_waitlist_left', ['class_id', 'waitlist_position'], unique=False, sqlite_where=sa.text('waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)'), postgresql_where=sa.text('waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)'))
        batch_op.create_index(batch_op.f('ix_enrolments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_person_id'), ['person_id'], unique=False)
        batch_op.create_index('uq_enrolments_class_person_active', ['class_id', 'person_id'], unique=True, sqlite_where=sa.text('is_active'), postgresql_where=sa.text('is_active'))

    op.create_table('training_class_trades',
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('speciality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_training_class_trades_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speciality_id'], ['specialities.id'], name=op.f('fk_training_class_trades_speciality_id_specialities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('class_id', 'speciality_id', name=op.f('pk_training_class_trades'))
    )
    op.create_table('training_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_training_evaluations_evaluation_rating')),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_training_evaluations_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_training_evaluations_person_id_persons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_evaluations')),
    sa.UniqueConstraint('class_id', 'person_id', name=op.f('uq_training_evaluations_class_id_person_id'))
    )
    with op.batch_alter_table('training_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_evaluations_class_id'), ['class_id'], unique=False)

    op.create_table('training_quotas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('used', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_training_quotas_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_training_quotas_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_quotas')),
    sa.UniqueConstraint('class_id', 'organisation_id', name=op.f('uq_training_quotas_class_id_organisation_id'))
    )
    with op.batch_alter_table('training_quotas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_quotas_class_id'), ['class_id'], unique=False)

    op.create_table('assessment_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_marks_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_assessment_marks_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_assessment_marks_person_id_persons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_assessment_marks_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_marks')),
    sa.UniqueConstraint('assessment_id', 'person_id', name=op.f('uq_assessment_marks_assessment_id_person_id'))
    )
    with op.batch_alter_table('assessment_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_marks_enrolment_id'), ['enrolment_id'], unique=False)

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('qr', 'manual', name='attendancemethod', native_enum=False, length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('attended_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_attendances_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_attendances_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_attendances_person_id_persons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendances_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_attendances_session_id_course_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_attendances_session_id_person_id'))
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index('ix_attendances_class_person', ['class_id', 'person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendances_enrolment_id'), ['enrolment_id'], unique=False)

    op.create_table('completion_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('hours_attended', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('hours_total', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('attendance_percent', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('result', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('qualification_id', sa.Integer(), nullable=True),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_completion_records_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_completion_records_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'], name=op.f('fk_completion_records_frozen_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_completion_records_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_completion_records_person_id_persons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['qualification_id'], ['judge_qualifications.id'], name=op.f('fk_completion_records_qualification_id_judge_qualifications'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_records')),
    sa.UniqueConstraint('class_id', 'person_id', name=op.f('uq_completion_records_class_id_person_id'))
    )
    with op.batch_alter_table('completion_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completion_records_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completion_records_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completion_records_person_id'), ['person_id'], unique=False)

    op.create_table('course_session_instructors',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('instructor_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_course_session_instructors_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['instructor_id'], ['instructors.id'], name=op.f('fk_course_session_instructors_instructor_id_instructors'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_course_session_instructors_session_id_course_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'instructor_id', name=op.f('pk_course_session_instructors'))
    )
    with op.batch_alter_table('course_session_instructors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_session_instructors_instructor_id'), ['instructor_id'], unique=False)

    op.create_table('training_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_training_materials_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['course_sessions.id'], name=op.f('fk_training_materials_session_id_course_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_training_materials_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_materials'))
    )
    with op.batch_alter_table('training_materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_materials_class_id'), ['class_id'], unique=False)



def downgrade():
    with op.batch_alter_table('training_materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_materials_class_id'))

    op.drop_table('training_materials')
    with op.batch_alter_table('course_session_instructors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_session_instructors_instructor_id'))

    op.drop_table('course_session_instructors')
    with op.batch_alter_table('completion_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completion_records_person_id'))
        batch_op.drop_index(batch_op.f('ix_completion_records_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_completion_records_enrolment_id'))

    op.drop_table('completion_records')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendances_enrolment_id'))
        batch_op.drop_index('ix_attendances_class_person')

    op.drop_table('attendances')
    with op.batch_alter_table('assessment_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_marks_enrolment_id'))

    op.drop_table('assessment_marks')
    with op.batch_alter_table('training_quotas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_quotas_class_id'))

    op.drop_table('training_quotas')
    with op.batch_alter_table('training_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_evaluations_class_id'))

    op.drop_table('training_evaluations')
    op.drop_table('training_class_trades')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_enrolments_class_person_active', sqlite_where=sa.text('is_active'), postgresql_where=sa.text('is_active'))
        batch_op.drop_index(batch_op.f('ix_enrolments_person_id'))
        batch_op.drop_index(batch_op.f('ix_enrolments_organisation_id'))
        batch_op.drop_index('ix_enrolments_class_waitlist_left', sqlite_where=sa.text('waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)'), postgresql_where=sa.text('waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)'))
        batch_op.drop_index('ix_enrolments_class_status')

    op.drop_table('enrolments')
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_sessions_room_id'))
        batch_op.drop_index(batch_op.f('ix_course_sessions_class_id'))

    op.drop_table('course_sessions')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_class_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_index('ix_training_classes_year_state')
        batch_op.drop_index(batch_op.f('ix_training_classes_committee_id'))
        batch_op.drop_index(batch_op.f('ix_training_classes_commissioning_unit_id'))

    op.drop_table('training_classes')
    op.drop_table('instructors')
    op.drop_table('training_years')
