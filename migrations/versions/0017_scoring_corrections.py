"""scoring: corrections of locked marks (asked, approved by the chief judge and staff, or refused) and the
third marker a chief judge assigns to a flagged cell

Revision ID: 0017_scoring_corrections
Revises: 0016_scoring_marks
Create Date: 2026-12-02 06:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_scoring_corrections'
down_revision = '0016_scoring_marks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('third_markers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_third_markers_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flag_id'], ['spread_flags.id'], name=op.f('fk_third_markers_flag_id_spread_flags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_third_markers_member_id_panel_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_third_markers')),
    sa.UniqueConstraint('flag_id', name=op.f('uq_third_markers_flag_id'))
    )
    with op.batch_alter_table('third_markers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_third_markers_member_id'), ['member_id'], unique=False)

    op.create_table('mark_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mark_id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('old_value', sa.String(length=40), nullable=False),
    sa.Column('new_value', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('chief_by_id', sa.Integer(), nullable=True),
    sa.Column('chief_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('staff_by_id', sa.Integer(), nullable=True),
    sa.Column('staff_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refused_by_id', sa.Integer(), nullable=True),
    sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refusal', sa.String(length=500), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['chief_by_id'], ['users.id'], name=op.f('fk_mark_corrections_chief_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mark_id'], ['marks.id'], name=op.f('fk_mark_corrections_mark_id_marks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_mark_corrections_panel_id_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['refused_by_id'], ['users.id'], name=op.f('fk_mark_corrections_refused_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_mark_corrections_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_by_id'], ['users.id'], name=op.f('fk_mark_corrections_staff_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_corrections'))
    )
    with op.batch_alter_table('mark_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_corrections_mark_id'), ['mark_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_corrections_panel_id'), ['panel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_corrections_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('mark_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_corrections_status'))
        batch_op.drop_index(batch_op.f('ix_mark_corrections_panel_id'))
        batch_op.drop_index(batch_op.f('ix_mark_corrections_mark_id'))

    op.drop_table('mark_corrections')
    with op.batch_alter_table('third_markers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_third_markers_member_id'))

    op.drop_table('third_markers')
