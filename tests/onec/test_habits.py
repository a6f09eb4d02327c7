"""Each 1C habit of DESIGN §6, handled in one place (onec_client._habits)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from onec_client import _habits as h

from .conftest import MSK


def test_bom_before_json_is_tolerated_and_floats_become_decimals():
    body = b"\xef\xbb\xbf" + '{"Сумма": 0.1, "Кол": 3, "Итог": 1234567890.12345678901}'.encode()
    data = h.loads_json(body)
    assert data["Сумма"] == Decimal("0.1")
    assert isinstance(data["Сумма"], Decimal)
    assert data["Кол"] == 3
    assert data["Итог"] == Decimal("1234567890.12345678901")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01T10:15:00", datetime(2024, 3, 1, 10, 15, tzinfo=MSK)),
        ("2024-03-01T07:15:00Z", datetime(2024, 3, 1, 7, 15, tzinfo=UTC)),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=MSK)),
        ("01.03.2024 9:05:00", datetime(2024, 3, 1, 9, 5, tzinfo=MSK)),
        ("01.03.2024", datetime(2024, 3, 1, tzinfo=MSK)),
        ("/Date(1709277300000)/", datetime(2024, 3, 1, 7, 15, tzinfo=UTC)),
        ("\\/Date(1709277300000)\\/", datetime(2024, 3, 1, 7, 15, tzinfo=UTC)),
        (datetime(2024, 3, 1, 10, 15), datetime(2024, 3, 1, 10, 15, tzinfo=MSK)),
        ("0001-01-01T00:00:00", None),
        ("01.01.0001 0:00:00", None),
        (datetime(1, 1, 1), None),
        ("", None),
        (None, None),
    ],
)
def test_naive_datetimes_are_1c_local_and_year_one_means_no_date(raw, expected):
    assert h.parse_datetime(raw, MSK) == expected


def test_naive_datetime_is_placed_in_the_configured_zone_not_utc():
    parsed = h.parse_datetime("2024-07-01T08:00:00", MSK)
    assert parsed is not None
    assert parsed.astimezone(UTC) == datetime(2024, 7, 1, 5, 0, tzinfo=UTC)


def test_configured_date_format_is_tried_first():
    assert h.parse_datetime("2024/03/01 10-15", MSK, ("%Y/%m/%d %H-%M",)) == datetime(
        2024, 3, 1, 10, 15, tzinfo=MSK
    )


@pytest.mark.parametrize("raw", ["вчера", "2024-13-01", "32.01.2024", {"a": 1}])
def test_unreadable_dates_raise_with_a_reason(raw):
    with pytest.raises(ValueError, match=r"date|text"):
        h.parse_datetime(raw, MSK)


def test_calendar_date_of_a_datetime_is_taken_in_1c_time():
    assert h.parse_date("2024-06-20T00:00:00", MSK) == date(2024, 6, 20)
    assert h.parse_date("2024-06-19T22:30:00Z", MSK) == date(2024, 6, 20)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("E4B06CE6-0741-47A8-BCE4-2C8218072E8C", "e4b06ce6-0741-47a8-bce4-2c8218072e8c"),
        ("{e4b06ce6-0741-47a8-bce4-2c8218072e8c}", "e4b06ce6-0741-47a8-bce4-2c8218072e8c"),
        (" e4b06ce6074147a8bce42c8218072e8c ", "e4b06ce6-0741-47a8-bce4-2c8218072e8c"),
        ("00000000-0000-0000-0000-000000000000", None),
        ("", None),
        (None, None),
    ],
)
def test_guids_are_canonical_and_the_zero_guid_is_no_reference(raw, expected):
    assert h.parse_guid(raw) == expected


def test_a_required_reference_that_is_zero_is_an_error():
    with pytest.raises(ValueError, match="all-zero"):
        h.require_guid("00000000-0000-0000-0000-000000000000", "counterparty")
    with pytest.raises(ValueError, match="not a GUID"):
        h.parse_guid("../../etc/passwd")


def test_padded_numbers_keep_display_and_strip_for_normalised():
    assert h.split_number("А-123      ") == ("А-123      ", "А-123")
    assert h.split_number("\u00a0  00000000017") == ("\u00a0  00000000017", "00000000017")
    with pytest.raises(ValueError, match="blank"):
        h.split_number("           ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (Decimal("12345.60"), Decimal("12345.60")),
        (12, Decimal(12)),
        ("12345.60", Decimal("12345.60")),
        ("12 345,60", Decimal("12345.60")),
        ("12\u00a0345,60", Decimal("12345.60")),
        ("-0,01", Decimal("-0.01")),
        ("", None),
        (None, None),
    ],
)
def test_amounts_are_exact_decimals(raw, expected):
    assert h.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", [0.1, True, "12,3,4", "NaN", "Infinity", [1], {"a": 1}])
def test_amounts_refuse_floats_and_junk(raw):
    with pytest.raises(ValueError, match=r"amount|float"):
        h.parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("руб.", "RUB"),
        ("руб", "RUB"),
        ("643", "RUB"),
        ("rub", "RUB"),
        ("840", "USD"),
        ("eur", "EUR"),
        ("CHF", "CHF"),
        ("", None),
    ],
)
def test_currencies(raw, expected):
    assert h.parse_currency(raw) == expected


def test_unknown_currency_is_an_error():
    with pytest.raises(ValueError, match="unknown currency"):
        h.parse_currency("рубли РФ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        ("Да", True),
        ("истина", True),
        ("1", True),
        (0, False),
        ("Нет", False),
        ("false", False),
        ("ложь", False),
    ],
)
def test_booleans_in_1c_spellings(raw, expected):
    assert h.parse_bool(raw) is expected


def test_inn_and_kpp_shapes():
    assert h.parse_inn(" 7707083893 ") == "7707083893"
    assert h.parse_inn("500100732259") == "500100732259"
    assert h.parse_kpp("7707AB001") == "7707AB001"
    with pytest.raises(ValueError, match="ИНН"):
        h.parse_inn("77070838")
    with pytest.raises(ValueError, match="КПП"):
        h.parse_kpp("77-07-01")


def test_html_error_pages_are_recognised_and_summarised():
    page = b"\r\n<!DOCTYPE html><html><head><title>Infobase locked</title></head></html>"
    assert h.looks_like_html(page)
    assert h.looks_like_html(b'{"a":1}', "text/html; charset=utf-8")
    assert not h.looks_like_html(b'{"a": "<html>"}')
    assert h.html_summary(page) == "Infobase locked"
    assert h.html_summary("<html><body><h1>Ошибка</h1></body></html>".encode()) == "Ошибка"


def test_error_texts_are_cut_to_their_first_line_and_decoded():
    text = "\r\n{ОбщийМодуль.Обмен.Модуль(25)}: Ошибка при вызове метода\r\nпо причине: …"
    assert h.first_line(text) == "{ОбщийМодуль.Обмен.Модуль(25)}: Ошибка при вызове метода"
    assert h.text_of("Ошибка".encode("cp1251"), "windows-1251") == "Ошибка"
    assert h.text_of("Ошибка".encode("cp1251")) == "Ошибка"
    assert h.text_of(b"\xef\xbb\xbf" + "Ошибка".encode()) == "Ошибка"


def test_references_may_be_guids_or_order_numbers():
    assert h.parse_reference("00000000-0000-0000-0000-000000000000") is None
    assert h.parse_reference("ЗК-000045") == "ЗК-000045"
    assert h.parse_reference(12345) == "12345"
    assert h.combine_date_time("2024-03-01", "10:15:00", MSK) == datetime(
        2024, 3, 1, 10, 15, tzinfo=MSK
    )
