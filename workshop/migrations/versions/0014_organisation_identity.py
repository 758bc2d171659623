"""Organisations administered from the browser: SIRET, RNA, RUP/RIG standing, a contact, a logo.

Revision ID: 0014a
Revises: 0013s
Create Date: 2026-12-04 18:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014a'
down_revision = '0013s'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True))
        batch_op.add_column(sa.Column('rna', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(
            sa.Column('public_interest', sa.String(length=10), nullable=False, server_default='none')
        )
        batch_op.add_column(sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.create_table('organisation_logo',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('organisation_id')
    )


def downgrade() -> None:
    op.drop_table('organisation_logo')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('contact_name')
        batch_op.drop_column('public_interest')
        batch_op.drop_column('rna')
        batch_op.drop_column('siret')
