"""Cross-origin access to the JSON API (`/api/…`) for the origins ATRIUM_CORS_ORIGINS lists, through Starlette's
CORSMiddleware; pages, health and metrics stay same-origin."""

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from entrypoints.settings import Settings, cors_origins

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-API-Key", "X-Request-ID")
EXPOSED_HEADERS = ("X-Request-ID", "Retry-After", "Location", "Idempotent-Replayed", "Content-Disposition")
PREFLIGHT_CACHE_SECONDS = 600


class ApiCors:
    """Answers preflights and adds the CORS headers for requests under `/api/`; every other path goes straight on."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        origins = cors_origins(settings.cors_origins)
        self.cors = CORSMiddleware(
            app, allow_origins=origins, allow_methods=ALLOWED_METHODS, allow_headers=ALLOWED_HEADERS,
            allow_credentials=settings.cors_allow_credentials, expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_CACHE_SECONDS) if origins else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cors is not None and scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
