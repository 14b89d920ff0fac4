"""Typed partial edits: a `TypedDict(total=False)` names what may change, and nothing else may."""

from collections.abc import Mapping


def refuse_unknown(changes: Mapping[str, object], editable: type) -> None:
    """Raise TypeError for a change the TypedDict `editable` does not name (mypy checks typed callers; this checks
    the ones passing a dict along)."""
    unknown = changes.keys() - getattr(editable, "__annotations__", {}).keys()
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
