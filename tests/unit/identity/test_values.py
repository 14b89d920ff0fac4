"""Properties of the identity value rules."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identity.values import check_password, normalize_email, normalize_username
from domain.shared.errors import InvalidValue

local = st.from_regex(r"[a-zA-Z0-9_+-]{1,20}(\.[a-zA-Z0-9_+-]{1,10})?", fullmatch=True)
domain = st.from_regex(r"[a-zA-Z0-9]{1,20}\.[a-zA-Z]{2,10}", fullmatch=True)


@given(local, domain)
def test_emails_normalize_to_one_case_insensitive_form(user, host):
    email = f"{user}@{host}"
    assert normalize_email(email) == normalize_email(email.upper()) == normalize_email(f"  {email} ")
    assert normalize_email(normalize_email(email)) == normalize_email(email)


@given(st.text(max_size=40).filter(lambda s: "@" not in s))
def test_strings_without_at_are_not_emails(value):
    with pytest.raises(InvalidValue) as error:
        normalize_email(value)
    assert error.value.field == "email"


@pytest.mark.parametrize("value", ["a@b", "@example.com", "ada@", "ada@@example.com", "ada@exa mple.com",
                                   "a" * 65 + "@example.com"])
def test_malformed_emails_are_rejected(value):
    with pytest.raises(InvalidValue):
        normalize_email(value)


@given(st.text(max_size=40))
def test_usernames_are_3_to_32_allowed_characters_case_folded(value):
    valid = re.fullmatch(r"[A-Za-z0-9_.-]{3,32}", value) is not None
    if valid:
        assert normalize_username(value) == value.lower()
    else:
        with pytest.raises(InvalidValue):
            normalize_username(value)


@given(st.text(max_size=200))
def test_passwords_are_8_to_128_characters(value):
    if 8 <= len(value) <= 128:
        assert check_password(value) == value
    else:
        with pytest.raises(InvalidValue):
            check_password(value)
