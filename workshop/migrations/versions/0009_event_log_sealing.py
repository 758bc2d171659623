"""Event log: sealed after commit, signed checkpoints (filled by the erasure-proof work).

Events are inserted unsealed (seq, prev_hash and hash empty) and chained after commit by the
sealer, so those columns become nullable. The head row gains the Merkle frontier (the roots of
the perfect subtrees on the tree's right edge, RFC 9162 leaves = the events' hashes in seq
order), computed here for the events sealed before this migration.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 22:30:00
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column(
            'prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        )
        batch_op.alter_column(
            'hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        )
    with op.batch_alter_table('event_chain_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frontier', sa.Text(), server_default='[]', nullable=False))
    _fill_frontier()


def _fill_frontier() -> None:
    """The Merkle frontier of the events already chained (a self-contained RFC 9162 fold)."""
    bind = op.get_bind()
    size, nodes = 0, []
    for (event_hash,) in bind.execute(sa.text("SELECT hash FROM event ORDER BY seq")):
        node = hashlib.sha256(b"\x00" + bytes.fromhex(event_hash)).digest()
        rest = size
        while rest & 1:
            node = hashlib.sha256(b"\x01" + nodes.pop() + node).digest()
            rest >>= 1
        nodes.append(node)
        size += 1
    bind.execute(
        sa.text("UPDATE event_chain_head SET frontier = :f WHERE id = 1"),
        {"f": json.dumps([n.hex() for n in nodes])},
    )


def downgrade() -> None:
    unsealed = op.get_bind().execute(sa.text("SELECT count(*) FROM event WHERE seq IS NULL"))
    count = unsealed.scalar_one()
    if count:
        raise RuntimeError(
            f"{count} events are not sealed yet: run `workshop seal-log` before downgrading"
        )
    with op.batch_alter_table('event_chain_head', schema=None) as batch_op:
        batch_op.drop_column('frontier')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.alter_column(
            'hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.alter_column(
            'prev_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
