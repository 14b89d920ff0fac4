"""Entities, value objects and domain rules: pure Python, standard library only."""
