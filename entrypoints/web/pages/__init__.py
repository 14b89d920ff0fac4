"""One module per context, each with a `router` of its pages (page_route.page_router()); list it in ROUTERS."""

from fastapi import APIRouter

from entrypoints.web.pages import (
    api_keys, auth, calendar, calendar_events, delivery, fitness, fitness_plans, ledger, ledger_reports, ledger_setup,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router, calendar.router, calendar_events.router, ledger.router, ledger_setup.router, ledger_reports.router,
    api_keys.router, fitness.router, fitness_plans.router, delivery.router,
)
