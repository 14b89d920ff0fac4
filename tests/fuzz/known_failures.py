"""Fuzz failures in routes the reliability suite does not own, by operation, each with a reproducer.

KNOWN_FAILURES: the in-suite fuzz test of each operation reports its failures as a KnownFailure warning, and
errors once the route is fixed: then delete the entry. FOUND_BY_MAKE_FUZZ: failures only the longer `make fuzz` run reaches, each with a
strict-xfail reproducer in tests/reliability/test_fuzz_regressions.py. `make fuzz` leaves both out, so that it
reports only new failures.
"""

KNOWN_FAILURES: dict[str, str] = {}

FOUND_BY_MAKE_FUZZ: dict[str, str] = {}
