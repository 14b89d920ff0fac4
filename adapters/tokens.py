"""Access tokens as HS256 JWTs; refresh secrets as random URL-safe strings."""

import secrets
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import jwt

from application.identity.ports import AccessClaims, AccessToken
from domain.shared.errors import AuthenticationFailed


class InvalidAccessToken(AuthenticationFailed):
    code = "invalid_token"

    def __init__(self, detail: str = "the access token is invalid or expired") -> None:
        super().__init__(detail)


class JwtTokenService:
    """Signs and checks access tokens; expiry is checked against the Clock port's `now`."""

    def __init__(self, secret: str, *, ttl: timedelta, audience: str = "atrium") -> None:
        self._secret = secret
        self._ttl = ttl
        self._audience = audience

    def issue_access_token(self, *, account_id: UUID, session_id: UUID, now: datetime) -> AccessToken:
        issued = int(now.timestamp())
        expires = issued + int(self._ttl.total_seconds())
        claims = {"sub": str(account_id), "sid": str(session_id), "aud": self._audience,
                  "iat": issued, "exp": expires, "jti": uuid4().hex}
        return AccessToken(jwt.encode(claims, self._secret, algorithm="HS256"), expires - issued)

    def verify_access_token(self, token: str, now: datetime) -> AccessClaims:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=["HS256"], audience=self._audience,
                options={"verify_exp": False, "verify_iat": False,
                         "require": ["sub", "sid", "exp", "iat", "aud", "jti"]},
            )
            expires, account_id, session_id = int(claims["exp"]), UUID(claims["sub"]), UUID(claims["sid"])
        except (jwt.PyJWTError, ValueError, TypeError):
            raise InvalidAccessToken() from None
        if now.timestamp() >= expires:
            raise InvalidAccessToken("the access token has expired")
        return AccessClaims(account_id=account_id, session_id=session_id)

    def new_refresh_secret(self) -> str:
        return secrets.token_urlsafe(32)
