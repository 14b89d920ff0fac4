"""The offline image generator: abstract shapes drawn with Pillow from a hash of prompt and seed."""

import asyncio
import hashlib
import io
import random
from typing import Any, final

from PIL import Image, ImageDraw

from application.imaging.ports import ImageGenerator
from domain.imaging.generation import ImageFormat

_SAVE_OPTIONS: dict[ImageFormat, dict[str, Any]] = {
    ImageFormat.PNG: {"format": "PNG"}, ImageFormat.WEBP: {"format": "WEBP", "quality": 90},
}


@final
class PillowImageGenerator(ImageGenerator):
    """Same prompt, seed, size and format give the same bytes; different prompts give different pictures."""

    async def generate(self, *, prompt: str, width: int, height: int, seed: int, format: ImageFormat) -> bytes:
        return await asyncio.to_thread(render, prompt, width, height, seed, format)


def render(prompt: str, width: int, height: int, seed: int, format: ImageFormat) -> bytes:
    rng = random.Random(hashlib.sha256(f"{seed}\n{prompt}".encode()).digest())
    size = (width, height)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, _color(rng)), Image.new("RGB", size, _color(rng)), gradient)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(8, 16)):
        x, y = rng.uniform(-0.1, 0.9) * width, rng.uniform(-0.1, 0.9) * height
        box = (x, y, x + rng.uniform(0.1, 0.5) * width, y + rng.uniform(0.1, 0.5) * height)
        shape = rng.choice(("ellipse", "rectangle", "triangle"))
        if shape == "ellipse":
            draw.ellipse(box, fill=_color(rng))
        elif shape == "rectangle":
            draw.rectangle(box, fill=_color(rng))
        else:
            draw.polygon([(box[0], box[3]), ((box[0] + box[2]) / 2, box[1]), (box[2], box[3])], fill=_color(rng))
    buffer = io.BytesIO()
    image.save(buffer, **_SAVE_OPTIONS[format])
    return buffer.getvalue()


def _color(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(256), rng.randrange(256), rng.randrange(256)
