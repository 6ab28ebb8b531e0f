"""scoring: marking schemes (评分方案), their versions, components → criteria → aspects

Decimal figures are stored as their exact text (String(40)): the same on SQLite and PostgreSQL.

Revision ID: 0015_scoring
Revises: 0014_inbox
Create Date: 2026-12-02 04:21:56.114356

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_scoring'
down_revision = '0014_inbox'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('marking_schemes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_marking_schemes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], name=op.f('fk_marking_schemes_stage_id_stages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marking_schemes'))
    )
    with op.batch_alter_table('marking_schemes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marking_schemes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marking_schemes_stage_id'), ['stage_id'], unique=False)

    op.create_table('scheme_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('total_rounding', sa.String(length=16), nullable=False),
    sa.Column('total_places', sa.Integer(), nullable=False),
    sa.Column('tie_breaks', sa.JSON(), nullable=False),
    sa.Column('award_method', sa.String(length=16), nullable=False),
    sa.Column('award_levels', sa.JSON(), nullable=False),
    sa.Column('award_rounding', sa.String(length=16), nullable=False),
    sa.Column('standardisation', sa.String(length=16), nullable=False),
    sa.Column('standard_mean', sa.String(length=40), nullable=True),
    sa.Column('standard_spread', sa.String(length=40), nullable=True),
    sa.Column('standard_benchmark', sa.String(length=40), nullable=True),
    sa.Column('standard_rounding', sa.String(length=16), nullable=False),
    sa.Column('standard_places', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_scheme_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scheme_id'], ['marking_schemes.id'], name=op.f('fk_scheme_versions_scheme_id_marking_schemes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_versions')),
    sa.UniqueConstraint('scheme_id', 'number', name=op.f('uq_scheme_versions_scheme_id_number'))
    )
    with op.batch_alter_table('scheme_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_versions_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('scheme_components',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('weight', sa.String(length=40), nullable=True),
    sa.Column('scale_to', sa.String(length=40), nullable=True),
    sa.Column('is_theory', sa.Boolean(), nullable=False),
    sa.Column('rounding', sa.String(length=16), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_versions.id'], name=op.f('fk_scheme_components_version_id_scheme_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_components')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_scheme_components_version_id_key'))
    )
    with op.batch_alter_table('scheme_components', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_components_version_id'), ['version_id'], unique=False)

    op.create_table('scheme_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('component_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['component_id'], ['scheme_components.id'], name=op.f('fk_scheme_criteria_component_id_scheme_components'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_criteria'))
    )
    with op.batch_alter_table('scheme_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_criteria_component_id'), ['component_id'], unique=False)

    op.create_table('scheme_aspects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('maximum', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('scale_min', sa.String(length=40), nullable=False),
    sa.Column('scale_max', sa.String(length=40), nullable=False),
    sa.Column('scale_step', sa.String(length=40), nullable=True),
    sa.Column('allowed_spread', sa.String(length=40), nullable=True),
    sa.Column('judges', sa.Integer(), nullable=True),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('drop_high', sa.Integer(), nullable=False),
    sa.Column('drop_low', sa.Integer(), nullable=False),
    sa.Column('attempts_rule', sa.String(length=16), nullable=False),
    sa.Column('attempts_count', sa.Integer(), nullable=True),
    sa.Column('best_k', sa.Integer(), nullable=False),
    sa.Column('uses_factor', sa.Boolean(), nullable=False),
    sa.Column('rounding', sa.String(length=16), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['scheme_criteria.id'], name=op.f('fk_scheme_aspects_criterion_id_scheme_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['scheme_versions.id'], name=op.f('fk_scheme_aspects_version_id_scheme_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheme_aspects')),
    sa.UniqueConstraint('version_id', 'key', name=op.f('uq_scheme_aspects_version_id_key'))
    )
    with op.batch_alter_table('scheme_aspects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheme_aspects_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheme_aspects_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('scheme_aspects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_aspects_version_id'))
        batch_op.drop_index(batch_op.f('ix_scheme_aspects_criterion_id'))

    op.drop_table('scheme_aspects')
    with op.batch_alter_table('scheme_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_criteria_component_id'))

    op.drop_table('scheme_criteria')
    with op.batch_alter_table('scheme_components', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_components_version_id'))

    op.drop_table('scheme_components')
    with op.batch_alter_table('scheme_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheme_versions_scheme_id'))

    op.drop_table('scheme_versions')
    with op.batch_alter_table('marking_schemes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_marking_schemes_stage_id'))
        batch_op.drop_index(batch_op.f('ix_marking_schemes_event_id'))

    op.drop_table('marking_schemes')
