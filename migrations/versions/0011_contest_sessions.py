"""contest sessions (场次), their stations, station draws (抽签) and seats; panels onto sessions

A session is one room of an event (or stage) over an interval; a seat is one contestant's
station in it. Panels gain the session they judge and its interval (existing panels keep
their dates and no session until given one).

Revision ID: 0011_contest_sessions
Revises: 0010_scheduling
Create Date: 2026-12-02 03:43:17.602835

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_contest_sessions'
down_revision = '0010_scheduling'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contest_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_contest_sessions_session_interval')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contest_sessions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_contest_sessions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_contest_sessions_room_id_rooms'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_contest_sessions_stage_id_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_sessions')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_contest_sessions_event_id_name'))
    )
    with op.batch_alter_table('contest_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_sessions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_sessions_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contest_sessions_stage_id'), ['stage_id'], unique=False)

    op.create_table('station_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('seed', sa.String(length=200), nullable=False),
    sa.Column('seed_source', sa.String(length=16), nullable=False),
    sa.Column('algorithm', sa.String(length=64), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('witnesses', sa.Text(), nullable=True),
    sa.Column('ran_by_id', sa.Integer(), nullable=True),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_station_draws_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ran_by_id'], ['users.id'], name=op.f('fk_station_draws_ran_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_station_draws_stage_id_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_draws'))
    )
    with op.batch_alter_table('station_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_draws_event_id'), ['event_id'], unique=False)

    op.create_table('contest_session_stations',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['contest_sessions.id'], name=op.f('fk_contest_session_stations_session_id_contest_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_contest_session_stations_station_id_stations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('session_id', 'station_id', name=op.f('pk_contest_session_stations'))
    )
    with op.batch_alter_table('contest_session_stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_session_stations_station_id'), ['station_id'], unique=False)

    op.create_table('session_seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('draw', 'late', 'swap', 'manual', name='seatsource', native_enum=False, length=16), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_in_by_id'], ['users.id'], name=op.f('fk_session_seats_checked_in_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draw_id'], ['station_draws.id'], name=op.f('fk_session_seats_draw_id_station_draws'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_session_seats_person_id_persons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_session_seats_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['contest_sessions.id'], name=op.f('fk_session_seats_session_id_contest_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_session_seats_station_id_stations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_seats')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_session_seats_session_id_person_id')),
    sa.UniqueConstraint('session_id', 'station_id', name=op.f('uq_session_seats_session_id_station_id'))
    )
    with op.batch_alter_table('session_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_seats_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_seats_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_seats_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_panels_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_panels_session_id_contest_sessions'), 'contest_sessions', ['session_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_panels_session_id_contest_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_panels_session_id'))
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
        batch_op.drop_column('session_id')

    with op.batch_alter_table('session_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_seats_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_seats_registration_id'))
        batch_op.drop_index(batch_op.f('ix_session_seats_person_id'))

    op.drop_table('session_seats')
    with op.batch_alter_table('contest_session_stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_session_stations_station_id'))

    op.drop_table('contest_session_stations')
    with op.batch_alter_table('station_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_draws_event_id'))

    op.drop_table('station_draws')
    with op.batch_alter_table('contest_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_sessions_stage_id'))
        batch_op.drop_index(batch_op.f('ix_contest_sessions_room_id'))
        batch_op.drop_index(batch_op.f('ix_contest_sessions_event_id'))

    op.drop_table('contest_sessions')
