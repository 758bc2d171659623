"""Label printers (per bench or on the network) and the print queue.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:35:55.099460
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('printer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('bench_id', sa.Integer(), nullable=True),
    sa.Column('uri', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('profile', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('media', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('qr_mode', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bench_id'], ['bench.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('printer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_printer_bench_id'), ['bench_id'], unique=False)

    op.create_table('label_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('printed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.ForeignKeyConstraint(['printer_id'], ['printer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('label_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_label_job_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_label_job_printer_id'), ['printer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_label_job_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('label_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_label_job_status'))
        batch_op.drop_index(batch_op.f('ix_label_job_printer_id'))
        batch_op.drop_index(batch_op.f('ix_label_job_device_id'))

    op.drop_table('label_job')
    with op.batch_alter_table('printer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_printer_bench_id'))

    op.drop_table('printer')
