"""certificates: batches issued by the scheduler

Revision ID: 0023_certificate_batches
Revises: 0022_certificates
Create Date: 2026-12-02 08:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_certificate_batches'
down_revision = '0022_certificates'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('ref', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('award', 'completion', 'judge', 'participation', name='kind', native_enum=False, length=16), nullable=False),
    sa.Column('subject_key', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'running', 'done', name='batchstate', native_enum=False, length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('issued', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_certificate_batches_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['certificate_templates.id'], name=op.f('fk_certificate_batches_template_id_certificate_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batches'))
    )
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_batches_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batches_state'))
    op.drop_table('certificate_batches')
