"""Routes on an account's delivery sources (GitHub repositories, Linear teams, local git repositories)."""

from datetime import datetime
from typing import Annotated, Any, Literal, cast
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from application.delivery.sources import CreateSource, DeleteSource, GetSource, ListSources, SourceFields, UpdateSource
from application.shared.pages import MAX_LIMIT
from domain.delivery.patterns import PATTERN_MAX
from domain.delivery.source import LABEL_MAX, LABELS_MAX, PATH_MAX, PATTERNS_MAX, TOKEN_MAX, Source
from entrypoints.api.dependencies import Caller, LiveSession, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page, Strict, no_content
from entrypoints.container.delivery import Delivery

router = APIRouter(prefix="/api/v1/delivery", tags=["delivery"], route_class=PrefixRoute)

Pattern = Annotated[str, Field(min_length=1, max_length=PATTERN_MAX)]
Patterns = Annotated[list[Pattern] | Annotated[str, Field(max_length=PATTERNS_MAX * (PATTERN_MAX + 1))], Field(
    description=f"1-{PATTERNS_MAX} case-insensitive regular expressions searched in workflow, release and tag "
                "names (a list, or comma-separated text); default deploy, release, publish",
    examples=[["deploy", "release"]])]
Labels = Annotated[list[Annotated[str, Field(max_length=LABEL_MAX)]], Field(
    max_length=LABELS_MAX, description="Linear labels that make an issue an incident, ignoring case; default incident")]
Token = Annotated[str, Field(min_length=1, max_length=TOKEN_MAX, description="write-only: stored encrypted, never "
                                                                              "returned")]


class SourceOptionsIn(Strict):
    deployment_patterns: Patterns | None = None
    production_pattern: Pattern | None = Field(None, description="regular expression matched on the environment "
                                               "or workflow name; default (?i)prod")
    incident_labels: Labels | None = None
    incident_pattern: Pattern | None = Field(None, description="git: commit subjects that are incidents; default "
                                             "^(Revert|hotfix)")


class SourceIn(SourceOptionsIn):
    kind: Literal["github", "linear", "git"]
    repository: Annotated[str | None, Field(max_length=140, examples=["octo-org/app"],
                                            description="github: owner/name")] = None
    team_key: Annotated[str | None, Field(max_length=10, examples=["ENG"], description="linear: the team key")] = None
    path: Annotated[str | None, Field(max_length=PATH_MAX, description="git: an absolute path under "
                                      "ATRIUM_DELIVERY_GIT_ROOTS")] = None
    token: Token | None = Field(None, description="github or linear (default: ATRIUM_GITHUB_TOKEN / "
                                "ATRIUM_LINEAR_API_KEY); write-only")


class SourcePatch(SourceOptionsIn):
    """Only the fields sent change; `token: null` falls back to the server's default token. New target or options
    delete what was synced: the next sync reads it again."""

    repository: Annotated[str | None, Field(max_length=140)] = None
    team_key: Annotated[str | None, Field(max_length=10)] = None
    path: Annotated[str | None, Field(max_length=PATH_MAX)] = None
    token: Token | None = None


class SourceOut(BaseModel):
    id: UUID
    kind: str
    repository: str | None
    team_key: str | None
    path: str | None
    deployment_patterns: list[str]
    production_pattern: str
    incident_labels: list[str]
    incident_pattern: str
    token_set: bool = Field(description="whether the source has a token of its own (it is never shown)")
    created_at: datetime
    updated_at: datetime


class SourcePage(Page[SourceOut]):
    pass


def source_out(source: Source) -> SourceOut:
    targets: dict[str, str | None] = {"repository": None, "team_key": None, "path": None}
    targets[source.target_field] = source.target
    o = source.options
    return SourceOut(id=source.id, kind=source.kind.value, **targets, deployment_patterns=list(o.deployment_patterns),
                     production_pattern=o.production_pattern, incident_labels=list(o.incident_labels),
                     incident_pattern=o.incident_pattern, token_set=source.sealed_token is not None,
                     created_at=source.created_at, updated_at=source.updated_at)


def _fields(body: SourceOptionsIn) -> SourceFields:
    """The fields sent; a null option keeps its value."""
    sent = {name: getattr(body, name) for name in body.model_fields_set if name != "kind"}
    kept = {name: value for name, value in sent.items()
            if value is not None or name in ("token", "repository", "team_key", "path")}
    return cast(SourceFields, kept)  # the body's field names are SourceFields' keys (SourceOptionsIn mirrors it)


@router.post("/sources", status_code=201, response_model=SourceOut, responses=responses(401, 422))
async def create_source(body: SourceIn, caller: LiveSession,
                        create: CreateSource = use(Delivery.create_source)) -> SourceOut:
    """Add a source. Nothing contacts the provider until the first sync, whose errors (a bad token, an unknown
    repository) show on the sync. Setting a token checks the session in the database."""
    return source_out(await create(caller.account_id, kind=body.kind, **_fields(body)))


@router.get("/sources", response_model=SourcePage, responses=responses(401, 422))
async def list_sources(
    caller: Caller, cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50, list_: ListSources = use(Delivery.list_sources),
) -> SourcePage:
    """Your sources, oldest first."""
    page = await list_(caller.account_id, cursor=cursor, limit=limit)
    return SourcePage(items=[source_out(s) for s in page.items], next_cursor=page.next_cursor)


@router.get("/sources/{source_id:uuid}", response_model=SourceOut, responses=responses(401, 404))
async def get_source(source_id: UUID, caller: Caller, get: GetSource = use(Delivery.get_source)) -> SourceOut:
    """One of your sources (its token never shows: `token_set`)."""
    return source_out(await get(caller.account_id, source_id))


@router.patch("/sources/{source_id:uuid}", response_model=SourceOut, responses=responses(401, 404, 422))
async def update_source(source_id: UUID, body: SourcePatch, caller: LiveSession,
                        update: UpdateSource = use(Delivery.update_source)) -> SourceOut:
    """Change the target, options or token. A new target or new options delete what was synced from the source
    (the next sync rebuilds it by the new rules); a new token does not."""
    return source_out(await update(caller.account_id, source_id, **_fields(body)))


@router.delete("/sources/{source_id:uuid}", status_code=204, response_class=Response, responses=responses(401, 404))
async def delete_source(source_id: UUID, caller: Caller, delete: DeleteSource = use(Delivery.delete_source)) -> Response:
    """Delete a source with its syncs and everything synced from it."""
    await delete(caller.account_id, source_id)
    return no_content()
