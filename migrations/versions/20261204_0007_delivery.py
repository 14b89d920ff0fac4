"""delivery sources, syncs, saved states and synced records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:38:11.722100+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('delivery_sources',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('deployment_patterns', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('production_pattern', sa.Text(), nullable=False),
    sa.Column('incident_labels', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('incident_pattern', sa.Text(), nullable=False),
    sa.Column('sealed_token', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_delivery_sources_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_sources')),
    sa.UniqueConstraint('owner_id', 'id', name=op.f('uq_delivery_sources_owner_id_id'))
    )
    op.create_table('delivery_changes',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('first_commit_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('merge_sha', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_changes_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'key', name=op.f('pk_delivery_changes'))
    )
    op.create_index(op.f('ix_delivery_changes_owner_id_merged_at'), 'delivery_changes', ['owner_id', 'merged_at'], unique=False)
    op.create_index(op.f('ix_delivery_changes_source_id_merge_sha'), 'delivery_changes', ['source_id', 'merge_sha'], unique=False)
    op.create_table('delivery_deployed_commits',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('deployment_key', sa.Text(), nullable=False),
    sa.Column('sha', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_deployed_commits_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'deployment_key', 'sha', name=op.f('pk_delivery_deployed_commits'))
    )
    op.create_index(op.f('ix_delivery_deployed_commits_source_id_sha'), 'delivery_deployed_commits', ['source_id', 'sha'], unique=False)
    op.create_table('delivery_deployments',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('environment', sa.Text(), nullable=True),
    sa.Column('production', sa.Boolean(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('sha', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ranged', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_deployments_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'key', name=op.f('pk_delivery_deployments'))
    )
    op.create_index(op.f('ix_delivery_deployments_owner_id_finished_at'), 'delivery_deployments', ['owner_id', 'finished_at'], unique=False)
    op.create_index(op.f('ix_delivery_deployments_source_id_sha'), 'delivery_deployments', ['source_id', 'sha'], unique=False)
    op.create_table('delivery_incidents',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_incidents_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'key', name=op.f('pk_delivery_incidents'))
    )
    op.create_index(op.f('ix_delivery_incidents_owner_id_created_at'), 'delivery_incidents', ['owner_id', 'created_at'], unique=False)
    op.create_table('delivery_states',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('resource', sa.Text(), nullable=False),
    sa.Column('cursor', sa.Text(), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_states_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'resource', name=op.f('pk_delivery_states'))
    )
    op.create_table('delivery_syncs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deployments', sa.Integer(), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.Column('incidents', sa.Integer(), nullable=False),
    sa.Column('deployed_commits', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id', 'source_id'], ['delivery_sources.owner_id', 'delivery_sources.id'], name=op.f('fk_delivery_syncs_owner_id_delivery_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_syncs'))
    )
    op.create_index('ix_delivery_syncs_active', 'delivery_syncs', ['requested_at', 'id'], unique=False, postgresql_where=sa.text("status IN ('queued', 'running')"))
    op.create_index(op.f('ix_delivery_syncs_source_id_requested_at'), 'delivery_syncs', ['source_id', 'requested_at'], unique=False)
    op.create_index('uq_delivery_syncs_source_id', 'delivery_syncs', ['source_id'], unique=True, postgresql_where=sa.text("status = 'queued'"))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('uq_delivery_syncs_source_id', table_name='delivery_syncs', postgresql_where=sa.text("status = 'queued'"))
    op.drop_index(op.f('ix_delivery_syncs_source_id_requested_at'), table_name='delivery_syncs')
    op.drop_index('ix_delivery_syncs_active', table_name='delivery_syncs', postgresql_where=sa.text("status IN ('queued', 'running')"))
    op.drop_table('delivery_syncs')
    op.drop_table('delivery_states')
    op.drop_index(op.f('ix_delivery_incidents_owner_id_created_at'), table_name='delivery_incidents')
    op.drop_table('delivery_incidents')
    op.drop_index(op.f('ix_delivery_deployments_source_id_sha'), table_name='delivery_deployments')
    op.drop_index(op.f('ix_delivery_deployments_owner_id_finished_at'), table_name='delivery_deployments')
    op.drop_table('delivery_deployments')
    op.drop_index(op.f('ix_delivery_deployed_commits_source_id_sha'), table_name='delivery_deployed_commits')
    op.drop_table('delivery_deployed_commits')
    op.drop_index(op.f('ix_delivery_changes_source_id_merge_sha'), table_name='delivery_changes')
    op.drop_index(op.f('ix_delivery_changes_owner_id_merged_at'), table_name='delivery_changes')
    op.drop_table('delivery_changes')
    op.drop_table('delivery_sources')
