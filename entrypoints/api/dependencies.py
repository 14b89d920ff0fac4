"""FastAPI dependencies: use cases from the app's container, and the authenticated caller."""

from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Annotated, Any
from uuid import UUID

from dependency_injector import providers
from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordBearer

from application.identity.ports import AccessClaims, ApiKeyCaller
from domain.identity.api_key import KEY_PREFIX, ApiKeyInvalid
from domain.shared.errors import AuthenticationFailed
from entrypoints.container import Container

# Where each context's provider sits in a container: id(Ledger.list_expenses) -> ("ledger", "list_expenses").
_PATHS = {id(provider): (context, name)
          for context, holder in Container.cls_providers.items() if isinstance(holder, providers.Container)
          for name, provider in holder.container.declarative_parent.cls_providers.items()}


def use(provider: providers.Provider[Any]) -> Any:
    """A dependency that builds `provider` (a context's, as `use(Ledger.list_expenses)`) from the container of the
    app serving the request."""
    context, name = _PATHS[id(provider)]

    async def dependency(request: Request) -> Any:
        return getattr(getattr(request.app.state.container, context), name)()

    return Depends(dependency)


_LOGIN_URL = "/api/v1/auth/login"
bearer = OAuth2PasswordBearer(tokenUrl=_LOGIN_URL, auto_error=False)


async def _claims(request: Request, token: str | None) -> AccessClaims:
    if not token:
        raise AuthenticationFailed("an access token is required: Authorization: Bearer <token>",
                                   code="missing_token")
    claims: AccessClaims = await request.app.state.container.identity.authenticate()(token)
    request.state.account_id = str(claims.account_id)
    return claims


class _AccessTokenCaller(OAuth2PasswordBearer):
    """The bearer scheme (documented in OpenAPI) that also checks the token: one dependency, not two."""

    async def __call__(self, request: Request) -> AccessClaims:  # type: ignore[override]  # the claims, not the token
        """The claims of a valid access token in `Authorization: Bearer …` whose session has not ended as far as
        this process knows (within seconds), else 401."""
        return await _claims(request, await super().__call__(request))


current_caller = _AccessTokenCaller(tokenUrl=_LOGIN_URL, auto_error=False, scheme_name="OAuth2PasswordBearer")


async def current_live_session(request: Request, caller: AccessClaims = Depends(current_caller)) -> AccessClaims:
    """`current_caller`, with its session checked in the database (one statement), for sensitive operations: a
    session ended a moment ago in any process is refused here (401 session_ended) before this process learns."""
    await request.app.state.container.identity.require_live_session()(caller)
    return caller


Caller = Annotated[AccessClaims, Depends(current_caller)]
LiveSession = Annotated[AccessClaims, Depends(current_live_session)]  # sensitive: the session checked in the database


api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key: atr_live_…")
api_key_bearer = HTTPBearer(auto_error=False, scheme_name="ApiKeyBearer",
                            description="An API key as a bearer token: Authorization: Bearer atr_live_…")


async def _api_key_caller(request: Request, secret: str | None) -> ApiKeyCaller:
    if not secret:
        raise ApiKeyInvalid()
    caller: ApiKeyCaller = await request.app.state.container.identity.authenticate_api_key()(secret)
    request.state.account_id = str(caller.owner_id)
    return caller


async def api_key_caller(
    request: Request, header: str | None = Depends(api_key_header),
    credentials: HTTPAuthorizationCredentials | None = Depends(api_key_bearer),
) -> ApiKeyCaller:
    """The owner of a valid API key in `X-API-Key` or `Authorization: Bearer atr_live_…`: 401 key_invalid,
    key_revoked or key_expired otherwise, 429 when the key is over its request rate."""
    return await _api_key_caller(request, header or (credentials.credentials if credentials else None))


async def api_key_or_user(
    request: Request, header: str | None = Depends(api_key_header), token: str | None = Depends(bearer),
) -> UUID:
    """The owner the caller acts for: an API key's owner, else the account of a user access token."""
    if header or (token and token.startswith(KEY_PREFIX)):
        return (await _api_key_caller(request, header or token)).owner_id
    return (await _claims(request, token)).account_id


def client_ip(request: Request) -> str:
    """The socket's peer address; when the peer is a trusted proxy, the nearest untrusted X-Forwarded-For hop."""
    trusted = request.app.state.container.infrastructure.trusted_proxies()
    peer = request.client.host if request.client else ""
    if not _is_trusted(peer, trusted):
        return peer
    client = peer
    hops = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    for hop in reversed([hop.strip() for hop in hops if hop.strip()]):
        if not _is_ip(hop):
            break
        client = hop
        if not _is_trusted(hop, trusted):
            break
    return client


def _is_ip(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    return _is_ip(address) and any(ip_address(address) in network for network in networks)
