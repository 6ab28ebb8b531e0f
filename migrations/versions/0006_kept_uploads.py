"""core: uploads kept between an import's preview and its confirmation live in the database

They lived in instance/uploads/ on one host's disk, so a confirmation that reached another
host behind the load balancer lost its file. Files kept on disk by the old code are not
carried over: they expire within the hour, and the user uploads the file again.

Revision ID: 0006_kept_uploads
Revises: 0005_event_counters
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_kept_uploads'
down_revision = '0005_event_counters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_uploads',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_kept_uploads_owner_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_kept_uploads'))
    )
    with op.batch_alter_table('kept_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_uploads_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_uploads_owner_id'), ['owner_id'], unique=False)


def downgrade():
    op.drop_table('kept_uploads')
