"""certificates: templates, issued certificates and their PDFs

Revision ID: 0022_certificates
Revises: 0019_trainings
Create Date: 2026-12-02 06:39:37.732210

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_certificates'
down_revision = '0019_trainings'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('award', 'completion', 'judge', 'participation', name='kind', native_enum=False, length=16), nullable=False),
    sa.Column('page_size', sa.String(length=8), nullable=False),
    sa.Column('orientation', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('background', sa.LargeBinary(), nullable=True),
    sa.Column('has_background', sa.Boolean(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_templates'))
    )
    with op.batch_alter_table('certificate_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_templates_kind'), ['kind'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('award', 'completion', 'judge', 'participation', name='kind', native_enum=False, length=16), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=64), nullable=False),
    sa.Column('holder_id_masked', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('subject_key', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('valid', 'revoked', 'superseded', name='state', native_enum=False, length=16), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['persons.id'], name=op.f('fk_certificates_holder_id_persons'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificates.id'], name=op.f('fk_certificates_superseded_by_id_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['certificates.id'], name=op.f('fk_certificates_supersedes_id_certificates'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['template_id'], ['certificate_templates.id'], name=op.f('fk_certificates_template_id_certificate_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index('uq_certificates_current', ['holder_id', 'subject_key', 'kind'], unique=True, postgresql_where=sa.text("state <> 'superseded'"), sqlite_where=sa.text("state <> 'superseded'"))

    op.create_table('certificate_documents',
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_documents_certificate_id_certificates'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('certificate_id', name=op.f('pk_certificate_documents'))
    )


def downgrade():
    op.drop_table('certificate_documents')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_current', postgresql_where=sa.text("state <> 'superseded'"), sqlite_where=sa.text("state <> 'superseded'"))
        batch_op.drop_index(batch_op.f('ix_certificates_holder_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('certificate_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_templates_kind'))

    op.drop_table('certificate_templates')
