"""The imaging context: the image generator, the blob store, and the generation use cases."""

from pathlib import Path

from dependency_injector import containers, providers

from adapters.blobs import FilesystemBlobStore, MemoryBlobStore
from adapters.imaging.openai_generator import OpenAIImageGenerator
from adapters.imaging.pillow_generator import PillowImageGenerator
from application.imaging.generations import GenerateImage, GetImage, ListGenerations, PurgeIdempotencyKeys
from application.imaging.ports import ImagingUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from entrypoints.settings import revealed


def _blob_root(data_dir: Path) -> Path:
    return Path(data_dir) / "blobs"


class Imaging(containers.DeclarativeContainer):
    config = providers.Configuration()
    uow: providers.Dependency[ImagingUnitOfWork] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()

    blobs = providers.Selector(
        config.storage,
        postgres=providers.Singleton(FilesystemBlobStore, root=providers.Callable(_blob_root, config.data_dir)),
        memory=providers.Singleton(MemoryBlobStore),
    )
    image_generator = providers.Selector(
        config.image_provider,
        offline=providers.Singleton(PillowImageGenerator),
        openai=providers.Singleton(
            OpenAIImageGenerator, base_url=config.openai_base_url,
            api_key=providers.Callable(revealed, config.openai_api_key), model=config.openai_model,
            timeout=config.image_timeout_seconds, size=config.openai_image_size,
        ),
    )
    generate_image = providers.Factory(
        GenerateImage, uow=uow.provider, clock=clock, ids=ids,
        generator=image_generator, blobs=blobs)
    get_image = providers.Factory(GetImage, uow=uow.provider, blobs=blobs)
    list_generations = providers.Factory(ListGenerations, uow=uow.provider)
    purge_idempotency_keys = providers.Factory(
        PurgeIdempotencyKeys, uow=uow.provider, clock=clock)
