"""Fitness: profiles, energy targets, generated and adapted workout and meal plans (pure rules)."""
