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
