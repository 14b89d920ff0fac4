"""FastAPI dependencies: use cases from the app's container, and the authenticated caller."""

from typing import Any

from dependency_injector import providers
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from application.identity.ports import AccessClaims
from domain.shared.errors import AuthenticationFailed
from entrypoints.container import Container

_NAMES = {id(provider): name for name, provider in Container.cls_providers.items()}


def use(provider: providers.Provider) -> Any:
    """A dependency that builds `provider` from the container of the app serving the request."""
    name = _NAMES[id(provider)]

    async def dependency(request: Request) -> Any:
        return getattr(request.app.state.container, name)()

    return Depends(dependency)


bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)


async def current_caller(request: Request, token: str | None = Depends(bearer)) -> AccessClaims:
    """The claims of a valid access token in `Authorization: Bearer …`, else 401."""
    if not token:
        raise AuthenticationFailed("an access token is required: Authorization: Bearer <token>",
                                   code="missing_token")
    claims = request.app.state.container.authenticate()(token)
    request.state.account_id = str(claims.account_id)
    return claims
