"""A scripted delivery source for sync tests: readers that yield given pages, fail where told, or wait."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from application.delivery.ports import Page, ResourceState
from domain.delivery.source import Source


@dataclass
class ScriptedReader:
    """Yields `script` from the page after the one whose state the run starts from; raises `fail` once `fail_at`
    pages were yielded; waits for `gate` (if set) first. Counts how many runs read it at once."""

    resource: str
    script: list[Page]
    snapshot: bool = False
    fail_at: int | None = None
    fail: Exception | None = None
    gate: asyncio.Event | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    states: list[ResourceState] = field(default_factory=list)
    now: int = 0
    most: int = 0

    async def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        self.states.append(state)
        self.now += 1
        self.most = max(self.most, self.now)
        self.started.set()
        try:
            if self.gate is not None:
                await self.gate.wait()
            start = next((n + 1 for n, page in enumerate(self.script) if state.cursor and page.state == state), 0)
            for number, page in enumerate(self.script[start:]):
                if number == self.fail_at and self.fail is not None:
                    raise self.fail
                yield page
        finally:
            self.now -= 1


@dataclass
class ScriptedSource:
    scripted: tuple[ScriptedReader, ...]

    def readers(self) -> tuple[ScriptedReader, ...]:
        return self.scripted


@dataclass
class ScriptedConnector:
    """Hands every source the same readers; remembers the tokens it was given."""

    readers: list[ScriptedReader]
    tokens: list[str | None] = field(default_factory=list)

    def connect(self, source: Source, token: str | None) -> ScriptedSource:
        self.tokens.append(token)
        return ScriptedSource(tuple(self.readers))
