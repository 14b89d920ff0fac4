"""The offline generator: deterministic, and the prompt shows."""

import io

from PIL import Image, ImageChops, ImageStat

from adapters.imaging.pillow_generator import PillowImageGenerator
from domain.imaging.generation import ImageFormat

generator = PillowImageGenerator()


async def render(prompt: str, seed: int = 1, format: ImageFormat = ImageFormat.PNG, size=(128, 96)) -> bytes:
    return await generator.generate(prompt=prompt, width=size[0], height=size[1], seed=seed, format=format)


def mean_difference(a: bytes, b: bytes) -> float:
    first, second = (Image.open(io.BytesIO(data)).convert("RGB") for data in (a, b))
    return sum(ImageStat.Stat(ImageChops.difference(first, second)).mean) / 3


async def test_the_same_input_gives_the_same_bytes() -> None:
    for format in ImageFormat:
        first = await render("a lighthouse at dusk", format=format)
        assert await render("a lighthouse at dusk", format=format) == first


async def test_different_prompts_or_seeds_look_different() -> None:
    lighthouse = await render("a lighthouse at dusk")
    assert mean_difference(lighthouse, await render("a lighthouse at dawn")) > 20
    assert mean_difference(lighthouse, await render("a lighthouse at dusk", seed=2)) > 20


async def test_the_image_has_the_requested_size_and_format() -> None:
    for format in ImageFormat:
        image = Image.open(io.BytesIO(await render("fox", format=format, size=(2048, 64))))
        assert (image.format, image.size) == (format.value.upper(), (2048, 64))
