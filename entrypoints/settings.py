"""Configuration from ATRIUM_* environment variables and `.env`."""

import os
import secrets
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.object_store import S3Location
from application.identity.api_keys import DEFAULT_DAILY_QUOTA
from application.identity.rate_limits import (
    FAILED_LOGINS_PER_ADDRESS, FAILED_LOGINS_PER_DAY, FAILED_LOGINS_PER_HOUR, LOGINS_PER_IP, REGISTRATIONS_PER_IP,
)
from domain.delivery.source import parse_git_roots
from domain.identity.api_key import QUOTA_MAX, QUOTA_MIN


class MissingSecret(ValueError):
    """A secret every replica must share is not configured."""


def revealed(secret: SecretStr | None) -> str:
    """The secret's text, "" when unset (for the adapter that needs it; never log it)."""
    return "" if secret is None else secret.get_secret_value()


def trusted_networks(value: str) -> list[IPv4Network | IPv6Network]:
    """Parse `10.0.0.1, 10.1.0.0/16` (ValueError on a bad entry)."""
    return [ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]


def cors_origins(value: str) -> list[str]:
    """Parse `https://app.example.com, http://localhost:5173` into origins as browsers send them (lower case, no
    default port), or ["*"]; ValueError on an entry that is not a bare origin."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if parts == ["*"]:
        return parts
    origins = []
    for part in parts:
        url = urlsplit(part.rstrip("/"))
        try:
            port = url.port
        except ValueError:
            port = -1
        if url.scheme not in ("http", "https") or not url.hostname or url.path or url.query or url.fragment \
                or url.username or url.password or port == -1:
            raise ValueError(f"ATRIUM_CORS_ORIGINS: {part!r} is not an origin like https://app.example.com "
                             "(scheme, host and optional port; no path; * alone allows any origin)")
        default = {"http": 80, "https": 443}[url.scheme]
        host = f"[{url.hostname}]" if ":" in url.hostname else url.hostname
        origins.append(f"{url.scheme}://{host}" + (f":{port}" if port not in (None, default) else ""))
    return origins


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATRIUM_", env_file=".env", extra="ignore", populate_by_name=True)

    storage: Literal["postgres", "memory"] = "postgres"
    database_url: str | None = Field(None, description="postgresql://user:pass@host:port/db; unset = embedded server")
    migration_database_url: str | None = Field(
        None, description="the schema owner's URL, for migrations; unset = ATRIUM_DATABASE_URL")
    app_role: str = Field("atrium_app", pattern=r"^[a-z_][a-z0-9_]{0,62}$",
                          description="the role the API and the worker connect as; `atrium migrate` creates it")
    data_dir: Path = Path(".data")
    jwt_secret: SecretStr | None = None
    access_token_ttl_seconds: int = Field(900, ge=60)
    refresh_token_ttl_days: int = Field(30, ge=1)
    db_pool_size: int = Field(20, ge=1)
    db_max_overflow: int = Field(0, ge=0)
    db_connect_timeout_seconds: float = Field(3.0, gt=0)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "text"] | None = Field(None, description="unset: text on a terminal, else JSON")
    access_log: bool = Field(True, description="one log line per request (atrium.access, at info)")
    metrics_enabled: bool = False
    max_json_bytes: int = Field(1_048_576, ge=1024)
    max_upload_bytes: int = Field(10_485_760, ge=1024)
    # --- identity (API keys, login limits) and imaging ---
    api_key_default_daily_quota: int = Field(DEFAULT_DAILY_QUOTA, ge=QUOTA_MIN, le=QUOTA_MAX)
    api_key_rate_per_second: int = Field(10, ge=1)
    api_key_rate_burst: int = Field(20, ge=1)
    login_attempts_per_ip: int = Field(LOGINS_PER_IP.count, ge=1, description="per 5 minutes")
    login_failures_per_address: int = Field(FAILED_LOGINS_PER_ADDRESS.count, ge=1,
                                            description="per email or username and client address, per 15 minutes")
    login_failures_per_hour: int = Field(FAILED_LOGINS_PER_HOUR.count, ge=1,
                                         description="per email or username from all addresses")
    login_failures_per_day: int = Field(FAILED_LOGINS_PER_DAY.count, ge=1,
                                        description="per email or username from all addresses")
    registrations_per_ip: int = Field(REGISTRATIONS_PER_IP.count, ge=1, description="per 5 minutes")
    trusted_proxies: str = Field("", description="comma-separated IPs/CIDRs whose X-Forwarded-For is believed")
    cors_origins: str = Field("", description="comma-separated exact origins (https://app.example.com) whose "
                              "browser pages may call the JSON API, or * for any; empty: none")
    cors_allow_credentials: bool = Field(False, description="let those origins send cookies (never with *)")
    image_provider: Literal["offline", "openai"] = "offline"
    openai_base_url: str = "https://api.openai.com/v1"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-image-1"
    openai_image_size: str | None = Field(None, pattern=r"^\d+x\d+$", description="fixed size to ask for")
    image_timeout_seconds: float = Field(60.0, gt=0)
    blob_store_url: str | None = Field(None, description="s3://bucket/prefix?endpoint=…&region=…; unset: files in "
                                       "data_dir/blobs (memory storage: in memory)")
    s3_access_key_id: str | None = Field(None, validation_alias=AliasChoices(
        "ATRIUM_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID", "s3_access_key_id"))
    s3_secret_access_key: SecretStr | None = Field(None, validation_alias=AliasChoices(
        "ATRIUM_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "s3_secret_access_key"))
    blob_store_timeout_seconds: float = Field(10.0, gt=0)
    # --- calendar ---
    public_url: str | None = Field(None, description="the URL clients reach the API at, for feed URLs; "
                                   "unset: the address the server listens on")
    worker_interval_seconds: float = Field(15.0, gt=0, description="how often `atrium worker` dispatches reminders")
    dispatch_in_api: bool = Field(True, description="the API process dispatches due reminders too")
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_allow_private_networks: bool = Field(False, description="let webhooks reach private/loopback addresses")
    smtp_host: str | None = Field(None, description="unset: no email reminders")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = "Atrium <reminders@localhost>"
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    # --- fitness ---
    fitness_generator: Literal["rules", "llm"] = Field("rules", description="who writes plans: rules or an LLM")
    fitness_model: str = Field("google:gemini-2.5-flash", description="the pydantic-ai model the llm generator asks")
    google_api_key: SecretStr | None = Field(None, validation_alias="GOOGLE_API_KEY")
    fitness_llm_daily_plans: int = Field(20, ge=0, description="LLM plans per account per UTC day; then rules")
    fitness_llm_timeout_seconds: float = Field(60.0, gt=0, description="how long one LLM plan may take")

    # --- delivery ---
    secret_key: SecretStr | None = Field(None, description="encrypts delivery source tokens; unset: generated once "
                                         "into data_dir/secret-key")
    github_token: SecretStr | None = Field(None, description="the token of GitHub sources that have none")
    linear_api_key: SecretStr | None = Field(None, description="the API key of Linear sources that have none")
    github_api_url: str = "https://api.github.com"
    linear_api_url: str = "https://api.linear.app/graphql"
    delivery_git_roots: str | None = Field(None, description="colon-separated folders git sources may read; "
                                           "unset: data_dir/repos")
    delivery_sync_interval_minutes: float = Field(60.0, gt=0, description="how often each source is synced")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        trusted_networks(value)
        return value

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: str) -> str:
        return ",".join(cors_origins(value))

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("ATRIUM_PUBLIC_URL must be an http(s) URL like https://cal.example.com")
        return value.rstrip("/")

    @field_validator("blob_store_url")
    @classmethod
    def _blob_store_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            S3Location.parse(value)
        except ValueError as error:
            raise ValueError(f"ATRIUM_BLOB_STORE_URL {error}") from None
        return value

    @model_validator(mode="after")
    def _object_store_needs_credentials(self) -> "Settings":
        if self.blob_store_url and not (self.s3_access_key_id and self.s3_secret_access_key):
            raise ValueError("ATRIUM_BLOB_STORE_URL needs ATRIUM_S3_ACCESS_KEY_ID and ATRIUM_S3_SECRET_ACCESS_KEY "
                             "(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
        return self

    @model_validator(mode="after")
    def _no_credentials_with_any_origin(self) -> "Settings":
        if self.cors_allow_credentials and self.cors_origins == "*":
            raise ValueError("ATRIUM_CORS_ALLOW_CREDENTIALS=true cannot go with ATRIUM_CORS_ORIGINS=*: every site on "
                             "the web could then act with a visitor's cookies; list the exact origins instead")
        return self

    @model_validator(mode="after")
    def _openai_needs_a_key(self) -> "Settings":
        if self.image_provider == "openai" and self.openai_api_key is None:
            raise ValueError("ATRIUM_IMAGE_PROVIDER=openai needs ATRIUM_OPENAI_API_KEY")
        return self

    @model_validator(mode="after")
    def _llm_needs_a_key(self) -> "Settings":
        if self.fitness_generator == "llm" and self.fitness_model.startswith("google") and self.google_api_key is None:
            raise ValueError("ATRIUM_FITNESS_GENERATOR=llm with a Google model needs GOOGLE_API_KEY")
        return self

    def owner_database_url(self) -> str:
        """The URL migrations run on: ATRIUM_MIGRATION_DATABASE_URL, else ATRIUM_DATABASE_URL (one must be set)."""
        url = self.migration_database_url or self.database_url
        assert url, "a database URL is set (the CLI's database() sets the embedded server's)"
        return url

    def resolved_jwt_secret(self) -> str:
        """The configured secret, else one generated once and kept in `data_dir/jwt-secret`: only with the embedded
        server or memory storage, whose data lives on this machine too. On a database of its own (ATRIUM_DATABASE_URL)
        every replica must sign alike, so the secret must be given (MissingSecret otherwise)."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        self._refuse_generating("ATRIUM_JWT_SECRET", "sign access tokens with the same key")
        return self._generated("jwt-secret")

    def resolved_secret_key(self) -> str:
        """The key delivery tokens are sealed with: ATRIUM_SECRET_KEY, else one generated once into
        `data_dir/secret-key` (losing it makes every stored token unreadable: they must be set again); required on
        a database of its own, like the JWT secret."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        self._refuse_generating("ATRIUM_SECRET_KEY", "open the delivery tokens the others sealed")
        return self._generated("secret-key")

    def resolved_git_roots(self) -> tuple[str, ...]:
        """The folders git sources may read (ATRIUM_DELIVERY_GIT_ROOTS, default `data_dir/repos`), absolute."""
        roots = parse_git_roots(self.delivery_git_roots or str(self.data_dir / "repos"))
        return tuple(os.path.abspath(root) for root in roots)

    def _refuse_generating(self, setting: str, why: str) -> None:
        """MissingSecret on a database of its own (ATRIUM_DATABASE_URL): a secret generated into this machine's data
        directory would differ per replica."""
        if self.storage == "postgres" and self.database_url:
            raise MissingSecret(
                f"{setting} must be set when ATRIUM_DATABASE_URL is: every server on that database must {why}, and "
                "one generated into ATRIUM_DATA_DIR would differ per machine "
                "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')")

    def _generated(self, name: str) -> str:
        """A secret generated once into `data_dir/<name>` (readable by the owner only), read back after."""
        path = self.data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
