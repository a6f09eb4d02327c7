from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import unquote

import pytest

from bitrix_client import Ref, build_filter, encode_command, encode_form, iso_datetime

MSK = timezone(timedelta(hours=3))


def test_keys_are_percent_encoded_so_php_keeps_the_operator():
    # a literal `>=` inside a form key makes PHP's parse_str cut the key at `=`
    assert encode_form({"filter": {">=id": 10}}) == "filter%5B%3E%3Did%5D=10"


def test_nested_lists_and_dicts_like_http_build_query():
    form = encode_form(
        {"select": ["id", "statusId"], "order": {"id": "asc"}, "filter": {"@id": [1, 2]}}
    )
    assert unquote(form) == (
        "select[0]=id&select[1]=statusId&order[id]=asc&filter[@id][0]=1&filter[@id][1]=2"
    )


def test_scalars():
    form = encode_form(
        {"a": True, "b": False, "c": None, "d": Decimal("1.50"), "e": "Гайка М8 & co"}
    )
    assert unquote(form) == "a=1&b=0&d=1.50&e=Гайка М8 & co"
    assert "%26" in form  # the & inside a value cannot split the pair


def test_datetimes_need_an_offset():
    moment = datetime(2026, 11, 1, 10, 5, tzinfo=MSK)
    assert iso_datetime(moment) == "2026-11-01T10:05:00+03:00"
    assert unquote(encode_form({"filter": {">=dateInsert": moment}})).endswith(
        "=2026-11-01T10:05:00+03:00"
    )
    with pytest.raises(ValueError, match="naive"):
        iso_datetime(datetime(2026, 11, 1, 10, 5))


def test_batch_command_strings():
    assert encode_command("server.time", {}) == "server.time"
    cmd = encode_command(
        "sale.order.list", {"filter": {">id": Ref("p0", ("orders", 49, "id"))}, "start": -1}
    )
    assert cmd == "sale.order.list?filter%5B%3Eid%5D=$result[p0][orders][49][id]&start=-1"


def test_date_filters_refuse_text():
    with pytest.raises(TypeError, match="aware datetimes"):
        build_filter({">=dateUpdate": "01/11/2026"})
    with pytest.raises(TypeError, match="datetime with offset"):
        build_filter({">=dateInsert": datetime(2026, 1, 1, tzinfo=UTC).date()})
    ok = build_filter({">dateUpdate": datetime(2026, 1, 1, tzinfo=UTC), "statusId": "PA"})
    assert ok == {">dateUpdate": "2026-01-01T00:00:00+00:00", "statusId": "PA"}
    assert build_filter({">=UF_CREATED_AT": datetime(2026, 1, 1, tzinfo=MSK)}) == {
        ">=UF_CREATED_AT": "2026-01-01T00:00:00+03:00"
    }
