"""The shared list-parameter rules: filter prefixes, coercion, select, order."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitrix_client.fake._filters import (
    Fields,
    apply_filter,
    parse_filter,
    parse_order,
    parse_select,
    php_intval,
    php_strval,
    sort_rows,
)

MSK = ZoneInfo("Europe/Moscow")
FIELDS: Fields = {
    "id": "integer",
    "statusId": "string",
    "accountNumber": "string",
    "comments": "string",
    "price": "double",
    "dateInsert": "datetime",
    "value": "string",
}


def _row(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "statusId": "PA" if i % 4 == 0 else "N",
        "accountNumber": str(i),
        "comments": f"seed order {i}" if i % 5 == 0 else "",
        "price": i * 1.5,
        "dateInsert": datetime(2026, 10, 1, 9, 0, tzinfo=MSK).replace(day=(i % 28) + 1),
        "value": None if i % 3 else str(1000 + i % 2),
    }


ROWS = [_row(i) for i in range(1, 121)]


def ids(flt: object) -> list[int]:
    return [r["id"] for r in apply_filter(ROWS, parse_filter(flt, FIELDS, MSK))]


def test_comparison_prefixes() -> None:
    assert ids({">=id": 118}) == [118, 119, 120]
    assert ids({">id": 118}) == [119, 120]
    assert ids({"<=id": 2}) == [1, 2]
    assert ids({"<id": 2}) == [1]
    assert ids({"=id": 7}) == [7]
    assert ids({"id": "7"}) == [7]
    assert ids({"><id": [3, 5]}) == [3, 4, 5]
    assert len(ids({"!><id": [3, 118]})) == 4


def test_in_and_not_in() -> None:
    assert ids({"@id": [3, 6, 9, 999999]}) == [3, 6, 9]
    assert ids({"id": [3, 6]}) == [3, 6]
    assert len(ids({"!@statusId": ["N"]})) == 30
    assert len(ids({"@statusId": ["N", "PA"]})) == 120
    assert ids({"@id": []}) == []
    assert ids({"@id": {"0": 4, "1": 8}}) == [4, 8]  # form-decoded list


def test_negation() -> None:
    assert len(ids({"!statusId": "N"})) == 30
    assert len(ids({"!=statusId": "N"})) == 30
    assert len(ids({"!id": [1, 2]})) == 118


def test_like_forms() -> None:
    assert ids({"%accountNumber": "11"}) == [11, *range(110, 120)]  # seq 117
    assert ids({"%comments": "seed order 1"}) == [10, 15, 100, 105, 110, 115, 120]  # seq 118
    assert len(ids({"!%comments": "seed"})) == 96
    assert ids({"=%accountNumber": "11_"}) == list(range(110, 120))
    assert ids({"%=accountNumber": "12"}) == [12, 120]
    assert len(ids({"!=%accountNumber": "1%"})) == 120 - 1 - 10 - 21


def test_string_values_are_case_insensitive() -> None:
    assert len(ids({"statusId": "pa"})) == 30


def test_value_coerced_to_the_field_type() -> None:
    # seq 77: an integer 1002 matches the stored string "1002"
    assert ids({"value": 1001}) == [i for i in range(1, 121) if i % 6 == 3]
    assert ids({"id": "10abc"}) == [10]
    assert ids({">=price": "178.5"}) == [119, 120]


def test_unknown_keys_are_dropped() -> None:
    # seq 86/87: UF_COMPANY_ID names no field, so the filter keeps everything else
    assert len(ids({"UF_COMPANY_ID": 5})) == 120
    assert len(ids({"UF_COMPANY_ID": 5, "statusId": "PA"})) == 30
    assert len(ids({"STATUS_ID": "PA"})) == 120
    assert len(ids("not a mapping")) == 120


def test_dates_compare_as_instants() -> None:
    assert ids({">=dateInsert": "2026-10-28T09:00:00+03:00"}) == [27, 55, 83, 111]
    assert ids({">=dateInsert": "2026-10-28T06:00:00Z"}) == [27, 55, 83, 111]
    assert ids({">=dateInsert": "28.10.2026 09:00:01"}) == []


def test_unparseable_date_drops_the_key() -> None:
    assert len(ids({">=dateInsert": "1793516700"})) == 120
    assert len(ids({">=dateInsert": "garbage", "statusId": "PA"})) == 30


def test_null_and_empty_values() -> None:
    assert len(ids({"value": None})) == 80
    assert len(ids({"value": ""})) == 80
    assert len(ids({"comments": ""})) == 96
    assert len(ids({">value": "1000"})) == 20  # NULL never compares


def test_select() -> None:
    assert parse_select(["id", "UF_COMPANY_ID", "nonsense"], FIELDS) == ["id"]  # seq 89
    assert parse_select(None, FIELDS) == list(FIELDS)
    assert parse_select(["*"], FIELDS) == list(FIELDS)
    assert parse_select(["nonsense"], FIELDS) == list(FIELDS)
    assert parse_select({"0": "price", "1": "id"}, FIELDS) == ["id", "price"]


def test_order() -> None:
    assert parse_order({"id": "DESC"}, FIELDS) == [("id", True)]
    assert parse_order({"UF_COMPANY_ID": "desc"}, FIELDS) == []  # seq 90
    assert parse_order({"id": "sideways"}, FIELDS) == []
    assert parse_order(["id"], FIELDS) == []
    rows = sort_rows(ROWS, parse_order({"statusId": "desc", "id": "desc"}, FIELDS))
    assert [r["id"] for r in rows[:3]] == [120, 116, 112]
    assert [r["id"] for r in rows[30:32]] == [119, 118]


def test_sort_is_stable_and_nulls_first() -> None:
    rows = sort_rows(ROWS, [("value", False)])
    assert rows[0]["value"] is None
    assert rows[0]["id"] == 1
    assert rows[-1]["value"] == "1001"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", 10),
        ("10abc", 10),
        (" -7", -7),
        ("1e3", 1000),
        ("12.9", 12),
        ("x", 0),
        (True, 1),
        (None, 0),
        (3.7, 3),
    ],
)
def test_php_intval(raw: object, expected: int) -> None:
    assert php_intval(raw) == expected


def test_php_strval() -> None:
    assert [php_strval(v) for v in (1002, 12.0, 12.5, True, False, None, [1], {})] == [
        "1002",
        "12",
        "12.5",
        "1",
        "",
        "",
        "Array",
        "Array",
    ]


@given(
    key=st.sampled_from(
        [
            "id",
            "=id",
            ">id",
            ">=id",
            "<id",
            "<=id",
            "!id",
            "statusId",
            "!statusId",
            "value",
            ">=dateInsert",
            "<dateInsert",
            "=dateInsert",
            "price",
            ">price",
        ]
    ),
    value=st.one_of(
        st.integers(-5, 130),
        st.sampled_from(["N", "pa", "PA", "1001", "", "12.5", "x"]),
        st.sampled_from(["2026-10-05T09:00:00+03:00", "05.10.2026", "garbage"]),
        st.floats(0, 200, allow_nan=False),
        st.none(),
    ),
)
def test_fast_predicates_agree_with_the_general_rules(key: str, value: object) -> None:
    conditions = parse_filter({key: value}, FIELDS, MSK)
    expected = [r["id"] for r in ROWS if all(c.test(r) for c in conditions)]
    assert [r["id"] for r in apply_filter(ROWS, conditions)] == expected


def test_mismatched_stored_types_fall_back() -> None:
    rows = [{"id": 1, "dateInsert": "not a date"}, {"id": 2, "dateInsert": 5}]
    conditions = parse_filter({">dateInsert": "2026-01-01"}, FIELDS, MSK)
    general = [r for r in rows if conditions[0].test(r)]
    assert apply_filter(rows, conditions) == general
    assert {"id": 2, "dateInsert": 5} not in general
