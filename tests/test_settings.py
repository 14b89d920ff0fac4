"""Settings that decide where shared state lives: the object store and its credentials."""

import pytest
from pydantic import ValidationError

from entrypoints.settings import Settings

STORE = "s3://atrium/images?endpoint=http://127.0.0.1:9000&region=eu-west-1"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch):
    for name in ("ATRIUM_S3_ACCESS_KEY_ID", "ATRIUM_S3_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "ATRIUM_BLOB_STORE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_an_object_store_takes_atriums_credentials_before_the_standard_aws_ones(monkeypatch):
    monkeypatch.setenv("ATRIUM_BLOB_STORE_URL", STORE)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "aws-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    standard = Settings(_env_file=None)
    assert (standard.s3_access_key_id, standard.s3_secret_access_key.get_secret_value()) == ("aws-id", "aws-secret")
    monkeypatch.setenv("ATRIUM_S3_ACCESS_KEY_ID", "atrium-id")
    monkeypatch.setenv("ATRIUM_S3_SECRET_ACCESS_KEY", "atrium-secret")
    own = Settings(_env_file=None)
    assert (own.s3_access_key_id, own.s3_secret_access_key.get_secret_value()) == ("atrium-id", "atrium-secret")
    assert "atrium-secret" not in repr(own)


def test_an_object_store_without_credentials_refuses_to_start(monkeypatch):
    monkeypatch.setenv("ATRIUM_BLOB_STORE_URL", STORE)
    with pytest.raises(ValidationError, match="needs ATRIUM_S3_ACCESS_KEY_ID"):
        Settings(_env_file=None)


@pytest.mark.parametrize("url", ["https://bucket.s3.amazonaws.com", "s3://bucket?endpoint=ftp://host", "/tmp/blobs"])
def test_a_store_url_that_is_not_an_s3_url_refuses_to_start(url):
    with pytest.raises(ValidationError, match="ATRIUM_BLOB_STORE_URL"):
        Settings(_env_file=None, blob_store_url=url, s3_access_key_id="a", s3_secret_access_key="b")
