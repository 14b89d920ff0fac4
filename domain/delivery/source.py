"""Delivery sources: where deployments, changes and incidents come from, and the rules that classify them."""

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.delivery.patterns import compile_pattern, search
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.text import normalize_text

DEFAULT_DEPLOYMENT_PATTERNS = ("deploy", "release", "publish")
DEFAULT_PRODUCTION_PATTERN = "(?i)prod"
DEFAULT_INCIDENT_LABELS = ("incident",)
DEFAULT_INCIDENT_PATTERN = "^(Revert|hotfix)"
PATTERNS_MAX, LABELS_MAX, LABEL_MAX, PATH_MAX = 20, 20, 100, 4096
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_TEAM_KEY = re.compile(r"[A-Za-z0-9]{1,10}")
_VERSION_TAG = re.compile(r"[vV]?\d{1,9}(?:\.\d{1,9}){1,3}")


class SourceKind(StrEnum):
    GITHUB = "github"
    LINEAR = "linear"
    GIT = "git"


def parse_source_kind(value: object) -> SourceKind:
    try:
        return SourceKind(str(value))
    except ValueError:
        raise InvalidValue("kind", "must be github, linear or git") from None


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """How a source's records are classified; patterns are kept as text and compiled on use."""

    deployment_patterns: tuple[str, ...] = DEFAULT_DEPLOYMENT_PATTERNS
    production_pattern: str = DEFAULT_PRODUCTION_PATTERN
    incident_labels: tuple[str, ...] = DEFAULT_INCIDENT_LABELS
    incident_pattern: str = DEFAULT_INCIDENT_PATTERN

    @classmethod
    def create(
        cls, *, deployment_patterns: object = None, production_pattern: object = None,
        incident_labels: object = None, incident_pattern: object = None,
    ) -> "SourceOptions":
        """Return checked options; None keeps a default. `deployment_patterns` may be a list or comma-separated text."""
        options = cls(
            deployment_patterns=DEFAULT_DEPLOYMENT_PATTERNS if deployment_patterns is None
            else _deployment_patterns(deployment_patterns),
            production_pattern=DEFAULT_PRODUCTION_PATTERN if production_pattern is None else _text(production_pattern),
            incident_labels=DEFAULT_INCIDENT_LABELS if incident_labels is None else _labels(incident_labels),
            incident_pattern=DEFAULT_INCIDENT_PATTERN if incident_pattern is None else _text(incident_pattern),
        )
        options.rules()  # compiles every pattern, raising InvalidValue for a bad one
        return options

    def rules(self) -> "Rules":
        return Rules(
            deployment=tuple(
                compile_pattern(p, "deployment_patterns", ignore_case=True) for p in self.deployment_patterns
            ),
            production=compile_pattern(self.production_pattern, "production_pattern"),
            incident_labels=frozenset(label.casefold() for label in self.incident_labels),
            incident=compile_pattern(self.incident_pattern, "incident_pattern"),
        )


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled options: the only place records are classified."""

    deployment: tuple[re.Pattern[str], ...]
    production: re.Pattern[str]
    incident_labels: frozenset[str]
    incident: re.Pattern[str]

    def is_deployment(self, *names: str | None) -> bool:
        """Whether any of the names (workflow, release, tag) matches a deployment pattern, ignoring case."""
        return any(name and search(pattern, name) for name in names for pattern in self.deployment)

    def is_production(self, environment: str) -> bool:
        return search(self.production, environment)

    def is_incident_subject(self, subject: str) -> bool:
        return search(self.incident, subject)

    def has_incident_label(self, labels: Iterable[str]) -> bool:
        return any(label.casefold() in self.incident_labels for label in labels)


def is_version_tag(name: str) -> bool:
    """`v1.2`, `1.2.3` or `v1.2.3.4` (no pre-release suffix): a released version."""
    return _VERSION_TAG.fullmatch(name) is not None


def check_repository(value: object) -> str:
    """Return a GitHub `owner/name`."""
    name = value.strip() if isinstance(value, str) else ""
    if not _REPOSITORY.fullmatch(name) or name.split("/")[1] in (".", ".."):
        raise InvalidValue("repository", "must be a GitHub repository like owner/name")
    return name


def check_team_key(value: object) -> str:
    """Return a Linear team key like ENG, upper-cased."""
    if not isinstance(value, str) or not _TEAM_KEY.fullmatch(value.strip()):
        raise InvalidValue("team_key", "must be a Linear team key like ENG (1-10 letters or digits)")
    return value.strip().upper()


def parse_git_roots(value: str) -> tuple[str, ...]:
    """The colon-separated allowed roots (ATRIUM_DELIVERY_GIT_ROOTS); empty entries are ignored."""
    return tuple(root for root in value.split(":") if root.strip())


def check_git_path(value: object, roots: Sequence[str]) -> str:
    """Return the real path (symlinks and `..` resolved) if it lies under one of the real roots.

    Anything else is InvalidValue on `path`, which never says what exists on the server.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > PATH_MAX or "\0" in value:
        raise InvalidValue("path", "must be an absolute path to a git repository")
    if not os.path.isabs(value.strip()):
        raise InvalidValue("path", "must be an absolute path to a git repository")
    real = os.path.realpath(value.strip())
    for root in roots:
        real_root = os.path.realpath(root)
        if real != real_root and os.path.commonpath([real, real_root]) == real_root:
            return real
    raise InvalidValue("path", "must be a repository under the allowed git roots (ATRIUM_DELIVERY_GIT_ROOTS)")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""  # compile_pattern names the field and the rule


def _deployment_patterns(value: object) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise InvalidValue("deployment_patterns", "must be a list of patterns or comma-separated text")
    patterns = tuple(dict.fromkeys(item.strip() for item in items if item.strip()))
    if not patterns or len(patterns) > PATTERNS_MAX:
        raise InvalidValue("deployment_patterns", f"must have 1-{PATTERNS_MAX} patterns")
    return patterns


def _labels(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise InvalidValue("incident_labels", "must be a list of label names")
    labels = tuple(dict.fromkeys(
        label for item in value if (label := normalize_text(item, "incident_labels", LABEL_MAX)) is not None
    ))
    if not labels or len(labels) > LABELS_MAX:
        raise InvalidValue("incident_labels", f"must have 1-{LABELS_MAX} labels of at most {LABEL_MAX} characters")
    return labels


TOKEN_MAX = 1000


class SourceNotFound(NotFound):
    code = "source_not_found"
    title = "Delivery source not found"


def check_token(value: object) -> str:
    """Return a provider token: 1-1000 printable characters without spaces (it only ever goes in a header)."""
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= TOKEN_MAX:
        raise InvalidValue("token", f"must be 1-{TOKEN_MAX} characters")
    token = value.strip()
    if any(not char.isprintable() or char.isspace() for char in token):
        raise InvalidValue("token", "must not contain spaces or control characters")
    return token


@dataclass(frozen=True, slots=True)
class Source:
    """An account's source: where records come from (`target`: a repository, team key or real path), how they are
    classified, and its provider token sealed by the application (None: the server's default token, if any)."""

    id: UUID
    owner_id: UUID
    kind: SourceKind
    target: str
    options: SourceOptions
    sealed_token: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def target_field(self) -> str:
        """The name users give the target: repository, team_key or path."""
        return _TARGET_FIELDS[self.kind]

    def reads_differently(self, other: "Source") -> bool:
        """Whether `other` reads another target or classifies records otherwise (its synced data must be rebuilt)."""
        return (self.target, self.options) != (other.target, other.options)


_TARGET_FIELDS = {SourceKind.GITHUB: "repository", SourceKind.LINEAR: "team_key", SourceKind.GIT: "path"}


def check_target(kind: SourceKind, value: object, git_roots: Sequence[str]) -> str:
    """The checked repository (github), team key (linear) or real path under the roots (git)."""
    if kind is SourceKind.GITHUB:
        return check_repository(value)
    if kind is SourceKind.LINEAR:
        return check_team_key(value)
    return check_git_path(value, git_roots)


def target_field(kind: SourceKind) -> str:
    return _TARGET_FIELDS[kind]
