"""Use cases on an account's delivery sources. Creating or changing one never contacts the provider."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypedDict, Unpack
from uuid import UUID

from application.delivery.ports import DeliveryUnitOfWork, TokenCipher
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.delivery.source import (
    Source, SourceKind, SourceNotFound, SourceOptions, check_target, check_token, parse_source_kind, target_field,
)
from domain.shared.errors import InvalidValue


class SourceFields(TypedDict, total=False):
    """What a caller may set; a key left out keeps its value (its default on creation). A source reads one target:
    `repository` (github), `team_key` (linear) or `path` (git)."""

    repository: str | None
    team_key: str | None
    path: str | None
    token: str | None
    deployment_patterns: object
    production_pattern: object
    incident_labels: object
    incident_pattern: object


_OPTIONS = ("deployment_patterns", "production_pattern", "incident_labels", "incident_pattern")


def token_context(source: Source) -> str:
    """What a sealed token is bound to: it opens for this source of this owner only."""
    return f"delivery-source:{source.owner_id}:{source.id}"


def _target(kind: SourceKind, fields: SourceFields, git_roots: Sequence[str]) -> str | None:
    """The checked target the fields name for a source of `kind` (None: none named); another kind's is 422."""
    wanted = target_field(kind)
    for name in ("repository", "team_key", "path"):
        if name != wanted and fields.get(name) is not None:
            raise InvalidValue(name, f"is not a field of {kind.value} sources (they take {wanted})")
    value = fields.get(wanted)
    return None if value is None else check_target(kind, value, git_roots)


def _options(current: SourceOptions | None, fields: SourceFields) -> SourceOptions:
    values = {name: fields.get(name, None if current is None else getattr(current, name)) for name in _OPTIONS}
    return SourceOptions.create(**values)


def _sealed(cipher: TokenCipher, source: Source, kind: SourceKind, fields: SourceFields) -> str | None:
    if "token" not in fields:
        return source.sealed_token
    token = fields["token"]
    if token is None:
        return None
    if kind is SourceKind.GIT:
        raise InvalidValue("token", "git sources take no token")
    return cipher.seal(check_token(token), token_context(source))


@dataclass
class CreateSource:
    """Add a source of `kind` reading `target` (repository, team_key or path under the git roots); offline."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock
    ids: IdGenerator
    cipher: TokenCipher
    git_roots: Sequence[str]

    async def __call__(self, owner_id: UUID, *, kind: object, **fields: Unpack[SourceFields]) -> Source:
        source_kind = parse_source_kind(kind)
        target = _target(source_kind, fields, self.git_roots)
        if target is None:
            raise InvalidValue(target_field(source_kind), "is required")
        now = self.clock.now()
        source = Source(self.ids.new_id(), owner_id, source_kind, target, _options(None, fields), None, now, now)
        source = replace(source, sealed_token=_sealed(self.cipher, source, source_kind, fields))
        async with self.uow(account=owner_id) as uow:
            await uow.delivery_sources.add(source)
            await uow.commit()
        return source


@dataclass
class GetSource:
    uow: UowFactory[DeliveryUnitOfWork]

    async def __call__(self, owner_id: UUID, source_id: UUID) -> Source:
        async with self.uow(account=owner_id) as uow:
            source = await uow.delivery_sources.get(owner_id, source_id)
        if source is None:
            raise SourceNotFound()
        return source


@dataclass
class ListSources:
    """The owner's sources in creation order, a page at a time."""

    uow: UowFactory[DeliveryUnitOfWork]

    async def __call__(self, owner_id: UUID, *, cursor: str | None = None, limit: int = 50) -> Page[Source]:
        check_limit(limit)
        after = cursor_id(cursor)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.delivery_sources.page(owner_id, after=after, limit=limit + 1)
        return page_of(rows, limit, lambda source: (source.id,))


@dataclass
class UpdateSource:
    """Change a source's target, options or token (None: the server's default). A new target or new options
    delete what was synced and where each resource resumed, in the same transaction: the next sync rebuilds it."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock
    cipher: TokenCipher
    git_roots: Sequence[str]

    async def __call__(self, owner_id: UUID, source_id: UUID, **fields: Unpack[SourceFields]) -> Source:
        async with self.uow(account=owner_id) as uow:
            source = await uow.delivery_sources.get(owner_id, source_id)
            if source is None:
                raise SourceNotFound()
            changed = replace(source, target=_target(source.kind, fields, self.git_roots) or source.target, options=_options(source.options, fields),
                              sealed_token=_sealed(self.cipher, source, source.kind, fields),
                              updated_at=self.clock.now())
            if source.reads_differently(changed):
                await uow.delivery_records.clear(owner_id, source_id)
                await uow.delivery_states.clear(owner_id, source_id)
            await uow.delivery_sources.save(changed)
            await uow.commit()
        return changed


@dataclass
class DeleteSource:
    """Delete a source with its syncs and everything synced from it."""

    uow: UowFactory[DeliveryUnitOfWork]

    async def __call__(self, owner_id: UUID, source_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if not await uow.delivery_sources.remove(owner_id, source_id):
                raise SourceNotFound()
            await uow.commit()
