"""Fuzz failures in routes the reliability suite does not own, by operation, each with a reproducer.

KNOWN_FAILURES: the in-suite fuzz test of each operation is a strict xfail, so it fails (XPASS) once the route is
fixed: then delete the entry. FOUND_BY_MAKE_FUZZ: failures only the longer `make fuzz` run reaches, each with a
strict-xfail reproducer in tests/reliability/test_fuzz_regressions.py. `make fuzz` leaves both out, so that it
reports only new failures.
"""

KNOWN_FAILURES: dict[str, str] = {
    "GET /api/v1/usage": "api_access.py: `GET /api/v1/usage?to=0` answers 200 (a number is read as a unix time)",
    "POST /api/v1/images/generations": (
        "imaging.py: `GET /api/v1/images/generations` answers 422 (matched as /images/{image_id}) instead of 405; "
        "`\"seed\": false` is accepted as 0"),
    "POST /api/v1/api-keys/{api_key_id}/roll": "api_access.py: `{\"grace_seconds\": false}` is accepted as 0",
    "PATCH /api/v1/categories/{category_id}": "ledger.py: a JSON body `0` is accepted (200) as an empty patch",
    "PATCH /api/v1/expenses/{expense_id}": "ledger.py: a JSON body `0` is accepted (200) as an empty patch",
    "PATCH /api/v1/budgets/{budget_id}": "ledger.py: a JSON body `0` is accepted (200) as an empty patch",
    "PATCH /api/v1/events/{event_id}": "calendar.py: `\"all_day\": 0` is accepted as false",
    "POST /api/v1/events/{event_id}/reminders": "calendar.py: `{\"minutes_before\": false}` is accepted as 0",
}

FOUND_BY_MAKE_FUZZ: dict[str, str] = {
    "GET /api/v1/events": "scheduling.py: a recurring event lasting centuries, then `?from=0716-05-04T02:22:39Z`: 500",
}
