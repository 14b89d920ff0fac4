"""One module per context, each with a `router` of its pages (page_route.page_router()); list it in ROUTERS."""

from fastapi import APIRouter

from entrypoints.web.pages import auth, delivery, fitness, fitness_plans

ROUTERS: tuple[APIRouter, ...] = (auth.router, fitness.router, fitness_plans.router, delivery.router)
