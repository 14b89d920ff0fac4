"""Settings that decide where shared state lives: the object store and its credentials, the token key."""

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from entrypoints.api.app import create_app
from entrypoints.cli import app as cli
from entrypoints.container import build_container
from entrypoints.settings import MissingSecret, Settings

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


def test_a_generated_jwt_secret_is_kept_in_the_data_directory_of_a_single_machine(tmp_path):
    alone = Settings(_env_file=None, data_dir=tmp_path, jwt_secret=None, database_url=None)
    assert alone.resolved_jwt_secret() == alone.resolved_jwt_secret() == (tmp_path / "jwt-secret").read_text()


@pytest.mark.parametrize(("setting", "file"), [("ATRIUM_JWT_SECRET", "jwt-secret"), ("ATRIUM_SECRET_KEY", "secret-key")])
def test_a_shared_database_needs_configured_secrets(tmp_path, monkeypatch, setting, file):
    """Replicas on one database with their own data directories would each generate a key of their own, and refuse
    each other's tokens (or sealed delivery tokens): with ATRIUM_DATABASE_URL each secret must be configured, and
    the API does not start without it."""
    given = {"jwt_secret": "j" * 48, "secret_key": "s" * 48}
    del given[setting.removeprefix("ATRIUM_").lower()]
    for name in ("ATRIUM_JWT_SECRET", "ATRIUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    shared = Settings(_env_file=None, data_dir=tmp_path, database_url="postgresql://atrium@db.example/atrium",
                      **{"jwt_secret": None, "secret_key": None, **given})
    resolve = shared.resolved_jwt_secret if file == "jwt-secret" else shared.resolved_secret_key
    with pytest.raises(MissingSecret, match=f"{setting} must be set when ATRIUM_DATABASE_URL is"):
        resolve()
    with pytest.raises(MissingSecret):
        create_app(build_container(shared))
    assert not (tmp_path / file).exists()
    monkeypatch.setenv("ATRIUM_DATABASE_URL", "postgresql://atrium@db.example/atrium")
    monkeypatch.setenv("ATRIUM_DATA_DIR", str(tmp_path))
    for name, value in given.items():
        monkeypatch.setenv(f"ATRIUM_{name.upper()}", value)
    refused = CliRunner().invoke(cli, ["serve"])
    assert refused.exit_code == 2 and not (tmp_path / file).exists()
