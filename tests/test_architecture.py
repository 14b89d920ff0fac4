"""The project's shape: its own packages are imported, and the dependency rule holds."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["domain", "application", "adapters", "entrypoints"])
def test_top_level_packages_are_this_repositorys(package):
    module = __import__(package)
    assert Path(module.__file__).resolve().parent == ROOT / package


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_but_the_clock_adapter_reads_the_wall_clock():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("domain", "application", "adapters", "entrypoints")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "adapters" / "clock.py"
        and any(call in path.read_text() for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("))
    ]
    assert offenders == []
