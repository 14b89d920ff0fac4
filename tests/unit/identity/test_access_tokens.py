"""Access tokens: remembering verified tokens never accepts what a fresh check would refuse."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.tokens import InvalidAccessToken, JwtTokenService

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def issued(tokens: JwtTokenService) -> str:
    return tokens.issue_access_token(account_id=uuid4(), session_id=uuid4(), now=NOW).token


def test_a_remembered_token_still_expires():
    tokens = JwtTokenService("s" * 40, ttl=timedelta(minutes=15))
    token = issued(tokens)
    assert tokens.verify_access_token(token, NOW + timedelta(minutes=14))
    with pytest.raises(InvalidAccessToken, match="expired"):
        tokens.verify_access_token(token, NOW + timedelta(minutes=15))


def test_a_tampered_token_is_refused_after_the_genuine_one_was_remembered():
    tokens = JwtTokenService("s" * 40, ttl=timedelta(minutes=15))
    token = issued(tokens)
    tokens.verify_access_token(token, NOW)
    header, payload, signature = token.split(".")
    with pytest.raises(InvalidAccessToken):
        tokens.verify_access_token(f"{header}.{payload}.{signature[:-2]}AA", NOW)
    with pytest.raises(InvalidAccessToken):
        JwtTokenService("t" * 40, ttl=timedelta(minutes=15)).verify_access_token(token, NOW)


def test_memory_stays_bounded_and_forgotten_tokens_verify_again():
    tokens = JwtTokenService("s" * 40, ttl=timedelta(minutes=15), remembered=3)
    many = [issued(tokens) for _ in range(5)]
    claims = [tokens.verify_access_token(token, NOW) for token in many]
    assert len(tokens._verified) == 3
    assert tokens.verify_access_token(many[0], NOW) == claims[0]
