"""serial_counters: gap-free serials by name (certificate numbers and the like)

One row per name ("certificate:2026:award") holding the last number issued; the next one is
taken by a single INSERT … ON CONFLICT DO UPDATE … RETURNING (app.core.counters), so a
rollback gives it back and numbers stay gap-free.

Revision ID: 0009_serial_counters
Revises: 0008_contest_dates
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_serial_counters'
down_revision = '0008_contest_dates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('serial_counters',
                    sa.Column('name', sa.String(length=120), nullable=False),
                    sa.Column('last_value', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('name', name=op.f('pk_serial_counters')))


def downgrade():
    op.drop_table('serial_counters')
