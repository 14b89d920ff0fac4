"""Composition root: the container, the HTTP API and the CLI."""
