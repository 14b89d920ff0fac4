"""fitness: profiles, weigh-ins, intake, workout and meal plans, cache, LLM usage

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:45:37.130559+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('fitness_llm_usage',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('usage_date', sa.Date(), nullable=False),
    sa.Column('plans', sa.Integer(), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('input_tokens', sa.Integer(), nullable=False),
    sa.Column('output_tokens', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_fitness_llm_usage_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'usage_date', name=op.f('pk_fitness_llm_usage'))
    )
    op.create_table('fitness_plan_cache',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('draft', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_fitness_plan_cache_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'key', name=op.f('pk_fitness_plan_cache'))
    )
    op.create_index(op.f('ix_fitness_plan_cache_expires_at'), 'fitness_plan_cache', ['expires_at'], unique=False)
    op.create_table('fitness_profiles',
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('sex', sa.Text(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('height_cm', sa.Double(), nullable=False),
    sa.Column('weight_kg', sa.Double(), nullable=False),
    sa.Column('activity_level', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('weekly_rate_kg', sa.Double(), nullable=False),
    sa.Column('experience', sa.Text(), nullable=False),
    sa.Column('equipment', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('training_days_per_week', sa.Integer(), nullable=False),
    sa.Column('session_minutes', sa.Integer(), nullable=False),
    sa.Column('diet', sa.Text(), nullable=False),
    sa.Column('excluded_foods', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('meals_per_day', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_fitness_profiles_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', name=op.f('pk_fitness_profiles'))
    )
    op.create_table('intake_logs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kcal', sa.Double(), nullable=False),
    sa.Column('protein_g', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_intake_logs_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_logs')),
    sa.UniqueConstraint('owner_id', 'day', name=op.f('uq_intake_logs_owner_id_day'))
    )
    op.create_table('meal_plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('draft', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('generator', sa.Text(), nullable=False),
    sa.Column('fallback_reason', sa.Text(), nullable=True),
    sa.Column('llm_requests', sa.Integer(), nullable=True),
    sa.Column('llm_input_tokens', sa.Integer(), nullable=True),
    sa.Column('llm_output_tokens', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_meal_plans_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meal_plans'))
    )
    op.create_index(op.f('ix_meal_plans_owner_id_id'), 'meal_plans', ['owner_id', 'id'], unique=False)
    op.create_table('weight_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('weight_kg', sa.Double(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_weight_entries_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weight_entries')),
    sa.UniqueConstraint('owner_id', 'day', name=op.f('uq_weight_entries_owner_id_day'))
    )
    op.create_table('workout_plans',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('auto_adapt', sa.Boolean(), nullable=False),
    sa.Column('generator', sa.Text(), nullable=False),
    sa.Column('fallback_reason', sa.Text(), nullable=True),
    sa.Column('llm_requests', sa.Integer(), nullable=True),
    sa.Column('llm_input_tokens', sa.Integer(), nullable=True),
    sa.Column('llm_output_tokens', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_workout_plans_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workout_plans')),
    sa.UniqueConstraint('owner_id', 'id', name=op.f('uq_workout_plans_owner_id_id'))
    )
    op.create_index(op.f('ix_workout_plans_id'), 'workout_plans', ['id'], unique=False, postgresql_where=sa.text('auto_adapt'))
    op.create_table('workout_plan_versions',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('draft', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'plan_id'], ['workout_plans.owner_id', 'workout_plans.id'], name=op.f('fk_workout_plan_versions_owner_id_workout_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_workout_plan_versions_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'version', name=op.f('pk_workout_plan_versions'))
    )
    op.create_table('workout_plan_weeks',
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('week', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'plan_id'], ['workout_plans.owner_id', 'workout_plans.id'], name=op.f('fk_workout_plan_weeks_owner_id_workout_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_workout_plan_weeks_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'week', name=op.f('pk_workout_plan_weeks'))
    )
    op.create_table('workout_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=False),
    sa.Column('plan_version', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('performed_on', sa.Date(), nullable=False),
    sa.Column('sets', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id', 'plan_id'], ['workout_plans.owner_id', 'workout_plans.id'], name=op.f('fk_workout_sessions_owner_id_workout_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_workout_sessions_owner_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workout_sessions'))
    )
    op.create_index(op.f('ix_workout_sessions_owner_id_id'), 'workout_sessions', ['owner_id', 'id'], unique=False)
    op.create_index(op.f('ix_workout_sessions_plan_id_performed_on_id'), 'workout_sessions', ['plan_id', 'performed_on', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_workout_sessions_plan_id_performed_on_id'), table_name='workout_sessions')
    op.drop_index(op.f('ix_workout_sessions_owner_id_id'), table_name='workout_sessions')
    op.drop_table('workout_sessions')
    op.drop_table('workout_plan_weeks')
    op.drop_table('workout_plan_versions')
    op.drop_index(op.f('ix_workout_plans_id'), table_name='workout_plans', postgresql_where=sa.text('auto_adapt'))
    op.drop_table('workout_plans')
    op.drop_table('weight_entries')
    op.drop_index(op.f('ix_meal_plans_owner_id_id'), table_name='meal_plans')
    op.drop_table('meal_plans')
    op.drop_table('intake_logs')
    op.drop_table('fitness_profiles')
    op.drop_index(op.f('ix_fitness_plan_cache_expires_at'), table_name='fitness_plan_cache')
    op.drop_table('fitness_plan_cache')
    op.drop_table('fitness_llm_usage')
