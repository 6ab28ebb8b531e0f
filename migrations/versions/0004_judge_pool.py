"""judges: the pool (levels, trades, profiles, qualifications, availability, declared
conflicts), panels, their draws and members

Three judge levels are seeded (national 国家级, provincial 省级, municipal 市级); staff keep
the list from there.

Revision ID: 0004_judge_pool
Revises: 0003_waitlist_left_index
Create Date: 2026-11-29 14:20:28.721017

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_judge_pool'
down_revision = '0003_waitlist_left_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('judge_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=100), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_levels')),
    sa.UniqueConstraint('code', name=op.f('uq_judge_levels_code'))
    )
    op.create_table('specialities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_specialities')),
    sa.UniqueConstraint('code', name=op.f('uq_specialities_code'))
    )
    op.create_table('judge_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('judge', 'expert', 'both', name='judgekind', native_enum=False, length=16), nullable=False),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['level_id'], ['judge_levels.id'], name=op.f('fk_judge_profiles_level_id_judge_levels'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_judge_profiles_person_id_persons'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_profiles')),
    sa.UniqueConstraint('person_id', name=op.f('uq_judge_profiles_person_id'))
    )
    with op.batch_alter_table('judge_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_profiles_level_id'), ['level_id'], unique=False)

    op.create_table('judge_availability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_judge_availability_dates_in_order')),
    sa.ForeignKeyConstraint(['profile_id'], ['judge_profiles.id'], name=op.f('fk_judge_availability_profile_id_judge_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_availability'))
    )
    with op.batch_alter_table('judge_availability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_availability_profile_id'), ['profile_id'], unique=False)

    op.create_table('judge_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(person_id IS NULL AND organisation_id IS NOT NULL) OR (person_id IS NOT NULL AND organisation_id IS NULL)', name=op.f('ck_judge_conflicts_one_party')),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_judge_conflicts_declared_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_judge_conflicts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_judge_conflicts_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['judge_profiles.id'], name=op.f('fk_judge_conflicts_profile_id_judge_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_conflicts'))
    )
    with op.batch_alter_table('judge_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_conflicts_profile_id'), ['profile_id'], unique=False)

    op.create_table('judge_qualifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['judge_profiles.id'], name=op.f('fk_judge_qualifications_profile_id_judge_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judge_qualifications')),
    sa.UniqueConstraint('profile_id', 'number', name=op.f('uq_judge_qualifications_profile_id_number'))
    )
    with op.batch_alter_table('judge_qualifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judge_qualifications_profile_id'), ['profile_id'], unique=False)

    op.create_table('judge_specialities',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('speciality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['judge_profiles.id'], name=op.f('fk_judge_specialities_profile_id_judge_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speciality_id'], ['specialities.id'], name=op.f('fk_judge_specialities_speciality_id_specialities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('profile_id', 'speciality_id', name=op.f('pk_judge_specialities'))
    )
    op.create_table('panels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('speciality_id', sa.Integer(), nullable=False),
    sa.Column('min_level_id', sa.Integer(), nullable=True),
    sa.Column('chiefs', sa.Integer(), nullable=False),
    sa.Column('judges', sa.Integer(), nullable=False),
    sa.Column('reserves', sa.Integer(), nullable=False),
    sa.Column('max_per_unit', sa.Integer(), nullable=True),
    sa.Column('max_per_region', sa.Integer(), nullable=True),
    sa.Column('compatriot_rule', sa.Enum('exclude', 'withhold', name='compatriotrule', native_enum=False, length=16), nullable=False),
    sa.Column('status', sa.Enum('open', 'drawn', 'closed', name='panelstatus', native_enum=False, length=16), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_panels_dates_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_panels_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_panels_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['min_level_id'], ['judge_levels.id'], name=op.f('fk_panels_min_level_id_judge_levels'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['speciality_id'], ['specialities.id'], name=op.f('fk_panels_speciality_id_specialities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_panels_stage_id_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panels'))
    )
    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panels_event_id'), ['event_id'], unique=False)

    op.create_table('draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=200), nullable=False),
    sa.Column('seed_source', sa.Enum('secure', 'witnessed', name='seedsource', native_enum=False, length=16), nullable=False),
    sa.Column('algorithm', sa.String(length=64), nullable=False),
    sa.Column('constraints', sa.JSON(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('witnesses', sa.Text(), nullable=True),
    sa.Column('ran_by_id', sa.Integer(), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_draws_panel_id_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ran_by_id'], ['users.id'], name=op.f('fk_draws_ran_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draws'))
    )
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draws_panel_id'), ['panel_id'], unique=False)

    op.create_table('panel_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('chief', 'judge', 'recorder', 'reserve', name='panelrole', native_enum=False, length=16), nullable=False),
    sa.Column('reserve_order', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('invited', 'accepted', 'declined', 'replaced', 'removed', name='memberstatus', native_enum=False, length=16), nullable=False),
    sa.Column('source', sa.Enum('draw', 'manual', 'replacement', name='membersource', native_enum=False, length=16), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_panel_members_panel_id_panels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['judge_profiles.id'], name=op.f('fk_panel_members_profile_id_judge_profiles'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['panel_members.id'], name=op.f('fk_panel_members_replaces_id_panel_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_members')),
    sa.UniqueConstraint('panel_id', 'profile_id', name=op.f('uq_panel_members_panel_id_profile_id'))
    )
    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_members_profile_id'), ['profile_id'], unique=False)

    # Panels and draws point at each other: the panel's key to its draw comes last.
    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_panels_draw_id_draws'), 'draws', ['draw_id'], ['id'],
                                    ondelete='SET NULL')

    levels = sa.table('judge_levels', sa.column('code', sa.String), sa.column('name', sa.String),
                      sa.column('name_en', sa.String), sa.column('rank', sa.Integer))
    op.bulk_insert(levels, [
        {'code': 'national', 'name': '国家级', 'name_en': 'National', 'rank': 30},
        {'code': 'provincial', 'name': '省级', 'name_en': 'Provincial', 'rank': 20},
        {'code': 'municipal', 'name': '市级', 'name_en': 'Municipal', 'rank': 10},
    ])


def downgrade():
    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_panels_draw_id_draws'), type_='foreignkey')

    with op.batch_alter_table('panel_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_members_profile_id'))

    op.drop_table('panel_members')
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draws_panel_id'))

    op.drop_table('draws')
    with op.batch_alter_table('panels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panels_event_id'))

    op.drop_table('panels')
    op.drop_table('judge_specialities')
    with op.batch_alter_table('judge_qualifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_qualifications_profile_id'))

    op.drop_table('judge_qualifications')
    with op.batch_alter_table('judge_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_conflicts_profile_id'))

    op.drop_table('judge_conflicts')
    with op.batch_alter_table('judge_availability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_availability_profile_id'))

    op.drop_table('judge_availability')
    with op.batch_alter_table('judge_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judge_profiles_level_id'))

    op.drop_table('judge_profiles')
    op.drop_table('specialities')
    op.drop_table('judge_levels')
