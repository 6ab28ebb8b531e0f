"""competitions and events: the contest's dates and place (city, venue), which people look for

Revision ID: 0008_contest_dates
Revises: 0007_login_skeletons
Create Date: 2026-12-02 01:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_contest_dates'
down_revision = '0007_login_skeletons'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('competitions', 'events'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('place', sa.String(length=200), nullable=True))


def downgrade():
    for table in ('events', 'competitions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('place')
            batch_op.drop_column('ends_on')
            batch_op.drop_column('starts_on')
