"""Event log: sealed after commit, signed checkpoints (filled by the erasure-proof work).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
