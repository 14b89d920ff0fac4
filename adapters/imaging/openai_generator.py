"""Image generation through an OpenAI-compatible `POST {base_url}/images/generations` (b64_json)."""

import base64
import binascii
import io
from typing import final

import httpx
from PIL import Image, UnidentifiedImageError

from application.imaging.ports import ImageGenerator
from application.shared.errors import UpstreamFailed
from domain.imaging.generation import ImageFormat


@final
class OpenAIImageGenerator(ImageGenerator):
    """Asks the provider for one image and returns it in exactly the requested size and format.

    `base_url` includes the version, as OpenAI's clients expect (`https://api.openai.com/v1`).
    `size` fixes what is asked for when a provider only supports a few sizes; None asks for width x height.
    """

    def __init__(
        self, *, base_url: str, api_key: str, model: str = "gpt-image-1",
        timeout: float = 60.0, size: str | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/images/generations"
        self._api_key = api_key
        self._model = model
        self._timeout = timeout
        self._size = size

    async def generate(self, *, prompt: str, width: int, height: int, seed: int, format: ImageFormat) -> bytes:
        body = {"model": self._model, "prompt": prompt, "n": 1, "size": self._size or f"{width}x{height}"}
        if not self._model.startswith("gpt-image"):  # GPT image models always answer b64_json and reject the field
            body["response_format"] = "b64_json"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(
                    self._url, json=body, headers={"Authorization": f"Bearer {self._api_key}"}
                )
        except httpx.TimeoutException:
            raise UpstreamFailed(f"the image provider did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise UpstreamFailed(f"the image provider could not be reached ({type(error).__name__})") from None
        if response.status_code != 200:
            raise UpstreamFailed(f"the image provider answered HTTP {response.status_code}")
        try:
            data = base64.b64decode(response.json()["data"][0]["b64_json"], validate=True)
            image = Image.open(io.BytesIO(data))
            image.load()
        except (ValueError, KeyError, IndexError, TypeError, binascii.Error, UnidentifiedImageError, OSError):
            raise UpstreamFailed("the image provider's answer holds no readable b64_json image") from None
        return _conform(data, image, width, height, format)


def _conform(data: bytes, image: Image.Image, width: int, height: int, format: ImageFormat) -> bytes:
    """The provider's bytes if they already have the requested size and format, else re-encoded."""
    if image.size == (width, height) and (image.format or "").lower() == format.value:
        return data
    image = image.convert("RGBA" if "A" in image.getbands() else "RGB").resize(
        (width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format=format.value.upper())
    return buffer.getvalue()
