"""docker-compose.yml and the Dockerfile agree with what the application reads."""

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import AliasChoices

from adapters.object_store import S3Location
from entrypoints.cli import app as cli
from entrypoints.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _names(name: str, alias: object) -> set[str]:
    """The variables a setting is read from: ATRIUM_<NAME>, or its aliases (AWS_ACCESS_KEY_ID, GOOGLE_API_KEY)."""
    if alias is None:
        return {f"ATRIUM_{name.upper()}"}
    choices = alias.choices if isinstance(alias, AliasChoices) else [alias]
    return {choice for choice in choices if isinstance(choice, str) and choice.isupper()}


_READ = {name: _names(name, field.validation_alias) for name, field in Settings.model_fields.items()}
SETTINGS = {variable for names in _READ.values() for variable in names if variable.startswith("ATRIUM_")}
# Variables read under their own name (GOOGLE_API_KEY, as Google's tools name it).
OTHER_VARIABLES = {variable for names in _READ.values() if not names & SETTINGS for variable in names}
COMMANDS = {command.name or command.callback.__name__ for command in cli.registered_commands}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_postgres_migrate_and_api():
    services = compose()["services"]
    assert {"postgres", "migrate", "api"} <= set(services)
    assert services["migrate"]["command"][:3] == ["atrium", "migrate", "upgrade"]
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_commands_are_real_cli_commands():
    for name, service in compose()["services"].items():
        command = service.get("command")
        if command and command[0] == "atrium":
            assert command[1] in COMMANDS, name


def test_compose_sets_only_variables_the_app_reads():
    for name, service in compose()["services"].items():
        variables = {key for key in service.get("environment", {}) if key.startswith("ATRIUM_")}
        assert variables <= SETTINGS, (name, variables - SETTINGS)
    url = compose()["services"]["api"]["environment"]["ATRIUM_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@postgres:5432/" in url


def test_dockerfile_runs_a_real_cli_command():
    command = re.search(r"^CMD (.+)$", (ROOT / "Dockerfile").read_text(), re.M).group(1)
    argv = shlex.split(command.strip("[]").replace('", "', " ").replace('"', ""))
    assert argv[0] == "atrium" and argv[1] in COMMANDS


def test_env_example_lists_every_setting():
    text = (ROOT / ".env.example").read_text()
    assert set(re.findall(r"(ATRIUM_[A-Z0-9_]+)=", text)) == SETTINGS
    assert OTHER_VARIABLES <= set(re.findall(r"# ([A-Z][A-Z0-9_]+)=", text))


def test_readme_documents_every_setting():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "README.md").read_text()))
    assert SETTINGS | OTHER_VARIABLES <= documented


def test_images_live_in_the_compose_object_store_not_on_an_api_container():
    services = compose()["services"]
    for name in ("migrate", "api"):
        environment = services[name]["environment"]
        store = S3Location.parse(environment["ATRIUM_BLOB_STORE_URL"])
        assert urlsplit(store.endpoint).hostname in services, name  # a service of this file
        assert {"ATRIUM_S3_ACCESS_KEY_ID", "ATRIUM_S3_SECRET_ACCESS_KEY"} <= set(environment), name
    assert "objects" in services["migrate"]["depends_on"]  # the migration creates the bucket
    identities = compose()["configs"]["objects-identities"]["content"]
    assert "${ATRIUM_S3_SECRET_ACCESS_KEY" in identities and "${ATRIUM_S3_ACCESS_KEY_ID" in identities
