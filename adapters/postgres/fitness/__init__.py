"""PostgreSQL repositories of the fitness context, one module per aggregate, and the JSON form of drafts."""
