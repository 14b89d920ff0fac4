"""The OpenAI-compatible adapter against a local fake provider on 127.0.0.1."""

import base64
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from adapters.imaging.openai_generator import OpenAIImageGenerator
from application.shared.errors import UpstreamFailed
from domain.imaging.generation import ImageFormat

API_KEY = "sk-test-secret"


class FakeProvider(ThreadingHTTPServer):
    """Speaks POST /v1/images/generations; `mode` picks how it answers."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests: list[dict] = []
        self.release = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeProvider

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "auth": self.headers["Authorization"], "body": body})
        mode = self.server.mode
        if mode == "slow":
            self.server.release.wait(5)
        if self.path != "/v1/images/generations" or self.headers["Authorization"] != f"Bearer {API_KEY}":
            return self._send(401, {"error": {"message": "bad key"}})
        if mode == "error":
            return self._send(500, {"error": {"message": "overloaded"}})
        if mode == "garbage":
            return self._send(200, {"data": [{"b64_json": base64.b64encode(b"not an image").decode()}]})
        if mode == "no-data":
            return self._send(200, {"data": []})
        width, height = map(int, body["size"].split("x"))
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
        self._send(200, {"created": 1, "data": [{"b64_json": base64.b64encode(buffer.getvalue()).decode()}]})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    server = FakeProvider()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def generator_for(provider: FakeProvider, **options: object) -> OpenAIImageGenerator:
    return OpenAIImageGenerator(base_url=provider.base_url, api_key=API_KEY, **{"timeout": 5.0, **options})


async def generate(generator: OpenAIImageGenerator, format: ImageFormat = ImageFormat.PNG) -> bytes:
    return await generator.generate(prompt="a fox", width=128, height=64, seed=3, format=format)


async def test_the_provider_image_is_returned_as_is_when_it_fits(provider: FakeProvider) -> None:
    data = await generate(generator_for(provider))

    assert (Image.open(io.BytesIO(data)).format, Image.open(io.BytesIO(data)).size) == ("PNG", (128, 64))
    [request] = provider.requests
    assert request["auth"] == f"Bearer {API_KEY}"
    assert request["body"] == {"model": "gpt-image-1", "prompt": "a fox", "n": 1, "size": "128x64"}


async def test_dall_e_style_models_are_asked_for_b64_json(provider: FakeProvider) -> None:
    await generate(generator_for(provider, model="dall-e-3"))
    assert provider.requests[0]["body"]["response_format"] == "b64_json"


async def test_a_fixed_provider_size_is_converted_to_the_requested_size_and_format(provider: FakeProvider) -> None:
    data = await generate(generator_for(provider, size="256x256"), ImageFormat.WEBP)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("WEBP", (128, 64))
    assert provider.requests[0]["body"]["size"] == "256x256"


@pytest.mark.parametrize("mode", ["error", "garbage", "no-data"])
async def test_a_failing_provider_raises_upstream_failed(provider: FakeProvider, mode: str) -> None:
    provider.mode = mode
    with pytest.raises(UpstreamFailed) as error:
        await generate(generator_for(provider))
    assert API_KEY not in str(error.value)


async def test_a_wrong_api_key_raises_upstream_failed(provider: FakeProvider) -> None:
    with pytest.raises(UpstreamFailed, match="401"):
        await generate(OpenAIImageGenerator(base_url=provider.base_url, api_key="sk-wrong", timeout=5.0))


async def test_a_slow_provider_times_out(provider: FakeProvider) -> None:
    provider.mode = "slow"
    with pytest.raises(UpstreamFailed, match="did not answer"):
        await generate(generator_for(provider, timeout=0.2))


async def test_an_unreachable_provider_raises_upstream_failed(provider: FakeProvider) -> None:
    url = provider.base_url
    provider.shutdown()
    provider.server_close()
    with pytest.raises(UpstreamFailed, match="could not be reached"):
        await generate(OpenAIImageGenerator(base_url=url, api_key=API_KEY, timeout=5.0))
