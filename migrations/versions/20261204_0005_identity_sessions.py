"""identity sessions: one row per login, ended sessions polled by every process

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 16:30:00+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('client_address', sa.Text(), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_xact', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_sessions_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    op.create_index(op.f('ix_sessions_ended_at'), 'sessions', ['ended_at'], unique=False, postgresql_where=sa.text('ended_at IS NOT NULL'))
    op.create_index(op.f('ix_sessions_ended_xact'), 'sessions', ['ended_xact'], unique=False, postgresql_where=sa.text('ended_xact IS NOT NULL'))
    op.create_index(op.f('ix_sessions_owner_id_client_address_started_at'), 'sessions', ['owner_id', 'client_address', 'started_at'], unique=False)
    # Every existing refresh-token family is a session (from before addresses were kept); a family whose tokens are
    # all revoked ended when the last was revoked, in this transaction as far as the pollers are concerned.
    op.execute("""
        INSERT INTO sessions (id, owner_id, started_at, client_address, ended_at, ended_xact)
        SELECT family_id, owner_id, min(issued_at), NULL,
               CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END,
               CASE WHEN bool_and(revoked_at IS NOT NULL) THEN pg_current_xact_id()::text::bigint END
        FROM refresh_tokens GROUP BY family_id, owner_id
    """)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_sessions_owner_id_client_address_started_at'), table_name='sessions')
    op.drop_index(op.f('ix_sessions_ended_xact'), table_name='sessions', postgresql_where=sa.text('ended_xact IS NOT NULL'))
    op.drop_index(op.f('ix_sessions_ended_at'), table_name='sessions', postgresql_where=sa.text('ended_at IS NOT NULL'))
    op.drop_table('sessions')
