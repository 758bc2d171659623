"""Bench enrollment codes, records sent by benches (idempotent), the disks a bench sees.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:19:44.926228
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enrollment_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('bench_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('bench_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bench_id'], ['bench.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    op.create_table('bench_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bench_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('payload_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('needs_binding', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bench_id'], ['bench.id'], ),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bench_id', 'idempotency_key')
    )
    with op.batch_alter_table('bench_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bench_record_bench_id'), ['bench_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bench_record_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bench_record_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_bench_record_needs_binding'), ['needs_binding'], unique=False)

    with op.batch_alter_table('bench', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disks', sa.Text(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('disks_observed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('bench', schema=None) as batch_op:
        batch_op.drop_column('disks_observed_at')
        batch_op.drop_column('disks')

    with op.batch_alter_table('bench_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bench_record_needs_binding'))
        batch_op.drop_index(batch_op.f('ix_bench_record_kind'))
        batch_op.drop_index(batch_op.f('ix_bench_record_device_id'))
        batch_op.drop_index(batch_op.f('ix_bench_record_bench_id'))

    op.drop_table('bench_record')
    op.drop_table('enrollment_code')
