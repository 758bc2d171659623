"""Issued documents' PDFs stored once drawn and signed: downloads serve the same bytes.

Revision ID: 0015d
Revises: 0014a
Create Date: 2026-12-04 19:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015d'
down_revision = '0014a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issued_document_file',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['issued_document.id'], ),
    sa.PrimaryKeyConstraint('document_id')
    )


def downgrade() -> None:
    op.drop_table('issued_document_file')
