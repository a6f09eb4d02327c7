"""Which companies exist, as far as the sync knows: 1C GUID → the ``b2b_companies`` row ID.

Built from what the companies job remembered (``store.known_in_scope("companies", "")``):
only rows Bitrix confirmed. A company the companies job deactivated is remembered with
``deleted=True`` and counts as inactive.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ._ports import Known, SyncStore


@dataclass(frozen=True)
class CompanyRef:
    guid: str
    bitrix_id: int
    active: bool


class CompanyMap:
    def __init__(self, companies: dict[str, CompanyRef]) -> None:
        self._by_guid = companies
        self._by_id = {c.bitrix_id: c for c in companies.values()}

    @classmethod
    def load(cls, store: SyncStore) -> CompanyMap:
        return cls.from_known(store.known_in_scope("companies", "").values())

    @classmethod
    def from_known(cls, known: Iterable[Known]) -> CompanyMap:
        out: dict[str, CompanyRef] = {}
        for record in known:
            if record.bitrix_id is not None:
                out[record.key] = CompanyRef(record.key, record.bitrix_id, not record.deleted)
        return cls(out)

    def get(self, guid: str) -> CompanyRef | None:
        return self._by_guid.get(guid)

    def by_bitrix_id(self, bitrix_id: int) -> CompanyRef | None:
        return self._by_id.get(bitrix_id)

    def resolve(self, selector: str) -> CompanyRef | None:
        """A company named by its 1C GUID (any case) or its Bitrix row ID (digits)."""
        text = selector.strip()
        if text.isdigit():
            return self.by_bitrix_id(int(text))
        return self.get(text.lower())

    def active(self) -> list[CompanyRef]:
        """Active companies in a stable order (by Bitrix row ID)."""
        return sorted((c for c in self._by_guid.values() if c.active), key=lambda c: c.bitrix_id)

    def __len__(self) -> int:
        return len(self._by_guid)

    def __iter__(self) -> Iterator[CompanyRef]:
        return iter(self._by_guid.values())
