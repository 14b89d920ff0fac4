"""Both blob stores keep bytes by key and refuse keys that escape their root."""

from pathlib import Path

import pytest

from adapters.blobs import FilesystemBlobStore, MemoryBlobStore


@pytest.fixture(params=["filesystem", "memory"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path):
    return FilesystemBlobStore(tmp_path / "blobs") if request.param == "filesystem" else MemoryBlobStore()


async def test_bytes_round_trip_and_can_be_replaced_and_deleted(blobs) -> None:
    await blobs.put("images/owner/one.png", b"first")
    await blobs.put("images/owner/one.png", b"second")
    assert await blobs.get("images/owner/one.png") == b"second"
    await blobs.delete("images/owner/one.png")
    await blobs.delete("images/owner/one.png")
    assert await blobs.get("images/owner/one.png") is None


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../outside", "images/../../outside", "images//x", "./x"])
async def test_keys_cannot_escape_the_store(blobs, key: str) -> None:
    with pytest.raises(ValueError):
        await blobs.put(key, b"x")


async def test_files_live_under_the_given_directory(tmp_path: Path) -> None:
    await FilesystemBlobStore(tmp_path / "blobs").put("images/a/b.webp", b"data")
    assert (tmp_path / "blobs" / "images" / "a" / "b.webp").read_bytes() == b"data"
    assert [p.name for p in (tmp_path / "blobs" / "images" / "a").iterdir()] == ["b.webp"]
