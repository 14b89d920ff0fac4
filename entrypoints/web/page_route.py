"""The route class of every web page: the session is read first, every POST must carry the form token, a domain
error becomes a page (never problem+json), and every answer carries the page headers (CSP allowing only self)."""

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from domain.shared.errors import DomainError, TooManyRequests
from entrypoints.api.problems import status_of
from entrypoints.web.csrf import CsrfRefused, check_csrf, csrf_cookie_update
from entrypoints.web.messages import friendly, message_for
from entrypoints.web.rendering import redirect, render
from entrypoints.web.session import SignInRequired, current_session, session_cookie_update

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
PAGE_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Referrer-Policy": "same-origin",
                "X-Frame-Options": "DENY"}


class PageRoute(APIRoute):
    """An HTML page or form target (see the module docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                await current_session(request)
                if request.method == "POST":
                    await check_csrf(request)
                response = await handler(request)
            except SignInRequired:
                response = _to_sign_in(request)
            except CsrfRefused:
                response = render(request, "error.html", status=403,
                                  message=message_for("csrf_refused", "This form has expired."))
            except DomainError as error:
                response = render(request, "error.html", status=status_of(error), message=friendly(error))
                if isinstance(error, TooManyRequests):
                    response.headers["Retry-After"] = str(error.retry_after)
            except RequestValidationError:
                response = render(request, "error.html", status=400, message="This address is not valid.")
            session_cookie_update(request, response)
            csrf_cookie_update(request, response)
            response.headers.update(PAGE_HEADERS)
            return response

        return page


def _to_sign_in(request: Request) -> Response:
    """To the sign-in form, coming back here afterwards (a GET page; a form goes back to its page's start)."""
    target = request.url.path if request.method == "GET" else "/"
    if request.url.query and request.method == "GET":
        target += "?" + request.url.query
    return redirect("/" if target == "/" else f"/?next={quote(target, safe='')}")


def page_router() -> APIRouter:
    """A router for one context's pages: PageRoute, and left out of the API's OpenAPI document."""
    return APIRouter(route_class=PageRoute, include_in_schema=False)
