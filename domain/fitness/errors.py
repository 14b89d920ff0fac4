"""Fitness errors and the broken-rule record every draft validation returns."""

from dataclasses import dataclass

from domain.shared.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule of a draft: `rule` is a stable code, `detail` says where and why."""

    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


class PlanInfeasible(InvalidValue):
    """No plan meets the rules with this profile; `field` names the profile field to change."""

    code = "plan_infeasible"
    title = "No plan meets the rules"
    location = "profile"  # the field named is one of the fitness profile's, not of the request
