"""Access tokens as HS256 JWTs; refresh secrets as random URL-safe strings."""

import secrets
from datetime import datetime, timedelta
from typing import final
from uuid import UUID, uuid4

import jwt

from application.identity.ports import AccessClaims, AccessToken, TokenService
from domain.shared.errors import AuthenticationFailed


class InvalidAccessToken(AuthenticationFailed):
    code = "invalid_token"

    def __init__(self, detail: str = "the access token is invalid or expired") -> None:
        super().__init__(detail)


@final
class JwtTokenService(TokenService):
    """Signs and checks access tokens; expiry is checked against the Clock port's `now`.

    A client sends the same token on every request until it expires, so the claims of up to `remembered`
    tokens whose signature checked out are kept: a repeat costs a dict lookup and the expiry check instead of
    a signature check (PyJWT's decode is about a sixth of a one-row GET; docs/performance.md).
    """

    def __init__(self, secret: str, *, ttl: timedelta, audience: str = "atrium", remembered: int = 10_000) -> None:
        self._secret = secret
        self._ttl = ttl
        self._audience = audience
        self._remembered = remembered
        self._verified: dict[str, tuple[AccessClaims, int]] = {}

    def issue_access_token(self, *, account_id: UUID, session_id: UUID, now: datetime) -> AccessToken:
        issued = int(now.timestamp())
        expires = issued + int(self._ttl.total_seconds())
        claims = {"sub": str(account_id), "sid": str(session_id), "aud": self._audience,
                  "iat": issued, "exp": expires, "jti": uuid4().hex}
        return AccessToken(jwt.encode(claims, self._secret, algorithm="HS256"), expires - issued)

    def verify_access_token(self, token: str, now: datetime) -> AccessClaims:
        verified = self._verified.get(token)
        if verified is None:
            verified = self._verify_signature(token)
            if len(self._verified) >= self._remembered:
                del self._verified[next(iter(self._verified))]  # the oldest
            self._verified[token] = verified
        claims, expires = verified
        if now.timestamp() >= expires:
            raise InvalidAccessToken("the access token has expired")
        return claims

    def _verify_signature(self, token: str) -> tuple[AccessClaims, int]:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=["HS256"], audience=self._audience,
                options={"verify_exp": False, "verify_iat": False,
                         "require": ["sub", "sid", "exp", "iat", "aud", "jti"]},
            )
            expires, account_id, session_id = int(claims["exp"]), UUID(claims["sub"]), UUID(claims["sid"])
        except (jwt.PyJWTError, ValueError, TypeError):
            raise InvalidAccessToken() from None
        return AccessClaims(account_id=account_id, session_id=session_id), expires

    def new_refresh_secret(self) -> str:
        return secrets.token_urlsafe(32)
