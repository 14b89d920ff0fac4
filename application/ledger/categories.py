"""Use cases on an owner's categories."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.identity.events import AccountOpened
from domain.ledger.category import (
    DEFAULT_CATEGORIES, DEFAULT_COLOR, DEFAULT_ICON, Category, CategoryHasBudgets,
    CategoryHasExpenses, CategoryNotFound, unknown_category,
)
from domain.shared.errors import InvalidValue



async def require_category(uow: LedgerUnitOfWork, owner_id: UUID, category_id: UUID, field: str) -> Category:
    """Return the owner's category named in a request body; InvalidValue(unknown_category) otherwise."""
    category = await uow.categories.get(owner_id, category_id)
    if category is None:
        raise unknown_category(field)
    return category


async def add_default_categories(uow: LedgerUnitOfWork, owner_id: UUID, ids: IdGenerator, now: datetime) -> None:
    """Add the six default categories the owner does not have yet (by name, ignoring case)."""
    await uow.categories.add_missing([
        Category.create(id=ids.new_id(), owner_id=owner_id, name=name, color=color, icon=icon, now=now)
        for name, color, icon in DEFAULT_CATEGORIES
    ])


@dataclass
class AddDefaultCategories:
    """On AccountOpened: the new account starts with the default categories, in the registration's transaction."""

    ids: IdGenerator

    async def __call__(self, uow: LedgerUnitOfWork, event: AccountOpened) -> None:
        await add_default_categories(uow, event.account_id, self.ids, event.at)


@dataclass
class ListCategories:
    """Return the owner's categories ordered by name."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID) -> list[Category]:
        async with self.uow(account=owner_id) as uow:
            return await uow.categories.all(owner_id)


@dataclass
class CreateCategory:
    """Add a category; the name must be new to the owner, ignoring case (CategoryNameTaken)."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(
        self, owner_id: UUID, *, name: str, color: str | None = None, icon: str | None = None
    ) -> Category:
        category = Category.create(
            id=self.ids.new_id(), owner_id=owner_id, name=name, now=self.clock.now(),
            color=color or DEFAULT_COLOR, icon=icon or DEFAULT_ICON,
        )
        async with self.uow(account=owner_id) as uow:
            await uow.categories.add(category)
            await uow.commit()
        return category


@dataclass
class UpdateCategory:
    """Rename, recolor or change the icon of one of the owner's categories."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(
        self, owner_id: UUID, category_id: UUID, *,
        name: str | None = None, color: str | None = None, icon: str | None = None,
    ) -> Category:
        async with self.uow(account=owner_id) as uow:
            category = await uow.categories.get(owner_id, category_id)
            if category is None:
                raise CategoryNotFound()
            category = category.edit(now=self.clock.now(), name=name, color=color, icon=icon)
            await uow.categories.save(category)
            await uow.commit()
        return category


@dataclass
class DeleteCategory:
    """Delete a category; its expenses move to `reassign_to` in the same transaction, else CategoryHasExpenses.

    Returns how many expenses moved. A category a budget uses cannot be deleted (CategoryHasBudgets).
    """

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, category_id: UUID, *, reassign_to: UUID | None = None) -> int:
        async with self.uow(account=owner_id) as uow:
            if await uow.categories.get(owner_id, category_id) is None:
                raise CategoryNotFound()
            if reassign_to == category_id:
                raise InvalidValue("reassign_to", "must be another category than the one deleted")
            if reassign_to is not None:
                await require_category(uow, owner_id, reassign_to, "reassign_to")
            if await uow.budgets.uses_category(owner_id, category_id):
                raise CategoryHasBudgets()
            moved = 0
            if reassign_to is not None:
                moved = await uow.expenses.reassign_category(owner_id, category_id, reassign_to, self.clock.now())
            elif await uow.expenses.has_category(owner_id, category_id):
                raise CategoryHasExpenses()
            await uow.categories.remove(owner_id, category_id)
            await uow.commit()
        return moved

