"""What a page module needs: `render` a template, `redirect` after a form, read a form, reach the container."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from domain.shared.errors import DomainError, TooManyRequests
from entrypoints.api.problems import status_of
from entrypoints.container import Container
from entrypoints.web.csrf import CSRF_FIELD, csrf_token
from entrypoints.web.messages import field_errors
from entrypoints.web.session import WebSession, require_session

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
NAVIGATION = (("Home", "/"), ("Calendar", "/calendar"), ("Ledger", "/ledger"), ("Fitness", "/fitness"),
              ("Delivery", "/delivery"), ("API keys", "/api-keys"))

Session = Annotated[WebSession, Depends(require_session)]  # a page parameter: the signed-in browser, else sign in


def container(request: Request) -> Container:
    """The container of the app serving the request: `container(request).ledger.list_expenses()`."""
    built: Container = request.app.state.container
    return built


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
    """The page `template` with `context`, plus what every page shows: the navigation, the signed-in state and the
    form token (`{{ csrf_input() }}`)."""
    session = request.state._state.get("web_session")
    return TEMPLATES.TemplateResponse(request, template, {
        "signed_in": session is not None, "navigation": NAVIGATION, "path": request.url.path,
        "csrf": csrf_token(request), "csrf_field": CSRF_FIELD, "errors": {}, "form_error": None, **context,
    }, status_code=status)


def form_failed(request: Request, template: str, error: DomainError, *, prefix: str = "", **context: Any) -> Response:
    """The form page again, with `error` beside its field (or atop the form), under the API's status for it;
    `prefix` names the errors for a page with two forms (`sign_in_errors`, `sign_in_error`)."""
    errors, message = field_errors(error)
    response = render(request, template, status=status_of(error),
                      **{f"{prefix}errors": errors, f"{prefix}form_error": message}, **context)
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def redirect(url: str) -> Response:
    """See other: where a form sends the browser after it has done its work (so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


async def form_values(request: Request) -> dict[str, str]:
    """The posted form's text fields (trimmed; the CSRF token left out); files are read with `request.form()`."""
    form = await request.form()
    return {name: value.strip() for name, value in form.items() if isinstance(value, str) and name != CSRF_FIELD}


def in_zone(instant: datetime | None, zone: str, pattern: str = "%a %d %b %Y %H:%M") -> str:
    """`instant` as a person in `zone` reads it."""
    return "" if instant is None else instant.astimezone(ZoneInfo(zone)).strftime(pattern)


async def account_today(request: Request, owner_id: object) -> date:
    """Today in the owner's time zone, by the container's clock."""
    built = container(request)
    account = await built.identity.get_account()(owner_id)
    today: date = built.infrastructure.clock().now().astimezone(ZoneInfo(account.time_zone)).date()
    return today


def money(amount: Decimal | Any, currency: str = "") -> str:
    """An amount with two decimals and thousands separators, then its currency."""
    value = getattr(amount, "amount", amount)
    currency = currency or getattr(amount, "currency", "")
    return f"{Decimal(value):,.2f} {currency}".strip()


TEMPLATES.env.auto_reload = False  # templates change with the code, not while it runs: no stat() per render
TEMPLATES.env.filters["money"] = money
TEMPLATES.env.filters["in_zone"] = in_zone
