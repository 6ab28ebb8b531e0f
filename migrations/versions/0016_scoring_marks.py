"""scoring: score sheets, marks (with client ids and their receipts), their change history, spread flags; a scheme
says whether marking is blind and what a spread beyond the allowed means

Revision ID: 0016_scoring_marks
Revises: 0015_scoring
Create Date: 2026-12-02 04:49:33.045310

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_scoring_marks'
down_revision = '0015_scoring'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('score_sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['locked_by_id'], ['users.id'], name=op.f('fk_score_sheets_locked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_score_sheets_member_id_panel_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_score_sheets_panel_id_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_versions.id'], name=op.f('fk_score_sheets_version_id_scheme_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_sheets')),
    sa.UniqueConstraint('version_id', 'member_id', name=op.f('uq_score_sheets_version_id_member_id'))
    )
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_sheets_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_sheets_panel_id'), ['panel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_sheets_version_id'), ['version_id'], unique=False)

    op.create_table('marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('aspect_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['aspect_id'], ['scheme_aspects.id'], name=op.f('fk_marks_aspect_id_scheme_aspects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_marks_member_id_panel_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_marks_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['score_sheets.id'], name=op.f('fk_marks_sheet_id_score_sheets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marks')),
    sa.UniqueConstraint('member_id', 'client_id', name=op.f('uq_marks_member_id_client_id')),
    sa.UniqueConstraint('sheet_id', 'aspect_id', 'registration_id', 'attempt', name=op.f('uq_marks_sheet_id_aspect_id_registration_id_attempt'))
    )
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marks_aspect_id'), ['aspect_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marks_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marks_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('mark_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mark_id'], ['marks.id'], name=op.f('fk_mark_receipts_mark_id_marks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_mark_receipts_member_id_panel_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_receipts')),
    sa.UniqueConstraint('member_id', 'client_id', name=op.f('uq_mark_receipts_member_id_client_id'))
    )
    with op.batch_alter_table('mark_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_receipts_mark_id'), ['mark_id'], unique=False)
    op.create_table('spread_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('aspect_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('spread', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['aspect_id'], ['scheme_aspects.id'], name=op.f('fk_spread_flags_aspect_id_scheme_aspects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_spread_flags_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_versions.id'], name=op.f('fk_spread_flags_version_id_scheme_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spread_flags')),
    sa.UniqueConstraint('version_id', 'aspect_id', 'registration_id', 'attempt', name=op.f('uq_spread_flags_version_id_aspect_id_registration_id_attempt'))
    )
    with op.batch_alter_table('spread_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spread_flags_version_id'), ['version_id'], unique=False)

    op.create_table('mark_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('old_value', sa.String(length=40), nullable=False),
    sa.Column('new_value', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_mark_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mark_id'], ['marks.id'], name=op.f('fk_mark_changes_mark_id_marks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_changes'))
    )
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_changes_mark_id'), ['mark_id'], unique=False)

    with op.batch_alter_table('marking_schemes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('spread_action', sa.String(length=16), server_default='remark', nullable=False))



def downgrade():
    with op.batch_alter_table('marking_schemes', schema=None) as batch_op:
        batch_op.drop_column('spread_action')
        batch_op.drop_column('blind')

    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_changes_mark_id'))

    op.drop_table('mark_changes')
    with op.batch_alter_table('spread_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spread_flags_version_id'))

    op.drop_table('spread_flags')
    with op.batch_alter_table('mark_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_receipts_mark_id'))
    op.drop_table('mark_receipts')
    with op.batch_alter_table('marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marks_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_marks_registration_id'))
        batch_op.drop_index(batch_op.f('ix_marks_aspect_id'))

    op.drop_table('marks')
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_sheets_version_id'))
        batch_op.drop_index(batch_op.f('ix_score_sheets_panel_id'))
        batch_op.drop_index(batch_op.f('ix_score_sheets_member_id'))

    op.drop_table('score_sheets')
