"""Users: a session nonce, so logout and password changes end every copy of a session.

Revision ID: 0011b
Revises: 0010
Create Date: 2026-12-03 07:20:00
"""
import uuid

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0011b'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_nonce', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    # Each account its own random value; cookies issued before the upgrade stop working.
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_nonce', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(
            user.update().where(user.c.id == user_id).values(session_nonce=uuid.uuid4().hex)
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_nonce', existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_nonce')
