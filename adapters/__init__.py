"""Implementations of the application ports: memory, postgres, http, clock, crypto."""
