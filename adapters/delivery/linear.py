"""Linear as a delivery source (GraphQL over plain httpx): a team's issues that carry an incident label.

Issues updated since the last completed run are read in `updatedAt` order with GraphQL cursors; every page's
state holds its `endCursor`, so a run that fails resumes after the last committed page. Issues that no longer
qualify (label removed, cancelled) come back as `removed` keys. Linear's RATELIMITED errors are waited out
within the run's budget.
"""

import json
from collections.abc import AsyncIterator
from typing import Any, final

from adapters.delivery.http import ProviderClient, Sleep, dig, json_body, parse_time
from application.delivery.ports import (
    IssueTracker, Page, ResourceState, SourceReader, SourceRejected, SourceUnavailable,
)
from application.shared.clock import Clock
from domain.delivery.records import Incident, Record, clip
from domain.delivery.source import SourceOptions, check_team_key

API = "https://api.linear.app/graphql"
PAGE_SIZE = 50
ATTEMPTS = 5
RATE_LIMIT_BACKOFF = 60.0
_TEAM = "query DeliveryTeam($key: String!) { teams(filter: {key: {eq: $key}}) { nodes { id } } }"
_ISSUES = """query DeliveryIncidents($filter: IssueFilter!, $after: String) {
  issues(first: %d, after: $after, filter: $filter, orderBy: updatedAt) {
    nodes { id identifier title createdAt updatedAt completedAt canceledAt labels(first: 50) { nodes { name } } }
    pageInfo { hasNextPage endCursor }
  }
}""" % PAGE_SIZE


@final
class LinearSource(IssueTracker, SourceReader):
    """One team's incidents, read with one API key (sent as is) or OAuth token (sent as a Bearer token)."""

    resource = "linear.issues"
    snapshot = False

    def __init__(
        self, team_key: str, token: str, options: SourceOptions, *, url: str = API, timeout: float = 30.0,
        max_wait: float = 300.0, max_pages: int = 50, clock: Clock | None = None, sleep: Sleep | None = None,
    ) -> None:
        self._team, self._rules, self._url, self._max_pages = check_team_key(team_key), options.rules(), url, max_pages
        authorization = token if token.startswith("lin_api_") else f"Bearer {token}"
        headers = {"Authorization": authorization, "Content-Type": "application/json", "User-Agent": "Atrium-Delivery"}
        extra = {} if sleep is None else {"sleep": sleep}

        def client() -> ProviderClient:
            return ProviderClient(provider="Linear", base_url=url, headers=headers, timeout=timeout, max_wait=max_wait,
                                  clock=clock, not_found="Linear's API was not found at the configured address (404)",
                                  **extra)

        self._client = client

    def __repr__(self) -> str:
        return f"LinearSource({self._team!r})"

    def readers(self) -> tuple["LinearSource", ...]:
        return (self,)

    async def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        saved = _cursor(state.cursor)
        since, after, top = saved.get("since"), saved.get("after"), saved.get("top")
        async with self._client() as client:
            teams = await self._query(client, _TEAM, {"key": self._team})
            if not dig(teams, "teams", "nodes"):
                raise SourceRejected(f"Linear has no team {self._team}, or the key cannot see it")
            issue_filter: dict[str, Any] = {"team": {"key": {"eq": self._team}}}
            if since:
                issue_filter["updatedAt"] = {"gt": since}
            for _ in range(self._max_pages):
                data = await self._query(client, _ISSUES, {"filter": issue_filter, "after": after})
                nodes = dig(data, "issues", "nodes")
                info = dig(data, "issues", "pageInfo")
                if not isinstance(nodes, list) or not isinstance(info, dict):
                    raise SourceUnavailable("Linear answered without the issues asked for")
                records: list[Record] = []
                removed: list[str] = []
                for node in nodes:
                    if not isinstance(node, dict) or not isinstance(node.get("id"), str):
                        continue
                    updated = node.get("updatedAt")
                    if isinstance(updated, str) and (top is None or updated > top):
                        top = updated
                    incident = self._incident(node)
                    if incident is None:
                        removed.append(node["id"])
                    else:
                        records.append(incident)
                end = info.get("endCursor")
                after = end if info.get("hasNextPage") and isinstance(end, str) else None
                if after is None:
                    yield Page(tuple(records), ResourceState(cursor=json.dumps({"since": top or since})),
                               tuple(removed))
                    return
                state_now = ResourceState(cursor=json.dumps({"since": since, "after": after, "top": top}))
                yield Page(tuple(records), state_now, tuple(removed))

    def _incident(self, node: dict[str, Any]) -> Incident | None:
        labels = [label.get("name") for label in dig(node, "labels", "nodes") or [] if isinstance(label, dict)]
        created = parse_time(node.get("createdAt"))
        if node.get("canceledAt") or created is None or not self._rules.has_incident_label(
            [name for name in labels if isinstance(name, str)]
        ):
            return None
        title = clip(f"{node.get('identifier') or ''} {node.get('title') or ''}")
        return Incident(node["id"], title, created, parse_time(node.get("completedAt")))

    async def _query(self, client: ProviderClient, query: str, variables: dict[str, Any]) -> Any:
        for _ in range(ATTEMPTS):
            response = await client.request("POST", self._url, body={"query": query, "variables": variables},
                                            ok=(200, 400))
            body = json_body(response, "Linear") if response is not None else None
            errors = body.get("errors") if isinstance(body, dict) else None
            codes = {dig(error, "extensions", "code") for error in errors or [] if isinstance(error, dict)}
            if "RATELIMITED" in codes:
                reset = response.headers.get("x-ratelimit-requests-reset") if response is not None else None
                await client.wait(self._until(client, reset), "Linear's rate limit is exhausted")
                continue
            if "AUTHENTICATION_ERROR" in codes:
                raise SourceRejected("Linear refused the API key: check that it is valid and not revoked")
            if "FORBIDDEN" in codes:
                raise SourceRejected("Linear refused access: the key cannot read this team's issues")
            if errors or not isinstance(body, dict) or not isinstance(body.get("data"), dict):
                raise SourceUnavailable("Linear answered with an error")
            return body["data"]
        raise SourceUnavailable("Linear kept rate limiting this source")

    def _until(self, client: ProviderClient, reset_ms: str | None) -> float:
        """Seconds until Linear's reset time (epoch milliseconds), or a minute when it gave none."""
        try:
            return float(reset_ms) / 1000 - client.now().timestamp() + 1 if reset_ms else RATE_LIMIT_BACKOFF
        except ValueError:
            return RATE_LIMIT_BACKOFF


def _cursor(text: str | None) -> dict[str, str | None]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        value = {}
    if not isinstance(value, dict):
        return {}
    return {key: item for key, item in value.items() if isinstance(item, str) and key in ("since", "after", "top")}
