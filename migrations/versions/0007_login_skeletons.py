"""users: the confusable skeleton of each username and e-mail, unique; failed sign-ins in a row

Two identifiers that render alike (Latin "admin" and "аdmin" with a Cyrillic "а") have one
UTS #39 skeleton; a unique index on it refuses the second. Existing rows are filled here
with ICU's skeleton (the one core.identifiers uses). Where two existing accounts already
share a skeleton, the older keeps it and the newer is left empty (NULL, which the index
allows) and named in the log, so the upgrade never fails on old data.

`failed_sign_ins` and `sign_in_wait_until` hold the per-account limit on wrong passwords.

Revision ID: 0007_login_skeletons
Revises: 0006_kept_uploads
Create Date: 2026-12-02 01:00:00

"""
import logging

from alembic import op
import sqlalchemy as sa
from icu import SpoofChecker


revision = '0007_login_skeletons'
down_revision = '0006_kept_uploads'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _fill(connection, column: str) -> None:
    checker = SpoofChecker()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column(column, sa.String),
                     sa.column(f'{column}_skeleton', sa.String))
    taken = set()
    rows = connection.execute(sa.select(users.c.id, users.c[column])
                              .where(users.c[column].is_not(None)).order_by(users.c.id))
    for user_id, value in rows.all():
        skeleton = checker.getSkeleton(0, value)
        if skeleton in taken:
            log.warning("user %s: %s looks like an older account's; its skeleton is left empty", user_id, column)
            continue
        taken.add(skeleton)
        connection.execute(users.update().where(users.c.id == user_id)
                           .values({f'{column}_skeleton': skeleton}))


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username_skeleton', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('email_skeleton', sa.String(length=1024), nullable=True))
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('sign_in_wait_until', sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    _fill(connection, 'username')
    _fill(connection, 'email')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_users_username_skeleton'), ['username_skeleton'])
        batch_op.create_unique_constraint(batch_op.f('uq_users_email_skeleton'), ['email_skeleton'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_email_skeleton'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_users_username_skeleton'), type_='unique')
        batch_op.drop_column('sign_in_wait_until')
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('email_skeleton')
        batch_op.drop_column('username_skeleton')
