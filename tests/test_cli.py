"""The `atrium` command line."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_seed_demo_on_the_embedded_server_needs_no_secret_set(tmp_path):
    """A new user's `atrium seed-demo` (no database URL, no secrets): the embedded server's secrets are generated
    into the data folder, as `atrium serve` does, instead of being demanded once its URL is known."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ATRIUM_")}
    env["ATRIUM_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([str(Path(sys.executable).parent / "atrium"), "seed-demo"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "demo account demo@example.com" in done.stdout
    assert (tmp_path / "secret-key").exists() and (tmp_path / "jwt-secret").exists()
