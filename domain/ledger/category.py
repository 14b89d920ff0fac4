"""Categories: an owner's named, colored labels for expenses; every account starts with six."""

import re
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.shared.text import normalize_text
from domain.shared.errors import Conflict, InvalidValue, NotFound

NAME_MAX = 50
DEFAULT_COLOR, DEFAULT_ICON = "#9CA3AF", "tag"
DEFAULT_CATEGORIES = (
    ("Food", "#F59E0B", "utensils"),
    ("Transport", "#3B82F6", "car"),
    ("Shopping", "#EC4899", "shopping-bag"),
    ("Bills", "#6366F1", "receipt"),
    ("Entertainment", "#8B5CF6", "film"),
    ("Health", "#10B981", "heart-pulse"),
)
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_ICON = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def normalize_category_name(value: str, field: str = "name") -> str:
    """Return the name trimmed; 1-50 characters."""
    name = normalize_text(value, field, NAME_MAX)
    if name is None:
        raise InvalidValue(field, "must not be empty")
    return name


def normalize_color(value: str) -> str:
    """Return a `#RRGGBB` color upper-cased."""
    if not isinstance(value, str) or not _COLOR.fullmatch(value.strip()):
        raise InvalidValue("color", "must be a color like #1A2B3C")
    return value.strip().upper()


def check_icon(value: str) -> str:
    """Return an icon name: 1-50 lowercase letters, digits and inner hyphens, like shopping-bag."""
    if not isinstance(value, str) or len(value) > 50 or not _ICON.fullmatch(value):
        raise InvalidValue("icon", "must be an icon name like shopping-bag (a-z, 0-9, '-')")
    return value


@dataclass(frozen=True, slots=True)
class Category:
    id: UUID
    owner_id: UUID
    name: str
    color: str
    icon: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, name: str, now: datetime,
        color: str = DEFAULT_COLOR, icon: str = DEFAULT_ICON,
    ) -> "Category":
        return cls(
            id=id, owner_id=owner_id, name=normalize_category_name(name),
            color=normalize_color(color), icon=check_icon(icon), created_at=now, updated_at=now,
        )

    def edit(
        self, *, now: datetime, name: str | None = None, color: str | None = None, icon: str | None = None
    ) -> "Category":
        return replace(
            self,
            name=self.name if name is None else normalize_category_name(name),
            color=self.color if color is None else normalize_color(color),
            icon=self.icon if icon is None else check_icon(icon),
            updated_at=now,
        )


def unknown_category(field: str) -> InvalidValue:
    """The error for a category id that is missing or someone else's, named in a request body."""
    return InvalidValue(field, "is not one of your categories", code="unknown_category")


class CategoryNotFound(NotFound):
    code = "category_not_found"

    def __init__(self) -> None:
        super().__init__("the category does not exist")


class CategoryNameTaken(Conflict):
    code = "category_name_taken"

    def __init__(self) -> None:
        super().__init__("you already have a category with this name")


class CategoryHasExpenses(Conflict):
    code = "category_has_expenses"

    def __init__(self) -> None:
        super().__init__("the category has expenses; pass reassign_to with another category's id to move them")


class CategoryHasBudgets(Conflict):
    code = "category_has_budgets"

    def __init__(self) -> None:
        super().__init__("a budget uses this category; delete the budget or change its category first")
