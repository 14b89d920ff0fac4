"""Builds the reader of a configured source: GitHub and Linear over HTTP with the source's token (or the server's
default), git from the allowed roots."""

from typing import final

from collections.abc import Sequence

from adapters.delivery.git import GitRepository
from adapters.delivery.github import API as GITHUB_API
from adapters.delivery.github import GitHubSource
from adapters.delivery.linear import API as LINEAR_API
from adapters.delivery.linear import LinearSource
from application.delivery.ports import RecordSource, SourceConnector, SourceRejected
from application.shared.clock import Clock
from domain.delivery.source import Source, SourceKind


@final
class ProviderConnector(SourceConnector):
    def __init__(
        self, *, git_roots: Sequence[str], clock: Clock, github_token: str = "", linear_api_key: str = "",
        github_url: str = GITHUB_API, linear_url: str = LINEAR_API, timeout: float = 30.0, max_wait: float = 300.0,
    ) -> None:
        self._roots, self._clock = tuple(git_roots), clock
        self._defaults = {SourceKind.GITHUB: github_token, SourceKind.LINEAR: linear_api_key}
        self._github_url, self._linear_url = github_url, linear_url
        self._timeout, self._max_wait = timeout, max_wait

    def __repr__(self) -> str:
        return "ProviderConnector(<tokens hidden>)"

    def connect(self, source: Source, token: str | None) -> RecordSource:
        if source.kind is SourceKind.GIT:
            return GitRepository(source.target, roots=self._roots, options=source.options)
        token = token or self._defaults[source.kind]
        if source.kind is SourceKind.GITHUB:
            if not token:
                raise SourceRejected("GitHub needs a token: set one on the source, or ATRIUM_GITHUB_TOKEN on the server")
            return GitHubSource(source.target, token, source.options, base_url=self._github_url,
                                timeout=self._timeout, max_wait=self._max_wait, clock=self._clock)
        if not token:
            raise SourceRejected("Linear needs an API key: set one on the source, or ATRIUM_LINEAR_API_KEY on the server")
        return LinearSource(source.target, token, source.options, url=self._linear_url, timeout=self._timeout,
                            max_wait=self._max_wait, clock=self._clock)
