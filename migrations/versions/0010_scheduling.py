"""scheduling: venues, rooms, stations (工位), and bookings of rooms, stations and people

A booking holds exactly one resource over [starts_at, ends_at) (two check constraints); the
indexes lead with the resource, then the start, which is how clashes are looked for.

Revision ID: 0010_scheduling
Revises: 0009_serial_counters
Create Date: 2026-12-02 01:51:50.245080

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_scheduling'
down_revision = '0009_serial_counters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues')),
    sa.UniqueConstraint('name', name=op.f('uq_venues_name'))
    )
    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_rooms_venue_id_venues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    sa.UniqueConstraint('venue_id', 'name', name=op.f('uq_rooms_venue_id_name'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooms_venue_id'), ['venue_id'], unique=False)

    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('equipment', sa.String(length=500), nullable=True),
    sa.Column('is_out_of_service', sa.Boolean(), nullable=False),
    sa.Column('out_of_service_reason', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number > 0', name=op.f('ck_stations_station_number')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_stations_room_id_rooms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('room_id', 'number', name=op.f('uq_stations_room_id_number'))
    )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stations_room_id'), ['room_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_kind', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=128), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(CASE WHEN room_id IS NULL THEN 0 ELSE 1 END + CASE WHEN station_id IS NULL THEN 0 ELSE 1 END + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_bookings_booking_one_resource')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_bookings_booking_interval')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_bookings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_bookings_person_id_persons')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_bookings_room_id_rooms')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_bookings_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_owner', ['owner_kind', 'owner_id'], unique=False)
        batch_op.create_index('ix_bookings_person_time', ['person_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_bookings_room_time', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_bookings_station_time', ['station_id', 'starts_at'], unique=False)



def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_station_time')
        batch_op.drop_index('ix_bookings_room_time')
        batch_op.drop_index('ix_bookings_person_time')
        batch_op.drop_index('ix_bookings_owner')

    op.drop_table('bookings')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_room_id'))

    op.drop_table('stations')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooms_venue_id'))

    op.drop_table('rooms')
    op.drop_table('venues')
