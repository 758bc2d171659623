"""Site enrolment secrets: a PC booted from the bench image enrols as a bench session of a site.

Revision ID: 0013s
Revises: 0012r
Create Date: 2026-12-03 11:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0013s'
down_revision = '0012r'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('site_secret',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('secret_hash'),
    sa.UniqueConstraint('site_name')
    )
    with op.batch_alter_table('bench', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_secret_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_bench_site_secret_id'), ['site_secret_id'], unique=False)
        batch_op.create_foreign_key('fk_bench_site_secret_id', 'site_secret', ['site_secret_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('bench', schema=None) as batch_op:
        batch_op.drop_constraint('fk_bench_site_secret_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_bench_site_secret_id'))
        batch_op.drop_column('site_secret_id')
    op.drop_table('site_secret')
