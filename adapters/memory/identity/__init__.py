"""In-memory repositories of the identity context."""
