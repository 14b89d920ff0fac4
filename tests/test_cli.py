"""The `atrium` command line."""

from typer.testing import CliRunner

from entrypoints.cli import app


def test_create_account_refuses_a_duplicate(monkeypatch, postgres_url, clean_postgres):
    monkeypatch.setenv("ATRIUM_DATABASE_URL", postgres_url)
    monkeypatch.setenv("ATRIUM_JWT_SECRET", "cli-test-secret-" + "x" * 32)
    runner = CliRunner()
    args = ["create-account", "--email", "cli@example.com", "--username", "cli_user", "--password", "correct horse"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "created account" in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "already exists" in again.output


def test_migrate_rejects_unknown_actions(monkeypatch, postgres_url):
    monkeypatch.setenv("ATRIUM_DATABASE_URL", postgres_url)
    result = CliRunner().invoke(app, ["migrate", "sideways"])
    assert result.exit_code != 0 and "unknown action" in result.output


def test_migrate_creates_the_object_stores_bucket_once(monkeypatch, postgres_url, local_s3):
    bucket = "made-by-migrate"
    monkeypatch.setenv("ATRIUM_DATABASE_URL", postgres_url)
    monkeypatch.setenv("ATRIUM_BLOB_STORE_URL", local_s3.url("images", bucket=bucket))
    monkeypatch.setenv("ATRIUM_S3_ACCESS_KEY_ID", local_s3.access_key_id)
    monkeypatch.setenv("ATRIUM_S3_SECRET_ACCESS_KEY", local_s3.secret_access_key)
    first = CliRunner().invoke(app, ["migrate", "upgrade"])
    assert first.exit_code == 0 and f"Created the object store's bucket {bucket}" in first.output, first.output
    local_s3.client().head_bucket(Bucket=bucket)
    again = CliRunner().invoke(app, ["migrate", "upgrade"])
    assert again.exit_code == 0 and f"Using the object store's bucket {bucket}" in again.output, again.output
    monkeypatch.setenv("ATRIUM_S3_SECRET_ACCESS_KEY", "not-the-secret")
    refused = CliRunner().invoke(app, ["migrate", "upgrade"])
    assert refused.exit_code == 1 and "HTTP 403" in refused.output and "not-the-secret" not in refused.output
