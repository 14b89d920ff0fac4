"""The delivery demo seeder, on both storages: a six-month git history synced into real numbers; a rerun adds
nothing."""

from datetime import timedelta

from application.delivery.metrics import PeriodQuery
from entrypoints.demo.delivery import REPOSITORY, seed_delivery
from tests.api.delivery_support import container, roots  # noqa: F401 (fixtures)


async def test_the_demo_repository_gives_every_metric_a_value_and_a_rerun_adds_nothing(container, roots, clock):
    account = await container.identity.register_account()(email="demo@example.com", username="demo",
                                                          password="correct horse", time_zone="Europe/Oslo")
    await seed_delivery(container, account)
    first = await container.delivery.list_sources()(account.id)
    await seed_delivery(container, account)
    again = await container.delivery.list_sources()(account.id)
    today = clock.now().date()
    metrics = await container.delivery.metrics()(account.id, PeriodQuery(first=today - timedelta(days=182)))

    assert [s.id for s in again.items] == [s.id for s in first.items] and len(first.items) == 1
    assert (roots / REPOSITORY / ".git").is_dir()
    report = metrics.report
    assert report.deployment_frequency.deployments > 50 and report.deployment_frequency.band is not None
    assert report.lead_time_for_changes.median_hours is not None and report.lead_time_for_changes.changes > 200
    assert report.change_failure_rate.failed_deployments == 6 and report.change_failure_rate.value is not None
    assert report.failed_deployment_recovery_time.median_hours is not None
