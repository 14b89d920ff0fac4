"""Blobs in an S3-compatible object store (AWS S3, Supabase Storage, Cloudflare R2, MinIO, SeaweedFS, …), spoken
to over httpx with AWS Signature Version 4 (a small signer: three operations, no SDK)."""

import asyncio
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from adapters.blobs import checked_key
from application.shared.clock import Clock
from application.shared.errors import StorageUnavailable, UpstreamFailed

log = logging.getLogger(__name__)

_HASH_IN_THREAD = 64 * 1024  # hashing a larger body (≈0.1 ms) goes to a thread, off the event loop
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_ERROR_CODE = re.compile(rb"<Code>([A-Za-z0-9.]{1,64})</Code>")


@dataclass(frozen=True)
class S3Location:
    """Where blobs go: `s3://bucket/prefix?endpoint=https://host[/path]&region=…`. With an endpoint, requests are
    path-style (`endpoint/bucket/key`, what S3-compatible services expect); without, AWS's virtual-hosted
    `https://bucket.s3.region.amazonaws.com/key`."""

    bucket: str
    prefix: str
    endpoint: str | None
    region: str

    @classmethod
    def parse(cls, url: str) -> "S3Location":
        """ValueError unless `url` is such a URL."""
        parts = urlsplit(url)
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        if parts.scheme != "s3" or not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", parts.netloc):
            raise ValueError("must look like s3://bucket/optional/prefix?endpoint=https://host&region=us-east-1")
        if set(query) - {"endpoint", "region"} or parts.fragment:
            raise ValueError("takes only the endpoint and region query parameters")
        endpoint = query.get("endpoint")
        if endpoint is not None:
            target = urlsplit(endpoint)
            if target.scheme not in ("http", "https") or not target.hostname or target.query or target.fragment:
                raise ValueError("endpoint must be an http(s) URL like https://host:port")
            endpoint = endpoint.rstrip("/")
        prefix = parts.path.strip("/")
        if prefix and any(part in ("", ".", "..") for part in prefix.split("/")):
            raise ValueError("prefix must be a relative path without empty, . or .. parts")
        region = query.get("region", "us-east-1")
        if not re.fullmatch(r"[a-z0-9-]{1,32}", region):
            raise ValueError("region must be a region name like us-east-1")
        return cls(parts.netloc, prefix, endpoint, region)

    def object_url(self, key: str) -> str:
        path = quote(f"{self.prefix}/{key}" if self.prefix else key, safe="/-_.~")
        return f"{self.bucket_url()}/{path}"

    def bucket_url(self) -> str:
        if self.endpoint is None:
            return f"https://{self.bucket}.s3.{self.region}.amazonaws.com"
        return f"{self.endpoint}/{quote(self.bucket, safe='')}"


class SigV4:
    """Signs S3 requests with AWS Signature Version 4 (header form) for one access key and region."""

    def __init__(self, access_key_id: str, secret_access_key: str, region: str, service: str = "s3") -> None:
        self._access_key_id = access_key_id
        self._secret = secret_access_key
        self._region = region
        self._service = service

    def headers(self, method: str, url: str, payload_sha256: str, amz_date: str) -> dict[str, str]:
        """The headers to send: `x-amz-date`, `x-amz-content-sha256` and `Authorization` (`amz_date` is
        `YYYYMMDDTHHMMSSZ`, UTC). The URL carries no query string."""
        target = httpx.URL(url)
        signed = {"host": target.netloc.decode("ascii"), "x-amz-content-sha256": payload_sha256,
                  "x-amz-date": amz_date}
        names = ";".join(sorted(signed))
        canonical = "\n".join([method, target.raw_path.decode("ascii"), "",
                               *(f"{name}:{signed[name]}" for name in sorted(signed)), "", names, payload_sha256])
        scope = f"{amz_date[:8]}/{self._region}/{self._service}/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + self._secret).encode()
        for part in (amz_date[:8], self._region, self._service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return {"x-amz-date": amz_date, "x-amz-content-sha256": payload_sha256,
                "Authorization": f"AWS4-HMAC-SHA256 Credential={self._access_key_id}/{scope}, "
                                 f"SignedHeaders={names}, Signature={signature}"}


class S3BlobStore:
    """One object per key under the location's prefix. The store being unreachable, slow past `timeout` or
    failing (5xx) is StorageUnavailable (503, retry); any other refusal (credentials, a missing bucket) is
    UpstreamFailed (502). Credentials are never logged."""

    def __init__(self, location: S3Location, *, access_key_id: str, secret_access_key: str, clock: Clock,
                 timeout: float = 10.0) -> None:
        self._location = location
        self._signer = SigV4(access_key_id, secret_access_key, location.region)
        self._clock = clock
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def put(self, key: str, data: bytes) -> None:
        await self._object("PUT", key, bytes(data), ok=(200,))

    async def get(self, key: str) -> bytes | None:
        response = await self._object("GET", key, b"", ok=(200, 404))
        return None if response.status_code == 404 else response.content

    async def delete(self, key: str) -> None:
        await self._object("DELETE", key, b"", ok=(200, 204, 404))

    async def ensure_bucket(self) -> bool:
        """Create the bucket unless it exists (`atrium migrate` does); True when it was created."""
        url = self._location.bucket_url() + ("/" if self._location.endpoint is None else "")
        if (await self._request("HEAD", url, b"", ok=(200, 404), what="the bucket")).status_code == 200:
            return False
        region = self._location.region
        body = b"" if region == "us-east-1" else (
            '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            f"<LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>").encode()
        await self._request("PUT", url, body, ok=(200,), what="the bucket")
        return True

    async def aclose(self) -> None:
        """Close the pooled connections (the app's lifespan does, at shutdown)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _object(self, method: str, key: str, body: bytes, *, ok: tuple[int, ...]) -> httpx.Response:
        return await self._request(method, self._location.object_url(str(checked_key(key))), body, ok=ok, what=key)

    async def _request(self, method: str, url: str, body: bytes, *, ok: tuple[int, ...], what: str
                       ) -> httpx.Response:
        digest = await _sha256(body)
        headers = self._signer.headers(method, url, digest, self._clock.now().strftime("%Y%m%dT%H%M%SZ"))
        try:
            response = await self._http().request(method, url, content=body or None, headers=headers)
        except httpx.TimeoutException:
            log.warning("the image store did not answer %s %s within %g s", method, what, self._timeout)
            raise StorageUnavailable(f"the image store did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            log.warning("the image store could not be reached for %s %s (%s)", method, what, type(error).__name__)
            raise StorageUnavailable("the image store is unavailable") from None
        if response.status_code in ok:
            return response
        found = _ERROR_CODE.search(response.content)
        code = found.group(1).decode() if found else "no error code"
        log.warning("the image store answered %s %s with HTTP %s (%s)", method, what, response.status_code, code)
        if response.status_code >= 500:
            raise StorageUnavailable("the image store is unavailable")
        raise UpstreamFailed(f"the image store refused the request (HTTP {response.status_code}, {code})")

    def _http(self) -> httpx.AsyncClient:
        # Made on first use, on the loop that serves requests; no proxies or .netrc from the environment.
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, trust_env=False, follow_redirects=False)
        return self._client


async def _sha256(body: bytes) -> str:
    if not body:
        return _EMPTY_SHA256
    if len(body) <= _HASH_IN_THREAD:
        return hashlib.sha256(body).hexdigest()
    return (await asyncio.to_thread(hashlib.sha256, body)).hexdigest()
