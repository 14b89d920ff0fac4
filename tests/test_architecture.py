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


PRODUCTS = ("calendar", "ledger", "imaging", "fitness", "delivery")
# Adapters named for what they do rather than for their context.
ADAPTER_CONTEXTS = {"icalendar_codec": "calendar", "recurrence": "calendar", "notifiers": "calendar",
                    "csv_codec": "ledger"}


def _context(module: str) -> str | None:
    """The product context a module belongs to (identity and shared modules belong to none)."""
    parts = module.split(".")
    for part in parts[1:]:
        if part in PRODUCTS:
            return part
        if parts[0] == "adapters" and part in ADAPTER_CONTEXTS:
            return ADAPTER_CONTEXTS[part]
    return None


def test_contexts_never_import_each_other_in_any_layer():
    """Across layers too (application.calendar → domain.ledger), which import-linter's per-layer contracts miss;
    identity, which every context uses, imports no product context."""
    import grimp

    graph = grimp.build_graph("domain", "application", "adapters", "entrypoints")
    crossings = sorted(
        f"{importer} → {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if (source := _context(importer) or ("identity" if ".identity" in importer else None))
        and (target := _context(imported)) and target != source
    )
    assert crossings == []
