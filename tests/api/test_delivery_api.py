"""Delivery through the real routes on both storages: git sources built in tmp_path, syncs run as the scheduler
runs them, and the numbers DevLake's definitions give on hand-made histories."""

from datetime import UTC, datetime

from tests.api.delivery_support import (  # noqa: F401 (fixtures)
    METRICS, SOURCES, Repo, add_git_source, container, devlake_repo, roots, synced,
)
from tests.api.identity_support import user

JUNE = {"from": "2026-06-01", "to": "2026-06-30", "time_zone": "UTC"}


async def test_devlake_example_through_the_api_is_forty_percent(api, container, roots):
    ada = await user(api)
    source = await add_git_source(api, ada, devlake_repo(roots / "app").path)

    sync = await synced(api, container, ada, source)
    metrics = (await api.get(METRICS, params=JUNE, headers=ada)).json()

    assert sync["status"] == "succeeded" and sync["error"] is None
    assert sync["counts"] == {"deployments": 5, "changes": 8, "incidents": 3, "deployed_commits": 8, "removed": 0}
    cfr = metrics["change_failure_rate"]
    assert (cfr["value"], cfr["failed_deployments"], cfr["deployments"], cfr["band"]) == (0.4, 2, 5, "low")
    frequency = metrics["deployment_frequency"]
    assert (frequency["deployments"], frequency["deployment_days"], frequency["value"], frequency["band"]) == (
        5, 5, 1, "high")
    assert [p["deployment_days"] for p in frequency["series"]] == [2, 2, 1, 0, 0]
    lead = metrics["lead_time_for_changes"]
    assert (lead["value"], lead["changes"], lead["band"]) == (27.0, 8, "high")  # 20,21,21,27,…: the lower middle
    recovery = metrics["failed_deployment_recovery_time"]
    assert (recovery["value"], recovery["incidents"], recovery["band"]) == (72.0, 3, "medium")
    assert metrics["sources"] == [source["id"]] and metrics["benchmark"] == "2023"
    assert (await api.get(METRICS, params={**JUNE, "benchmark": "2024"}, headers=ada)).json()[
        "change_failure_rate"]["band"] == "medium"  # 2024: at most 40 %


async def test_the_lists_show_which_items_made_each_number(api, container, roots):
    ada = await user(api)
    source = await add_git_source(api, ada, devlake_repo(roots / "app").path)
    await synced(api, container, ada, source)

    deployments = (await api.get("/api/v1/delivery/deployments", params={**JUNE, "limit": 3}, headers=ada)).json()
    rest = (await api.get("/api/v1/delivery/deployments", params={**JUNE, "cursor": deployments["next_cursor"]},
                          headers=ada)).json()
    incidents = (await api.get("/api/v1/delivery/incidents", params=JUNE, headers=ada)).json()["items"]
    changes = (await api.get("/api/v1/delivery/changes", params=JUNE, headers=ada)).json()["items"]

    assert [d["key"] for d in deployments["items"] + rest["items"]] == [f"tag:v1.{n}.0" for n in range(5, 0, -1)]
    assert rest["next_cursor"] is None and all(d["counted"] for d in deployments["items"])
    assert [(i["title"], i["deployment_key"], i["recovery_hours"]) for i in incidents] == [
        ("hotfix: again", "tag:v1.4.0", 72.0), ('Revert "Feature 4"', "tag:v1.4.0", 72.0),
        ('Revert "Feature 2"', "tag:v1.2.0", 72.0)]
    assert sorted(c["lead_time_hours"] for c in changes) == [20.0, 21.0, 21.0, 27.0, 27.0, 27.0, 27.0, 27.0]
    assert {c["deployment_key"] for c in changes if c["title"] == "Feature 5"} == {"tag:v1.5.0"}


async def test_a_rerun_changes_nothing_and_a_completed_snapshot_drops_what_git_no_longer_holds(api, container, roots):
    ada = await user(api)
    repo = devlake_repo(roots / "app")
    source = await add_git_source(api, ada, repo.path)
    await synced(api, container, ada, source)

    again = await synced(api, container, ada, source)
    repo.git("tag", "-d", "v1.5.0")
    dropped = await synced(api, container, ada, source)
    metrics = (await api.get(METRICS, params=JUNE, headers=ada)).json()

    assert again["status"] == "succeeded" and again["counts"] == {
        "deployments": 0, "changes": 0, "incidents": 0, "deployed_commits": 0, "removed": 0}
    assert dropped["counts"]["removed"] == 4  # the tag, and that it shipped the last three commits
    assert metrics["deployment_frequency"]["deployments"] == 4
    assert metrics["change_failure_rate"]["value"] == 0.5  # v1.4's incidents stay, unresolved now
    assert metrics["failed_deployment_recovery_time"]["incidents"] == 1


async def test_a_week_across_the_daylight_saving_change_is_counted_in_the_accounts_zone(api, container, roots):
    ada = await user(api)
    assert (await api.patch("/api/v1/users/me", json={"time_zone": "Europe/Oslo"}, headers=ada)).status_code == 200
    repo = Repo(roots / "app")
    repo.commit("Start", "2026-03-20T10:00:00+01:00")
    repo.tag("v1.0.0", "2026-03-29T23:30:00+02:00")  # Sunday night in Oslo, after clocks went forward
    repo.commit("Next", "2026-03-29T23:40:00+02:00")
    repo.tag("v1.1.0", "2026-03-30T00:30:00+02:00")  # Monday 00:30 in Oslo: Sunday 22:30 in UTC
    source = await add_git_source(api, ada, repo.path)
    await synced(api, container, ada, source)

    oslo = (await api.get(METRICS, params={"from": "2026-03-23", "to": "2026-04-05"}, headers=ada)).json()
    utc = (await api.get(METRICS, params={"from": "2026-03-23", "to": "2026-04-05", "time_zone": "UTC"},
                         headers=ada)).json()

    assert oslo["time_zone"] == "Europe/Oslo"
    assert [p["deployments"] for p in oslo["deployment_frequency"]["series"]] == [1, 1]
    assert [p["deployments"] for p in utc["deployment_frequency"]["series"]] == [2, 0]


async def test_no_data_is_null_with_a_reason_never_zero(api, container, roots):
    ada = await user(api)
    empty = (await api.get(METRICS, params=JUNE, headers=ada)).json()
    repo = Repo(roots / "app")
    repo.commit("Only change", "2026-06-02T09:00:00+00:00")
    repo.tag("v1.0.0", "2026-06-02T10:00:00+00:00")
    await synced(api, container, ada, await add_git_source(api, ada, repo.path))
    quiet = (await api.get(METRICS, params=JUNE, headers=ada)).json()

    for metric in ("deployment_frequency", "lead_time_for_changes", "change_failure_rate",
                   "failed_deployment_recovery_time"):
        assert (empty[metric]["value"], empty[metric]["reason"]) == (None, "no deployments")
    assert (quiet["change_failure_rate"]["value"], quiet["change_failure_rate"]["reason"]) == (None, "no incidents")
    assert quiet["failed_deployment_recovery_time"]["reason"] == "no incidents"
    assert quiet["lead_time_for_changes"]["value"] == 1.0  # a deployment with one change


async def test_sources_check_their_target_and_never_show_a_token(api, container, roots, tmp_path):
    ada = await user(api)
    outside = tmp_path / "elsewhere"
    (roots / "link").parent.mkdir(parents=True)
    (roots / "link").symlink_to(outside)
    cases = [
        ({"kind": "git", "path": str(outside)}, "path"),
        ({"kind": "git", "path": str(roots / "link" / "app")}, "path"),  # a symlink out of the roots
        ({"kind": "git", "path": str(roots / ".." / "elsewhere")}, "path"),
        ({"kind": "git", "path": "repos/app"}, "path"),
        ({"kind": "git", "path": str(roots / "app"), "token": "t"}, "token"),
        ({"kind": "github"}, "repository"),
        ({"kind": "github", "repository": "not a repo"}, "repository"),
        ({"kind": "github", "repository": "o/app", "team_key": "ENG"}, "team_key"),
        ({"kind": "linear", "team_key": "E-N-G"}, "team_key"),
        ({"kind": "github", "repository": "o/app", "production_pattern": "(a+)+$"}, "production_pattern"),
        ({"kind": "svn", "path": "/x"}, "kind"),
    ]
    for body, field in cases:
        response = await api.post(SOURCES, json=body, headers=ada)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field], (body, response.text)

    created = await api.post(SOURCES, json={"kind": "github", "repository": "octo-org/app", "token": "ghp_s3cret"},
                             headers=ada)
    listed = await api.get(SOURCES, headers=ada)
    assert created.status_code == 201 and created.json()["token_set"] is True
    assert created.json()["deployment_patterns"] == ["deploy", "release", "publish"]
    assert "ghp_s3cret" not in created.text + listed.text
    cleared = await api.patch(f"{SOURCES}/{created.json()['id']}", json={"token": None}, headers=ada)
    assert cleared.json()["token_set"] is False


async def test_new_options_rebuild_the_synced_data_and_deleting_a_source_deletes_it(api, container, roots):
    ada = await user(api)
    source = await add_git_source(api, ada, devlake_repo(roots / "app").path)
    await synced(api, container, ada, source)

    patched = await api.patch(f"{SOURCES}/{source['id']}", json={"incident_pattern": "^hotfix"}, headers=ada)
    cleared = (await api.get(METRICS, params=JUNE, headers=ada)).json()
    resynced = await synced(api, container, ada, source)
    rebuilt = (await api.get(METRICS, params=JUNE, headers=ada)).json()
    deleted = await api.delete(f"{SOURCES}/{source['id']}", headers=ada)

    assert patched.status_code == 200 and patched.json()["incident_pattern"] == "^hotfix"
    assert cleared["deployment_frequency"]["reason"] == "no deployments"
    assert resynced["counts"]["incidents"] == 1
    assert rebuilt["change_failure_rate"]["value"] == 0.2
    assert deleted.status_code == 204
    assert (await api.get(f"/api/v1/delivery/syncs/{resynced['id']}", headers=ada)).status_code == 404
    gone = await api.get(METRICS, params={**JUNE, "source": source["id"]}, headers=ada)
    assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "source"


async def test_another_account_gets_404_on_every_delivery_id(api, container, roots):
    ada, bob = await user(api), await user(api, "bob")
    source = await add_git_source(api, ada, devlake_repo(roots / "app").path)
    sync = await synced(api, container, ada, source)
    path = f"{SOURCES}/{source['id']}"

    answers = [
        await api.get(path, headers=bob), await api.patch(path, json={"incident_pattern": "x"}, headers=bob),
        await api.delete(path, headers=bob), await api.post(f"{path}/syncs", headers=bob),
        await api.get(f"/api/v1/delivery/syncs/{sync['id']}", headers=bob),
    ]
    foreign = await api.get(METRICS, params={"source": source["id"]}, headers=bob)

    assert [a.status_code for a in answers] == [404] * 5
    assert foreign.status_code == 422 and foreign.json()["code"] == "unknown_source"
    assert (await api.get("/api/v1/delivery/deployments", params=JUNE, headers=bob)).json()["items"] == []
    assert (await api.get(path, headers=ada)).json()["incident_pattern"] == "^(Revert|hotfix)"


async def test_a_second_request_while_one_is_queued_answers_that_one(api, container, roots):
    ada = await user(api)
    source = await add_git_source(api, ada, devlake_repo(roots / "app").path)

    first = await api.post(f"{SOURCES}/{source['id']}/syncs", headers=ada)
    second = await api.post(f"{SOURCES}/{source['id']}/syncs", headers=ada)

    assert first.status_code == second.status_code == 202 and first.json()["id"] == second.json()["id"]
    assert datetime.fromisoformat(first.json()["requested_at"]).tzinfo is not None
    assert UTC
