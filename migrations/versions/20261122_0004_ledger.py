"""ledger

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:10:00+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('categories',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('color', sa.Text(), nullable=False),
    sa.Column('icon', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_categories_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('owner_id', 'id', name=op.f('uq_categories_owner_id_id'))
    )
    op.create_index('uq_categories_owner_id_name', 'categories', ['owner_id', sa.literal_column('lower(name)')], unique=True)
    op.create_table('budgets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.Text(), nullable=False),
    sa.Column('period', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('rollover', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_budgets_amount_positive')),
    sa.ForeignKeyConstraint(['owner_id', 'category_id'], ['categories.owner_id', 'categories.id'], name=op.f('fk_budgets_owner_id_categories')),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_budgets_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets'))
    )
    op.create_index(op.f('ix_budgets_owner_id_category_id'), 'budgets', ['owner_id', 'category_id'], unique=False)
    op.create_table('expenses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('category_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.Text(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('payment_method', sa.Text(), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('tag_keys', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('receipt_url', sa.Text(), nullable=True),
    sa.Column('fingerprint', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_expenses_amount_positive')),
    sa.ForeignKeyConstraint(['owner_id', 'category_id'], ['categories.owner_id', 'categories.id'], name=op.f('fk_expenses_owner_id_categories')),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_expenses_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenses'))
    )
    op.create_index(op.f('ix_expenses_owner_id_amount_id'), 'expenses', ['owner_id', 'amount', 'id'], unique=False)
    op.create_index(op.f('ix_expenses_owner_id_category_id'), 'expenses', ['owner_id', 'category_id'], unique=False)
    op.create_index(op.f('ix_expenses_owner_id_fingerprint'), 'expenses', ['owner_id', 'fingerprint'], unique=False)
    op.create_index(op.f('ix_expenses_owner_id_spent_on_id'), 'expenses', ['owner_id', 'spent_on', 'id'], unique=False)
    op.create_index(op.f('ix_expenses_tag_keys'), 'expenses', ['tag_keys'], unique=False, postgresql_using='gin')


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_expenses_tag_keys'), table_name='expenses', postgresql_using='gin')
    op.drop_index(op.f('ix_expenses_owner_id_spent_on_id'), table_name='expenses')
    op.drop_index(op.f('ix_expenses_owner_id_fingerprint'), table_name='expenses')
    op.drop_index(op.f('ix_expenses_owner_id_category_id'), table_name='expenses')
    op.drop_index(op.f('ix_expenses_owner_id_amount_id'), table_name='expenses')
    op.drop_table('expenses')
    op.drop_index(op.f('ix_budgets_owner_id_category_id'), table_name='budgets')
    op.drop_table('budgets')
    op.drop_index('uq_categories_owner_id_name', table_name='categories')
    op.drop_table('categories')
