"""registrations: index the entries that have left the waiting list

A place on the waiting list is the position less those ahead who have left it; counting
those few through this index keeps the place cheap however long the list grows.

Revision ID: 0003_waitlist_left_index
Revises: 0002_competitions
Create Date: 2026-11-25 00:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_waitlist_left_index'
down_revision = '0002_competitions'
branch_labels = None
depends_on = None

LEFT_WAITLIST = "waitlist_position IS NOT NULL AND (holds_seat OR NOT is_active)"


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_waitlist_left', ['event_id', 'waitlist_position'], unique=False,
                              sqlite_where=sa.text(LEFT_WAITLIST), postgresql_where=sa.text(LEFT_WAITLIST))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_event_waitlist_left', sqlite_where=sa.text(LEFT_WAITLIST),
                            postgresql_where=sa.text(LEFT_WAITLIST))
