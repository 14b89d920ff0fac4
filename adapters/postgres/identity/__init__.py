"""PostgreSQL repositories of the identity context."""
