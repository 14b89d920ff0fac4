"""Domain events: facts one context announces, so that others react without being called by it."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened; each kind is a frozen dataclass named in the past tense (AccountOpened)."""
