"""Which companies exist, as far as the sync knows: 1C GUID → the ``b2b_companies`` row ID.

Built from what the companies job remembered (``store.known_in_scope("companies", "")``):
only rows Bitrix confirmed. A company the companies job deactivated is remembered with
``deleted=True`` and counts as inactive.

Bitrix's ``b2b_companies`` is the truth about companies; the store only remembers it. When
the store has no companies at all (a new host, a run from another directory, the hourly credit
timer firing before the daily companies timer), :meth:`CompanyMap.build` reads the block and
remembers every row under the hash the companies job would give it (:func:`owned_fields`), so
the companies job does not rewrite what is already there. A job that meets a GUID its map does
not know asks Bitrix once more (:meth:`CompanyMap.refresh`) before it calls the record a stranger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import structlog

from bitrix_client import BitrixClient

from ._hash import content_hash
from ._hl import COMPANIES
from ._ports import Known, SyncStore
from ._streams import closing
from ._values import EMPTY, to_int

log = structlog.get_logger()

FEED = "companies"
SELECT = ("ID", "UF_XML_ID", "UF_NAME", "UF_INN", "UF_KPP", "UF_ACTIVE")


def owned_fields(
    guid: str, name: str, inn: str | None, kpp: str | None, active: bool
) -> dict[str, Any]:
    """The ``b2b_companies`` fields b2bsync owns, as sent (``UF_UPDATED_AT`` aside): what the
    companies job hashes, built the same way from a 1C counterparty or a Bitrix row."""
    return {
        "UF_XML_ID": guid,
        "UF_NAME": name,
        "UF_INN": inn or EMPTY,
        "UF_KPP": kpp or EMPTY,
        "UF_ACTIVE": 1 if active else 0,
    }


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def known_from_row(row: dict[str, Any]) -> Known | None:
    """A ``b2b_companies`` row as the companies job would have remembered it (None without a
    GUID or an ID: a row b2bsync did not write)."""
    guid = _text(row.get("UF_XML_ID")).lower()
    row_id = to_int(row.get("ID"))
    if not guid or row_id is None:
        return None
    active = to_int(row.get("UF_ACTIVE")) != 0
    fields = owned_fields(
        guid, _text(row.get("UF_NAME")), _text(row.get("UF_INN")), _text(row.get("UF_KPP")), active
    )
    return Known(guid, content_hash(fields), row_id, "", not active)


async def read_companies(bitrix: BitrixClient) -> list[dict[str, Any]]:
    """Every ``b2b_companies`` row (the fields b2bsync owns, with the row ID)."""
    async with closing(bitrix.bridge.items(COMPANIES, select=list(SELECT))) as stream:
        return [row async for row in stream]


@dataclass(frozen=True)
class CompanyRef:
    guid: str
    bitrix_id: int
    active: bool


class CompanyMap:
    def __init__(self, companies: dict[str, CompanyRef], *, source: str = "store") -> None:
        self._by_guid = companies
        self._by_id = {c.bitrix_id: c for c in companies.values()}
        self.source = source
        self.refreshed = False

    @classmethod
    def load(cls, store: SyncStore) -> CompanyMap:
        return cls.from_known(store.known_in_scope(FEED, "").values())

    @classmethod
    def from_known(cls, known: Iterable[Known], *, source: str = "store") -> CompanyMap:
        out: dict[str, CompanyRef] = {}
        for record in known:
            if record.bitrix_id is not None:
                out[record.key] = CompanyRef(record.key, record.bitrix_id, not record.deleted)
        return cls(out, source=source)

    @classmethod
    async def build(cls, store: SyncStore, bitrix: BitrixClient) -> CompanyMap:
        """The store's map; rebuilt from ``b2b_companies`` when the store knows no company."""
        known = store.known_in_scope(FEED, "")
        if known:
            return cls.from_known(known.values())
        made = cls({}, source="bitrix")
        await made.refresh(store, bitrix)
        return made

    async def refresh(self, store: SyncStore, bitrix: BitrixClient) -> int:
        """Read ``b2b_companies`` again (once per map) and take it as the truth: rows the store
        did not know, or knew under another ID or active flag, are remembered. Returns how many
        rows the store learnt."""
        if self.refreshed:
            return 0
        self.refreshed = True
        rows = [k for row in await read_companies(bitrix) if (k := known_from_row(row))]
        remembered = store.known(FEED, [k.key for k in rows])
        learnt = [
            k
            for k in rows
            if (old := remembered.get(k.key)) is None
            or (old.bitrix_id, old.deleted) != (k.bitrix_id, k.deleted)
        ]
        if learnt:
            store.remember(FEED, learnt)
            log.info("sync.companies.learnt_from_bitrix", companies=len(learnt))
        for record in rows:
            ref = CompanyRef(record.key, record.bitrix_id or 0, not record.deleted)
            stale = self._by_guid.get(ref.guid)
            if stale is not None:
                self._by_id.pop(stale.bitrix_id, None)
            self._by_guid[ref.guid] = ref
            self._by_id[ref.bitrix_id] = ref
        return len(learnt)

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
