"""Every blob store keeps bytes by key and refuses keys that escape it: files, memory, and an S3-compatible object
store (a local server with signatures checked). The object store's failures are 503 or 502, never a 500."""

import asyncio
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from adapters.blobs import FilesystemBlobStore, MemoryBlobStore
from adapters.clock import SystemClock
from adapters.object_store import S3BlobStore, S3Location, SigV4
from application.shared.errors import StorageUnavailable, UpstreamFailed
from tests.object_store import BUCKET, LocalS3

KEY = "images/owner/one.png"


def s3_store(s3: LocalS3, prefix: str, *, secret: str | None = None, bucket: str = BUCKET,
             timeout: float = 10) -> S3BlobStore:
    return S3BlobStore(S3Location.parse(s3.url(prefix, bucket)), access_key_id=s3.access_key_id,
                       secret_access_key=secret or s3.secret_access_key, clock=SystemClock(), timeout=timeout)


@pytest.fixture(params=["filesystem", "memory", "s3"])
async def blobs(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "filesystem":
        yield FilesystemBlobStore(tmp_path / "blobs")
    elif request.param == "memory":
        yield MemoryBlobStore()
    else:
        store = s3_store(request.getfixturevalue("local_s3"), f"contract/{tmp_path.name}")
        yield store
        await store.aclose()


async def test_bytes_round_trip_and_can_be_replaced_and_deleted(blobs) -> None:
    assert await blobs.get(KEY) is None
    await blobs.put(KEY, b"first")
    await blobs.put(KEY, b"second")
    assert await blobs.get(KEY) == b"second"
    await blobs.delete(KEY)
    await blobs.delete(KEY)
    assert await blobs.get(KEY) is None


async def test_many_writes_at_once_are_each_kept(blobs) -> None:
    await asyncio.gather(*(blobs.put(f"images/owner/{n}.png", bytes([n]) * 100_000) for n in range(8)))
    assert [await blobs.get(f"images/owner/{n}.png") for n in range(8)] == [bytes([n]) * 100_000 for n in range(8)]


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../outside", "images/../../outside", "images//x", "./x"])
async def test_keys_cannot_escape_the_store(blobs, key: str) -> None:
    with pytest.raises(ValueError):
        await blobs.put(key, b"x")
    with pytest.raises(ValueError):
        await blobs.get(key)


async def test_files_live_under_the_given_directory(tmp_path: Path) -> None:
    await FilesystemBlobStore(tmp_path / "blobs").put("images/a/b.webp", b"data")
    assert (tmp_path / "blobs" / "images" / "a" / "b.webp").read_bytes() == b"data"
    assert [p.name for p in (tmp_path / "blobs" / "images" / "a").iterdir()] == ["b.webp"]


async def test_objects_live_under_the_prefix_in_the_bucket(local_s3: LocalS3) -> None:
    store = s3_store(local_s3, "atrium/prod")
    await store.put("images/a/b.webp", b"data")
    await store.aclose()
    found = local_s3.client().get_object(Bucket=BUCKET, Key="atrium/prod/images/a/b.webp")
    assert found["Body"].read() == b"data"


async def test_a_wrong_secret_is_refused_as_a_bad_gateway_and_never_logged(local_s3: LocalS3, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-" + "x" * 27
    store = s3_store(local_s3, "refused", secret=wrong)
    with pytest.raises(UpstreamFailed, match="HTTP 403, SignatureDoesNotMatch"):
        await store.put(KEY, b"x")
    await store.aclose()
    server_side = ("moto", "werkzeug", "botocore", "boto3")  # the test's S3 server, in this process
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(server_side))
    assert "SignatureDoesNotMatch" in logged
    assert wrong not in logged and local_s3.access_key_id not in logged and "Signature=" not in logged


async def test_a_missing_bucket_is_a_bad_gateway(local_s3: LocalS3) -> None:
    store = s3_store(local_s3, "x", bucket="no-such-bucket")
    with pytest.raises(UpstreamFailed, match="NoSuchBucket"):
        await store.put(KEY, b"x")
    await store.aclose()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]


def unreachable(port: int, timeout: float = 10) -> S3BlobStore:
    return S3BlobStore(S3Location.parse(f"s3://bucket?endpoint=http://127.0.0.1:{port}"), access_key_id="a",
                       secret_access_key="b", clock=SystemClock(), timeout=timeout)


async def test_an_unreachable_or_silent_store_is_unavailable(silent_port: int) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    for store in (unreachable(port), unreachable(silent_port, timeout=0.2)):
        for call in (store.put(KEY, b"x"), store.get(KEY), store.delete(KEY)):
            with pytest.raises(StorageUnavailable):
                await call
        await store.aclose()


@pytest.mark.parametrize("url", [
    "s3://atrium/images?endpoint=https://project.supabase.co/storage/v1/s3&region=eu-west-1",
    "s3://atrium?endpoint=http://127.0.0.1:9000",
    "s3://atrium.example/deep/prefix?region=eu-north-1",
])
@pytest.mark.parametrize("method, body", [("PUT", b"\x89PNG data"), ("GET", b""), ("DELETE", b"")])
def test_signatures_are_botocores(url: str, method: str, body: bytes, monkeypatch) -> None:
    """The signer agrees with the AWS SDK's own, path-style endpoints with a path and AWS's virtual hosts alike."""
    at = datetime(2026, 12, 4, 16, 20, 46, tzinfo=UTC)
    location = S3Location.parse(url)
    target = location.object_url("images/0190c7d5-aaaa/0190c7d5-bbbb.png")
    digest = botocore.auth.sha256(body).hexdigest()
    ours = SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", location.region).headers(
        method, target, digest, at.strftime("%Y%m%dT%H%M%SZ"))
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: at.replace(tzinfo=None))
    theirs = AWSRequest(method=method, url=target, data=body)
    botocore.auth.S3SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "s3",
                              location.region).add_auth(theirs)
    assert ours["Authorization"] == theirs.headers["Authorization"]


@pytest.mark.parametrize("url", [
    "https://bucket/x", "s3://", "s3://Upper/x", "s3://b?endpoint=ftp://host", "s3://bucket?endpont=http://h",
    "s3://bucket?region=../../etc", "s3://user:pass@bucket/x", "s3://bucket:9000/x", "s3://bucket/a/../b",
])
def test_a_malformed_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        S3Location.parse(url)


def test_objects_are_addressed_path_style_at_an_endpoint_and_virtual_hosted_on_aws() -> None:
    at_endpoint = S3Location.parse("s3://atrium/img?endpoint=https://ref.supabase.co/storage/v1/s3/&region=eu-west-1")
    assert at_endpoint.object_url("images/a.png") == "https://ref.supabase.co/storage/v1/s3/atrium/img/images/a.png"
    on_aws = S3Location.parse("s3://atrium?region=eu-north-1")
    assert on_aws.object_url("images/a.png") == "https://atrium.s3.eu-north-1.amazonaws.com/images/a.png"
