"""events: count who has left the waiting list, and say whether any unit has a quota

Both are read by the UPDATE that claims a seat or a waiting-list position, under the event
row's lock: the new entry's place (issued less left) and whether to look for its unit's
quota come with the claim instead of costing two more statements while every other
registration of the event waits.

Revision ID: 0005_event_counters
Revises: 0004_judge_pool
Create Date: 2026-11-29 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_event_counters'
down_revision = '0004_judge_pool'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlist_left', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('has_unit_quotas', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE events SET waitlist_left = waitlist_issued - (SELECT count(*) FROM registrations"
               " WHERE registrations.event_id = events.id AND registrations.status = 'waitlisted')")
    op.execute("UPDATE events SET has_unit_quotas = EXISTS (SELECT 1 FROM event_quotas"
               " WHERE event_quotas.event_id = events.id)")


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('has_unit_quotas')
        batch_op.drop_column('waitlist_left')
