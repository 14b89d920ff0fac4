"""each change keeps the deployment that first shipped it (the metrics read lead times without a three-table join)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 13:20:00+00:00

The existing changes are attributed here with the rule the records' writes apply from now on
(adapters/postgres/delivery/records.py). Row-level security is forced on the table, so its owner would see no rows:
the backfill lifts FORCE for its own transaction (a superuser bypasses RLS anyway).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BACKFILL = """
WITH shipped AS (
    SELECT DISTINCT ON (ch.source_id, ch.key) ch.source_id, ch.key, d.key AS deployment_key, d.finished_at
    FROM delivery_changes ch
    JOIN delivery_deployed_commits c ON c.source_id = ch.source_id AND c.sha = ch.merge_sha
    JOIN delivery_deployments d ON d.source_id = c.source_id AND d.key = c.deployment_key
    WHERE d.production AND d.result = 'success' AND d.finished_at IS NOT NULL AND NOT EXISTS (
        SELECT FROM delivery_deployments e WHERE e.source_id = d.source_id AND e.sha = d.sha
        AND e.production AND e.result = 'success' AND e.finished_at IS NOT NULL
        AND (e.finished_at, e.key COLLATE "C") < (d.finished_at, d.key COLLATE "C"))
    ORDER BY ch.source_id, ch.key, d.finished_at, d.key COLLATE "C")
UPDATE delivery_changes ch SET deployment_key = s.deployment_key, deployed_at = s.finished_at
FROM shipped s WHERE ch.source_id = s.source_id AND ch.key = s.key
"""


def upgrade() -> None:
    op.add_column('delivery_changes', sa.Column('deployment_key', sa.Text(), nullable=True))
    op.add_column('delivery_changes', sa.Column('deployed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_delivery_changes_owner_id_deployed_at'), 'delivery_changes', ['owner_id', 'deployed_at'],
                    unique=False)
    op.execute("ALTER TABLE delivery_changes NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    op.execute("ALTER TABLE delivery_changes FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_index(op.f('ix_delivery_changes_owner_id_deployed_at'), table_name='delivery_changes')
    op.drop_column('delivery_changes', 'deployed_at')
    op.drop_column('delivery_changes', 'deployment_key')
