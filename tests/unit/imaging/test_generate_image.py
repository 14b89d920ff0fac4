"""Generating images with an API key: metering, refunds, reading them back."""

import asyncio
import io
from uuid import uuid4

import pytest
from PIL import Image

from application.shared.errors import UpstreamFailed
from domain.imaging.generation import ImageRequest
from domain.shared.errors import InvalidValue, NotFound, TooManyRequests
from tests.unit.imaging.support import Imaging


@pytest.mark.parametrize(("format", "content_type"), [("png", "image/png"), ("webp", "image/webp")])
async def test_a_generated_image_can_be_read_back(imaging: Imaging, format: str, content_type: str) -> None:
    caller = await imaging.caller()
    generation = await imaging.generate(caller, width=96, height=64, format=format, seed=7)

    image = await imaging.get_image(caller.owner_id, generation.id)

    assert image.content_type == content_type
    decoded = Image.open(io.BytesIO(image.data))
    assert (decoded.format, decoded.size) == (format.upper(), (96, 64))
    assert (generation.seed, generation.created_at) == (7, imaging.clock.now())
    assert await imaging.access.used_today(caller.api_key_id) == 1


async def test_40_parallel_generations_on_a_quota_of_5_deliver_exactly_5(imaging: Imaging) -> None:
    caller = await imaging.caller(daily_quota=5)

    results = await asyncio.gather(*(imaging.generate(caller, f"fox {i}") for i in range(40)),
                                   return_exceptions=True)

    delivered = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, TooManyRequests) and r.code == "quota_exceeded"]
    assert (len(delivered), len(refused)) == (5, 35)
    assert await imaging.access.used_today(caller.api_key_id) == 5
    page = await imaging.list_generations(caller.owner_id, limit=100)
    assert {g.id for g in page.items} == {g.id for g in delivered}


async def test_a_provider_failure_refunds_the_unit(imaging: Imaging) -> None:
    caller = await imaging.caller(daily_quota=1)
    imaging.generator.failure = UpstreamFailed("provider down")

    with pytest.raises(UpstreamFailed):
        await imaging.generate(caller)

    assert await imaging.access.used_today(caller.api_key_id) == 0
    assert (await imaging.list_generations(caller.owner_id)).items == []
    imaging.generator.failure = None
    await imaging.generate(caller)  # the refunded unit is spendable again


async def test_a_storage_failure_refunds_the_unit(imaging: Imaging, monkeypatch: pytest.MonkeyPatch) -> None:
    caller = await imaging.caller(daily_quota=1)

    async def broken_put(key: str, data: bytes) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(imaging.blobs, "put", broken_put)
    with pytest.raises(OSError):
        await imaging.generate(caller)
    assert await imaging.access.used_today(caller.api_key_id) == 0


async def test_a_request_cancelled_while_rendering_refunds_the_unit(imaging: Imaging) -> None:
    caller = await imaging.caller(daily_quota=1)
    never = asyncio.Event()

    async def hang(**_: object) -> bytes:
        await never.wait()
        return b""

    imaging.generator.inner = type("Hanging", (), {"generate": staticmethod(hang)})()
    task = asyncio.create_task(imaging.generate(caller))
    while imaging.generator.calls == 0:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await imaging.access.used_today(caller.api_key_id) == 0


async def test_without_a_seed_each_generation_gets_its_own(imaging: Imaging) -> None:
    caller = await imaging.caller()
    first, second = await imaging.generate(caller), await imaging.generate(caller)
    assert first.seed != second.seed
    images = [await imaging.get_image(caller.owner_id, g.id) for g in (first, second)]
    assert images[0].data != images[1].data


async def test_images_are_private_to_their_owner(imaging: Imaging) -> None:
    mine = await imaging.generate(await imaging.caller())
    with pytest.raises(NotFound) as error:
        await imaging.get_image(uuid4(), mine.id)
    assert error.value.code == "image_not_found"
    assert (await imaging.list_generations(uuid4())).items == []


async def test_generations_are_listed_newest_first_a_page_at_a_time(imaging: Imaging) -> None:
    caller = await imaging.caller()
    made = []
    for i in range(5):
        made.append(await imaging.generate(caller, f"fox {i}"))
        imaging.clock.advance(seconds=1)

    first = await imaging.list_generations(caller.owner_id, limit=2)
    second = await imaging.list_generations(caller.owner_id, limit=2, cursor=first.next_cursor)
    last = await imaging.list_generations(caller.owner_id, limit=2, cursor=second.next_cursor)

    assert [g.id for g in first.items + second.items + last.items] == [g.id for g in reversed(made)]
    assert last.next_cursor is None


@pytest.mark.parametrize(("cursor", "limit", "field"), [
    ("not-a-cursor", 20, "cursor"), (None, 0, "limit"), (None, 101, "limit"),
])
async def test_bad_paging_is_rejected(imaging: Imaging, cursor: str | None, limit: int, field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        await imaging.list_generations(uuid4(), limit=limit, cursor=cursor)
    assert error.value.field == field


@pytest.mark.parametrize(("fields", "field"), [
    ({"prompt": "  "}, "prompt"),
    ({"prompt": "x" * 1001}, "prompt"),
    ({"width": 56}, "width"),
    ({"width": 2056}, "width"),
    ({"height": 100}, "height"),
    ({"format": "gif"}, "format"),
    ({"seed": -1}, "seed"),
])
def test_bad_requests_are_rejected_field_by_field(fields: dict, field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        ImageRequest.parse(**{"prompt": "a fox", "width": 64, "height": 64, **fields})
    assert error.value.field == field


def test_the_largest_and_longest_requests_are_allowed() -> None:
    request = ImageRequest.parse(prompt="x" * 1000, width=2048, height=64, format="webp", seed=2**32 - 1)
    assert (request.width, request.format.content_type) == (2048, "image/webp")
