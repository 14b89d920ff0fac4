"""Source options: patterns that cannot stall the process, labels, repositories, and git paths under the roots."""

import os
import re
from pathlib import Path

import pytest

from domain.delivery.patterns import SUBJECT_MAX, compile_pattern, search
from domain.delivery.source import (
    SourceOptions, check_git_path, check_repository, check_team_key, is_version_tag, parse_git_roots,
    parse_source_kind,
)
from domain.shared.errors import InvalidValue


def test_defaults_match_the_issue() -> None:
    rules = SourceOptions.create().rules()

    assert rules.is_deployment("Deploy to prod") and rules.is_deployment(None, "RELEASE v2")
    assert rules.is_deployment("npm Publish") and not rules.is_deployment("CI", "tests")
    assert rules.is_production("Production") and not rules.is_production("staging")
    assert rules.is_incident_subject('Revert "Add search"') and rules.is_incident_subject("hotfix: null id")
    assert not rules.is_incident_subject("Fix revert button")
    assert rules.has_incident_label(["bug", "Incident"]) and not rules.has_incident_label(["bug"])


def test_options_accept_comma_separated_patterns_and_trim_labels() -> None:
    options = SourceOptions.create(deployment_patterns="ship, deploy ,ship", incident_labels=[" sev1 ", "SEV1", "outage"])

    assert options.deployment_patterns == ("ship", "deploy")
    assert options.incident_labels == ("sev1", "SEV1", "outage")
    assert options.rules().has_incident_label(["Outage"])


@pytest.mark.parametrize(("field", "value"), [
    ("deployment_patterns", "(a+)+$"), ("deployment_patterns", ["(a|aa)*b"]), ("production_pattern", "(x*)*"),
    ("incident_pattern", r"(a)\1"), ("incident_pattern", "(?P<x>a)(?P=x)"), ("production_pattern", "a*b*c*"),
    ("production_pattern", "x" * 201), ("production_pattern", "("), ("production_pattern", ""),
    ("incident_pattern", "(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)"), ("production_pattern", "((ab)+c)+"),
    ("production_pattern", ".*(eu|us|ap).*"), ("deployment_patterns", ["(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q)"]),
    ("deployment_patterns", []), ("deployment_patterns", [f"x{i}" for i in range(21)]), ("deployment_patterns", 7),
    ("incident_labels", "incident"), ("incident_labels", []), ("incident_labels", ["a\x00b"]),
    ("incident_labels", ["x" * 101]), ("production_pattern", "a{4294967296}"),
])
def test_bad_options_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidValue) as error:
        SourceOptions.create(**{field: value})
    assert error.value.field == field


@pytest.mark.parametrize("pattern", [
    "(?i)prod", "^(Revert|hotfix)", r"^v\d+\.\d+", "deploy-(eu|us)-prod", "(?:ab)+c", "a{2}b{3}c{4}", "[(|*]+x",
    ".*(eu|us).*", "(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p)",
    r"\(literal\)+",
])
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert isinstance(compile_pattern(pattern, "production_pattern"), re.Pattern)


def test_patterns_only_see_the_first_characters_of_a_name() -> None:
    pattern = compile_pattern("prod$", "production_pattern")

    assert search(pattern, "x" * (SUBJECT_MAX - 4) + "prod")
    assert not search(pattern, "x" * SUBJECT_MAX + "prod")


@pytest.mark.parametrize(("name", "version"), [
    ("v1.2.3", True), ("1.2", True), ("V10.0.0.1", True), ("v1.2.3-rc1", False), ("v1", False), ("latest", False),
])
def test_version_tags(name: str, version: bool) -> None:
    assert is_version_tag(name) is version


def test_repositories_team_keys_and_kinds() -> None:
    assert check_repository(" octo-org/my.repo_1 ") == "octo-org/my.repo_1"
    assert check_team_key("eng") == "ENG"
    assert parse_source_kind("git") == "git"
    for bad in ("octo", "octo/", "/repo", "octo/repo/x", "octo/..", "-octo/repo", 7, None):
        with pytest.raises(InvalidValue) as error:
            check_repository(bad)
        assert error.value.field == "repository"
    for bad_key in ("", "EN G", "ENGINEERING1", None):
        with pytest.raises(InvalidValue):
            check_team_key(bad_key)
    with pytest.raises(InvalidValue) as kind_error:
        parse_source_kind("gitlab")
    assert kind_error.value.field == "kind"


def test_git_roots_are_colon_separated() -> None:
    assert parse_git_roots("/srv/repos::/data/git:") == ("/srv/repos", "/data/git")


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "repos", tmp_path / "secret"
    (root / "app").mkdir(parents=True)
    outside.mkdir()
    return root, outside


def test_a_path_under_a_root_is_returned_resolved(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    assert check_git_path(str(root / "app"), [str(root)]) == os.path.realpath(root / "app")
    assert check_git_path(str(root / "app" / ".." / "app"), ["/nowhere", str(root)]) == os.path.realpath(root / "app")


def test_escapes_from_the_roots_are_refused(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    (root / "link").symlink_to(outside)
    (root / "app" / "up").symlink_to(root.parent)
    attempts = [
        str(root / ".." / "secret"), str(root / "link"), str(root / "link" / "x"), str(root / "app" / "up" / "secret"),
        str(root), str(root) + "-sibling", "/etc", "relative/app", "", "\0", str(root / "app") + "\0",
        "/" + "a" * 5000,
    ]
    (root.parent / "repos-sibling").mkdir()
    for attempt in attempts:
        with pytest.raises(InvalidValue) as error:
            check_git_path(attempt, [str(root)])
        assert error.value.field == "path"
        assert str(outside) not in error.value.detail


def test_a_root_that_is_a_symlink_is_resolved_too(roots: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = roots
    (tmp_path / "alias").symlink_to(root)
    assert check_git_path(str(root / "app"), [str(tmp_path / "alias")]) == os.path.realpath(root / "app")
