"""Configuration from ATRIUM_* environment variables and `.env`."""

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATRIUM_", env_file=".env", extra="ignore")

    storage: Literal["postgres", "memory"] = "postgres"
    database_url: str | None = Field(None, description="postgresql://user:pass@host:port/db; unset = embedded server")
    data_dir: Path = Path(".data")
    jwt_secret: SecretStr | None = None
    access_token_ttl_seconds: int = Field(900, ge=60)
    refresh_token_ttl_days: int = Field(30, ge=1)
    db_pool_size: int = Field(10, ge=1)
    db_max_overflow: int = Field(10, ge=0)
    db_connect_timeout_seconds: float = Field(3.0, gt=0)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "text"] = "json"
    max_json_bytes: int = Field(1_048_576, ge=1024)
    max_upload_bytes: int = Field(10_485_760, ge=1024)

    def resolved_jwt_secret(self) -> str:
        """The configured secret, else one generated once and kept in `data_dir/jwt-secret`."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        path = self.data_dir / "jwt-secret"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
