"""Issued documents, wipe records and recycling exits.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-22 12:37:34.865327
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('donation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('payload_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('issued_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['donation_id'], ['donation.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid')
    )
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_document_donation_id'), ['donation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_payload_hash'), ['payload_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_issued_document_subject'), ['subject'], unique=False)

    op.create_table('recycling_exit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('exited_on', sa.Date(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('waste_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('weight_kg', sa.Float(), nullable=True),
    sa.Column('consignee', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('transporter', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('treatment_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('eco_organisme', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('device_id')
    )
    op.create_table('wipe_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wipe_uid', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('bench_record_id', sa.Integer(), nullable=True),
    sa.Column('bench_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('disk_model', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('disk_serial', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('disk_wwn', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('disk_size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('disk_transport', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('technique', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('fallback_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('tool', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('tool_version', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('passes', sa.Integer(), nullable=False),
    sa.Column('verification_mode', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('verification_result', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('bytes_written', sa.BigInteger(), nullable=False),
    sa.Column('bytes_verified', sa.BigInteger(), nullable=False),
    sa.Column('hidden_bytes_not_erased', sa.BigInteger(), nullable=False),
    sa.Column('hidden_area', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('errors', sa.Text(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('technician', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('validated_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('validated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('destroyed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('destruction_witness', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['bench_id'], ['bench.id'], ),
    sa.ForeignKeyConstraint(['bench_record_id'], ['bench_record.id'], ),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wipe_record_bench_id'), ['bench_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wipe_record_device_id'), ['device_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wipe_record_result'), ['result'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('wipe_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wipe_record_result'))
        batch_op.drop_index(batch_op.f('ix_wipe_record_device_id'))
        batch_op.drop_index(batch_op.f('ix_wipe_record_bench_id'))

    op.drop_table('wipe_record')
    op.drop_table('recycling_exit')
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_document_subject'))
        batch_op.drop_index(batch_op.f('ix_issued_document_payload_hash'))
        batch_op.drop_index(batch_op.f('ix_issued_document_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_issued_document_kind'))
        batch_op.drop_index(batch_op.f('ix_issued_document_donation_id'))

    op.drop_table('issued_document')
