"""PostgreSQL calendar repositories (SQLAlchemy Core, keyset pages, explicit row mapping), one module per aggregate
as in application/calendar/."""
