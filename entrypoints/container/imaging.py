"""The imaging context: the image generator, the blob store, and the generation use cases."""

from pathlib import Path

from dependency_injector import containers, providers

from adapters.blobs import FilesystemBlobStore, MemoryBlobStore
from adapters.imaging.openai_generator import OpenAIImageGenerator
from adapters.imaging.pillow_generator import PillowImageGenerator
from adapters.object_store import S3BlobStore, S3Location
from application.identity.ports import QuotaMeter
from application.imaging.generations import GenerateImage, GetImage, ListGenerations, PurgeIdempotencyKeys
from application.imaging.ports import BlobStore, ImagingUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from entrypoints.settings import revealed


def blob_store(*, url: str | None, access_key_id: str | None, secret_access_key: str, timeout: float, storage: str,
               data_dir: Path, clock: Clock) -> BlobStore:
    """The object store at `url` (ATRIUM_BLOB_STORE_URL), shared by every replica; without one, files in the data
    directory (or memory, with memory storage): one machine's."""
    if url:
        return S3BlobStore(S3Location.parse(url), access_key_id=access_key_id or "",
                           secret_access_key=secret_access_key, clock=clock, timeout=timeout)
    if storage == "memory":
        return MemoryBlobStore()
    return FilesystemBlobStore(Path(data_dir) / "blobs")


class Imaging(containers.DeclarativeContainer):
    config = providers.Configuration()
    uow: providers.Dependency[ImagingUnitOfWork] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()
    quota_meter: providers.Dependency[QuotaMeter] = providers.Dependency()

    blobs = providers.Singleton(
        blob_store, url=config.blob_store_url, access_key_id=config.s3_access_key_id,
        secret_access_key=providers.Callable(revealed, config.s3_secret_access_key),
        timeout=config.blob_store_timeout_seconds, storage=config.storage, data_dir=config.data_dir, clock=clock,
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
        generator=image_generator, blobs=blobs, meter=quota_meter)
    get_image = providers.Factory(GetImage, uow=uow.provider, blobs=blobs)
    list_generations = providers.Factory(ListGenerations, uow=uow.provider)
    purge_idempotency_keys = providers.Factory(
        PurgeIdempotencyKeys, uow=uow.provider, clock=clock)
