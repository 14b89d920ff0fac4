"""Use cases and ports of the calendar context."""
