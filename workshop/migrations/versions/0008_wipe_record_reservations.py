"""Wipe records: per-disk truth and passes with reservations (filled by the erasure-proof work).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 22:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "passed_with_reservations" (24 characters) as a wipe result and as a bench task's state.
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.alter_column('result', existing_type=sa.String(length=20),
                              type_=sa.String(length=32), existing_nullable=False)
        batch_op.add_column(sa.Column('reservations', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      server_default='[]', nullable=False))
    with op.batch_alter_table('bench_task', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=32),
                              existing_nullable=False)


def downgrade() -> None:
    # Results that did not exist before 0008 read as interrupted: never a plain "passed".
    op.execute("UPDATE wipe_record SET result = 'interrupted' "
               "WHERE result = 'passed_with_reservations'")
    op.execute("UPDATE bench_task SET status = 'interrupted' "
               "WHERE status = 'passed_with_reservations'")
    with op.batch_alter_table('bench_task', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
                              type_=sqlmodel.sql.sqltypes.AutoString(length=20),
                              existing_nullable=False)
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.drop_column('reservations')
        batch_op.alter_column('result', existing_type=sa.String(length=32),
                              type_=sa.String(length=20), existing_nullable=False)
