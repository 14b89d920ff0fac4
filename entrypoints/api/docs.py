"""`/docs` (Swagger UI) and `/redoc` (ReDoc) from the assets vendored in entrypoints/web/static/vendor/: they work
offline, load nothing from another host, and need no inline script (so a Content-Security-Policy can forbid it)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

# Redoc writes its styles into <style> elements at run time (styled-components): inline styles, never scripts
DOCS_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
               "form-action 'none'")
DOCS_HEADERS = {"Content-Security-Policy": DOCS_POLICY, "Referrer-Policy": "same-origin"}

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the published OpenAPI document, from the vendored bundle."""
    static, openapi = _urls(request)
    return _page(request, static, "Swagger UI",
                 Markup('<link rel="stylesheet" href="{}/vendor/swagger-ui/swagger-ui.css">').format(static),
                 Markup('<div id="swagger-ui" data-openapi-url="{}"></div>'
                        '<script src="{}/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
                        '<script src="{}/swagger-init.js"></script>').format(openapi, static, static))


@router.get("/redoc", response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the published OpenAPI document, from the vendored bundle (it starts itself from `<redoc>`)."""
    static, openapi = _urls(request)
    return _page(request, static, "ReDoc", Markup(""),
                 Markup('<redoc spec-url="{}"></redoc>'
                        '<script src="{}/vendor/redoc/redoc.standalone.js"></script>').format(openapi, static))


def _urls(request: Request) -> tuple[str, str]:
    """The static assets' base and the OpenAPI document's URL, under the app's root path."""
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{root}/static", f"{root}{request.app.openapi_url}"


def _page(request: Request, static: str, tool: str, head: Markup, body: Markup) -> HTMLResponse:
    title = escape(f"{request.app.title} API — {tool}")
    html = Markup('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title>'
                  '<meta name="viewport" content="width=device-width, initial-scale=1">'
                  '<link rel="icon" href="{}/favicon.svg" type="image/svg+xml">{}</head>'
                  "<body>{}</body></html>").format(title, static, head, body)
    return HTMLResponse(str(html), headers=DOCS_HEADERS)
