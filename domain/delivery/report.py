"""All four DORA metrics of one period, from the records of the chosen sources."""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.delivery.benchmarks import Benchmark
from domain.delivery.attribution import failures, shipped_by_commit
from domain.delivery.metrics import (
    ChangeFailureRate, DeploymentFrequency, FailedDeploymentRecoveryTime, LeadTimeForChanges, Scope,
    change_failure_rate, deployment_frequency, failed_deployment_recovery_time, lead_time_for_changes,
)
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident
from domain.delivery.window import Granularity, Window


@dataclass(frozen=True, slots=True)
class History:
    """Every record of the sources a report covers (the metrics pick the period themselves)."""

    deployments: Sequence[Deployment] = ()
    changes: Sequence[Change] = ()
    incidents: Sequence[Incident] = ()
    deployed_commits: Sequence[DeployedCommit] = ()


@dataclass(frozen=True, slots=True)
class DoraReport:
    deployment_frequency: DeploymentFrequency
    lead_time_for_changes: LeadTimeForChanges
    change_failure_rate: ChangeFailureRate
    failed_deployment_recovery_time: FailedDeploymentRecoveryTime


def dora_report(history: History, window: Window, granularity: Granularity, benchmark: Benchmark) -> DoraReport:
    scope = Scope.of(history.deployments, window, granularity)
    shipped = shipped_by_commit(scope.production, history.deployed_commits)
    found = failures(history.incidents, scope.production)
    known = bool(history.incidents)
    return DoraReport(
        deployment_frequency(scope, benchmark),
        lead_time_for_changes(scope, history.changes, shipped, benchmark),
        change_failure_rate(scope, found, known, benchmark),
        failed_deployment_recovery_time(scope, found, known, benchmark),
    )
