"""The delivery pages (a placeholder until they are built: see docs/web.md)."""

from fastapi import Request, Response

from entrypoints.web.page_route import page_router
from entrypoints.web.rendering import Session, render

router = page_router()


@router.get("/delivery")
async def delivery_home(request: Request, session: Session) -> Response:
    """The delivery start page."""
    return render(request, "coming_soon.html", module_name="Delivery")
