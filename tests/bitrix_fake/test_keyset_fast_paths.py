"""The fast paths give the general path's answers: lists read from an ``IdTable`` by id
ascending (keyset pages), unique-index / upsert lookups through the rows' hash maps, and the
answer encoder's shortcut for arrays that cannot be list-shaped."""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bitrix_client.fake import CallContext, FakeRestError, FakeSite
from bitrix_client.fake._bridge_query import list_rows, parse_query
from bitrix_client.fake._bridge_state import RowTable, unique_key
from bitrix_client.fake._envelope import php_view
from bitrix_client.fake._filters import Fields
from bitrix_client.fake._paging import IdTable
from bitrix_client.fake._php import is_list_shaped, php_key
from bitrix_client.fake._sale_common import list_answer

MSK = ZoneInfo("Europe/Moscow")
BASE = datetime(2026, 10, 1, 9, 0, tzinfo=MSK)
SALE_FIELDS: Fields = {
    "id": "integer",
    "statusId": "string",
    "comments": "string",
    "price": "double",
    "dateInsert": "datetime",
}
STATUSES = ["N", "PA", "pa", "F", ""]


def _sale_row(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": i,
        "statusId": rng.choice(STATUSES),
        "comments": rng.choice(["", "срочно", "Срочно!", "call back"]),
        "price": rng.choice([None, 0.0, 10.5, float(i % 40)]),
        "dateInsert": BASE + timedelta(hours=rng.randrange(0, 400)),
    }


def _table(count: int, seed: int, make: Any) -> IdTable[dict[str, Any]]:
    """``count`` rows with ids 1…count (or spread out) inserted in a shuffled order, a few of
    them deleted again."""
    rng = random.Random(seed)
    step = rng.choice([1, 1, 2, 3])
    order = list(range(step, step * count + 1, step))
    rng.shuffle(order)
    table: IdTable[dict[str, Any]] = IdTable()
    for i in order:
        table[i] = make(i, rng)
    for i in rng.sample(order, len(order) // 10):
        del table[i]
    return table


ID_VALUES = st.one_of(st.integers(-5, 320), st.sampled_from(["17", "10abc", "", None, 12.5]))
SALE_KEYS = st.sampled_from(
    [
        *(">id", ">=id", "<id", "<=id", "id", "=id", "!id", "@id", "><id", "!><id"),
        *("statusId", "!statusId", ">price", "<=price", "%comments", ">=dateInsert", "UF_X"),
    ]
)
SALE_VALUES = st.one_of(
    ID_VALUES,
    st.lists(st.integers(0, 320), max_size=6),
    st.sampled_from(["PA", "n", "срочно", "2026-10-05T09:00:00+03:00", "garbage"]),
)
SALE_ORDERS = st.sampled_from(
    [
        *(None, {}, {"id": "asc"}, {"id": "ASC", "price": "desc"}, {"id": "desc"}),
        *({"price": "asc"}, {"statusId": "desc", "id": "asc"}, {"ID": "asc"}, {"id": "x"}),
    ]
)
STARTS = st.sampled_from([None, -1, "-1", 0, 49, 50, 100, 150, 5000, "abc"])


def _ctx(site: FakeSite, params: dict[str, Any]) -> CallContext:
    return CallContext(site, "sale.order.list", params, 1, frozenset({"sale"}))


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(0, 260),
    seed=st.integers(0, 10_000),
    flt=st.dictionaries(SALE_KEYS, SALE_VALUES, max_size=3),
    order=SALE_ORDERS,
    start=STARTS,
)
def test_sale_list_from_an_id_table_equals_filter_and_sort(
    count: int, seed: int, flt: dict[str, Any], order: Any, start: Any
) -> None:
    site = FakeSite()
    table = _table(count, seed, _sale_row)
    params: dict[str, Any] = {"filter": flt, "start": start}
    if order is not None:
        params["order"] = order
    keys = list(SALE_FIELDS)

    fast = list_answer(_ctx(site, params), table, SALE_FIELDS, wrap="rows", keys=keys)
    general = list_answer(
        _ctx(site, params), list(table.values()), SALE_FIELDS, wrap="rows", keys=keys
    )

    assert fast == general


def test_keyset_chain_over_orders_reads_every_order_once() -> None:
    site = FakeSite()
    table = _table(1000, 3, _sale_row)
    seen: list[int] = []
    last = 0
    while True:
        params = {"order": {"id": "asc"}, "filter": {">id": last, "!statusId": "F"}, "start": -1}
        page = list_answer(_ctx(site, params), table, SALE_FIELDS, wrap="rows", keys=["id"])
        assert (page.total, page.next) == (None, None)
        rows = [row["id"] for row in page.result["rows"]]
        seen += rows
        if len(rows) < 50:
            break
        last = rows[-1]
    assert seen == [i for i in table.ids() if table[i]["statusId"].casefold() != "f"]


def test_id_table_keeps_its_ids_sorted_through_every_mutator() -> None:
    table: IdTable[dict[str, Any]] = IdTable({5: {"id": 5}, 2: {"id": 2}})
    table[9] = {"id": 9}
    table[1] = {"id": 1}
    table[5] = {"id": 5, "again": True}
    table.update({7: {"id": 7}}, **{})
    table |= {3: {"id": 3}}
    table.setdefault(4, {"id": 4})
    assert list(table.ids()) == [1, 2, 3, 4, 5, 7, 9]
    assert table.pop(2) == {"id": 2}
    assert table.pop(2, None) is None
    del table[9]
    assert table.popitem()[0] == 4  # the last inserted, as dict.popitem
    assert list(table.ids()) == sorted(table) == [1, 3, 5, 7]
    clone = copy.deepcopy(table)
    assert isinstance(clone, IdTable)
    assert clone == table
    assert list(clone.ids()) == [1, 3, 5, 7]
    with pytest.raises(KeyError):
        table.pop(100)
    table.clear()
    assert list(table.ids()) == []
    assert table == {}


# bridge ------------------------------------------------------------------------------------

COLUMNS = {
    "ID": "integer",
    "UF_XML_ID": "string",
    "UF_N": "integer",
    "UF_AMOUNT": "double",
    "UF_ACTIVE": "boolean",
}


def _hl_row(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "ID": i,
        "UF_XML_ID": rng.choice(["a", "A", "b", "x-1", None]),
        "UF_N": rng.choice([None, 1, 2, 3, i % 7]),
        "UF_AMOUNT": rng.choice([None, 0.5, 2.0]),
        "UF_ACTIVE": rng.choice([0, 1]),
    }


BRIDGE_KEYS = st.sampled_from(
    [
        *(">ID", ">=ID", "<ID", "<=ID", "ID", "=ID", "!ID", "@ID", "!@ID"),
        *("UF_XML_ID", "!UF_XML_ID", ">UF_N", "UF_N", "@UF_N", "UF_ACTIVE", "%UF_XML_ID"),
    ]
)
BRIDGE_VALUES = st.one_of(
    st.integers(0, 320), st.lists(st.integers(0, 320), max_size=6), st.sampled_from(["a", None])
)
BRIDGE_ORDERS = st.sampled_from(
    [
        *(None, {}, {"ID": "ASC"}, {"ID": "asc", "UF_N": "DESC"}, {"ID": "DESC"}),
        *({"UF_N": "ASC"}, {"UF_XML_ID": "DESC", "ID": "ASC"}, {"UF_AMOUNT": "asc"}),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(0, 260),
    seed=st.integers(0, 10_000),
    flt=st.dictionaries(BRIDGE_KEYS, BRIDGE_VALUES, max_size=3),
    order=BRIDGE_ORDERS,
    start=STARTS,
)
def test_item_list_from_a_row_table_equals_filter_and_sort(
    count: int, seed: int, flt: dict[str, Any], order: Any, start: Any
) -> None:
    table = _table(count, seed, _hl_row)
    raw: dict[str, Any] = {"FILTER": flt}
    if order is not None:
        raw["ORDER"] = order
    try:
        query = parse_query(raw, COLUMNS, MSK)
    except FakeRestError:
        assume(False)  # refused before either path runs
        return

    assert list_rows(table, query, start) == list_rows(dict(table), query, start)


# unique maps -------------------------------------------------------------------------------


def test_row_table_lookups_follow_every_write() -> None:
    rng = random.Random(11)
    names = ("UF_CODE", "UF_N")
    table = RowTable()
    table.lookup(names, ("x", 1))  # the map exists before the writes it must follow
    for step in range(3000):
        row_id = rng.randrange(1, 120)
        if rng.random() < 0.25 and row_id in table:
            table.pop(row_id)
        else:
            code = rng.choice(["Ёлка", "ёлка", "ЁЛКА", "abc", "ABC", None])
            table[row_id] = {"ID": row_id, "UF_CODE": code, "UF_N": rng.choice([1, 2, None])}
        if step % 100 == 0:
            for code in ("ёлка", "abc"):
                for n in (1, 2):
                    scanned = [i for i, row in table.items() if unique_key(row, names) == (code, n)]
                    assert table.lookup(names, (code, n)) == sorted(scanned)


async def _call(client: httpx.AsyncClient, method: str, params: dict[str, Any]) -> Any:
    return (await client.post(f"{method}.json", json=params)).json()


async def test_unique_index_and_upsert_through_the_maps(
    fake_site: FakeSite, fake_client: httpx.AsyncClient
) -> None:
    await _call(fake_client, "b2bsync.hlblock.declare", {"NAMES": ["Codes"]})
    block = (await _call(fake_client, "b2bsync.hlblock.add", {"NAME": "Codes", "TABLE_NAME": "c"}))[
        "result"
    ]
    for name, kind in (("UF_CODE", "string"), ("UF_KIND", "integer"), ("UF_NOTE", "string")):
        field = {"FIELD_NAME": name, "USER_TYPE_ID": kind}
        await _call(fake_client, "b2bsync.hlblock.field.add", {"HLBLOCK_ID": block, "FIELD": field})
    add = {"HLBLOCK": block, "FIELDS": {"UF_CODE": "Ёлка", "UF_KIND": 1}}
    assert (await _call(fake_client, "b2bsync.item.add", add))["result"] == 1
    index = {"HLBLOCK_ID": block, "NAME": "ux_code_kind", "FIELDS": ["UF_CODE", "UF_KIND"]}
    await _call(fake_client, "b2bsync.hlblock.index.ensure", {**index, "UNIQUE": "Y"})

    again = {"HLBLOCK": block, "FIELDS": {"UF_CODE": "ЁЛКА", "UF_KIND": 1}}
    assert (await _call(fake_client, "b2bsync.item.add", again))["error"] == "ERROR_DUPLICATE"
    other = {"HLBLOCK": block, "FIELDS": {"UF_CODE": "ёлка", "UF_KIND": 2}}
    assert (await _call(fake_client, "b2bsync.item.add", other))["result"] == 2
    move = {"HLBLOCK": block, "ID": 2, "FIELDS": {"UF_KIND": 1}}
    assert (await _call(fake_client, "b2bsync.item.update", move))["error"] == "ERROR_DUPLICATE"
    upsert = {
        "HLBLOCK": block,
        "KEY": ["UF_KIND", "UF_CODE"],  # the index's fields in another order
        "FIELDS": {"UF_CODE": "ёЛКа", "UF_KIND": 2, "UF_NOTE": "n"},
    }
    answer = await _call(fake_client, "b2bsync.item.upsert", upsert)
    assert answer["result"] == {"ID": 2, "ACTION": "updated"}
    await _call(fake_client, "b2bsync.item.delete", {"HLBLOCK": block, "ID": 1})
    assert (await _call(fake_client, "b2bsync.item.add", again))["result"] == 3
    assert (await _call(fake_client, "b2bsync.item.upsert", upsert))["result"]["ACTION"] == (
        "unchanged"
    )
    rows = fake_site.bridge.blocks[block].rows
    assert {i: (r["UF_CODE"], r["UF_KIND"]) for i, r in rows.items()} == {
        2: ("ёЛКа", 2),  # the upsert wrote the KEY as sent
        3: ("ЁЛКА", 1),
    }


# answer encoding -----------------------------------------------------------------------------


def _php_view_by_the_rules(value: Any) -> Any:
    """``json_encode``'s view computed the slow way: every array's keys converted and checked."""
    if isinstance(value, dict):
        keys = [php_key(k) if isinstance(k, int | str) else str(k) for k in value]
        if is_list_shaped(keys):
            return [_php_view_by_the_rules(v) for v in value.values()]
        return {str(k): _php_view_by_the_rules(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_php_view_by_the_rules(v) for v in value]
    return value


PHP_KEYS = st.one_of(
    st.integers(-2, 3), st.sampled_from(["0", "1", "2", "-0", "01", "id", "", " 1", "-1"])
)
PHP_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(PHP_KEYS, inner, max_size=4),
        st.lists(inner, max_size=3).map(lambda items: dict(enumerate(items))),
    ),
    max_leaves=20,
)


@given(PHP_VALUES)
def test_php_view_equals_the_rules(value: Any) -> None:
    assert php_view(value) == _php_view_by_the_rules(value)
