"""Blob stores: files under a directory (default `.data/blobs/`), or a dict in memory (adapters/object_store.py: S3)."""

import asyncio
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import final

from application.imaging.ports import BlobStore


def checked_key(key: str) -> PurePosixPath:
    """The key as a relative path; ValueError for an empty, absolute or escaping one."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"not a relative blob key: {key!r}")
    return path


@final
class FilesystemBlobStore(BlobStore):
    """One file per key; a put writes a temporary file and renames it, so readers never see half a blob."""

    def __init__(self, root: Path) -> None:
        self._root = Path(root)

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._root / checked_key(key), data)

    async def get(self, key: str) -> bytes | None:
        try:
            return await asyncio.to_thread((self._root / checked_key(key)).read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread((self._root / checked_key(key)).unlink, missing_ok=True)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@final
class MemoryBlobStore(BlobStore):
    def __init__(self) -> None:
        self._blobs: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes) -> None:
        self._blobs[str(checked_key(key))] = bytes(data)

    async def get(self, key: str) -> bytes | None:
        return self._blobs.get(str(checked_key(key)))

    async def delete(self, key: str) -> None:
        self._blobs.pop(str(checked_key(key)), None)
