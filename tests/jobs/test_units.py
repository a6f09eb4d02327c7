"""Small pieces: content hashes, value rendering, upload file names."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jobs._files import RefusedFile, recognise, upload_name
from jobs._hash import content_hash
from jobs._values import date_text, datetime_text, decimal_text, money_ru, one_line
from onec_client import Document, DocumentFile

GUID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"


def test_hash_ignores_the_moment_of_writing_and_key_order() -> None:
    a = {"UF_XML_ID": "x", "UF_AMOUNT": Decimal("1.50"), "UF_SYNCED_AT": "2026-01-01"}
    b = {"UF_SYNCED_AT": "2027-01-01", "UF_AMOUNT": Decimal("1.50"), "UF_XML_ID": "x"}
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "UF_AMOUNT": Decimal("1.5")})
    assert content_hash({"UF_ACTIVE": True}) == content_hash({"UF_ACTIVE": 1})


def test_values_render_as_bitrix_reads_them() -> None:
    assert decimal_text(Decimal("1E+3")) == "1000"
    assert decimal_text(None) == ""
    msk = ZoneInfo("Europe/Moscow")
    late = datetime(2026, 3, 31, 22, 30, 15, 999, tzinfo=UTC)
    assert datetime_text(late) == "2026-03-31T22:30:15+00:00"
    assert date_text(late, msk) == "2026-04-01", "the date in the site's zone"
    with pytest.raises(ValueError, match="naive"):
        datetime_text(datetime(2026, 1, 1))
    assert money_ru(Decimal("1234567.5"), "RUB") == "1 234 567,50 RUB"
    assert one_line(ValueError("first\nsecond")) == "first"


def document(number: str) -> Document:
    return Document(
        guid=GUID,
        counterparty_guid=GUID,
        type="waybill",
        number=number,
        number_display=number,
        date=datetime(2026, 5, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("number", "unsafe"),
    [("РТ-00012", False), ("../../etc/passwd", True), ("a/b", True), ("..", True)],
)
def test_upload_names_stay_in_their_folder(number: str, unsafe: bool) -> None:
    name = upload_name(document(number), ".pdf")
    assert name.endswith(f"-{GUID[:8]}.pdf")
    assert "/" not in name
    assert not name.startswith(".")
    assert (name == f"{number}-{GUID[:8]}.pdf") is not unsafe


def test_the_type_and_extension_follow_the_content_never_the_name() -> None:
    def made(content_type: str, filename: str | None) -> DocumentFile:
        return DocumentFile(document_guid=GUID, content_type=content_type, filename=filename)

    assert recognise(b"%PDF-1.7\n%\xe2", made("application/octet-stream", "x.bin")).extension == (
        ".pdf"
    )
    assert recognise(b"%PDF-1.4", made("text/x-php", "shell.php")).extension == ".pdf"
    with pytest.raises(RefusedFile, match=r"'shell.php'.*declared application/pdf.*: pdf$"):
        recognise(b"<?php system($_GET['c']);", made("application/pdf", "shell.php"))
    png = b"\x89PNG\r\n\x1a\n\x00\x00"
    with pytest.raises(RefusedFile, match="none of the allowed types: pdf"):
        recognise(png, made("image/png", "scan.png"))
    assert recognise(png, made("image/png", "scan.php"), ["png"]).extension == ".png"
    assert recognise(b"\xff\xd8\xff\xe0", made("", None), ["jpeg"]).extension == ".jpg"
    with pytest.raises(RefusedFile, match="an empty file"):
        recognise(b"", made("application/pdf", "a.pdf"))
    with pytest.raises(ValueError, match="unknown file types"):
        recognise(png, made("image/png", None), ["php"])
