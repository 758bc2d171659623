"""Reason codes: what a bench said, as codes, beside its English text (tasks, wipe fallbacks).

Revision ID: 0012r
Revises: 0011b
Create Date: 2026-12-03 11:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012r'
down_revision = '0011b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "[]" for rows from agents before the codes: they show their text (old matching).
    with op.batch_alter_table('bench_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reasons', sa.Text(), nullable=False, server_default='[]'))
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('fallback_reasons', sa.Text(), nullable=False, server_default='[]')
        )


def downgrade() -> None:
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.drop_column('fallback_reasons')
    with op.batch_alter_table('bench_task', schema=None) as batch_op:
        batch_op.drop_column('reasons')
