"""PostgreSQL repositories of the delivery context, one module per aggregate, and the per-source sync lock."""
