"""Streaming helpers for document files: chunked base64, base64 inside JSON, content sniffing.

1C sends a file either as the response body, as base64 in a JSON field (``Base64Строка`` breaks
it into 76-character lines, so the JSON string holds ``\\r\\n`` escapes), or as
``xs:base64Binary`` in SOAP. None of these is ever held whole: text is decoded as it arrives, in
blocks whose length is a multiple of four.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

_NOT_B64 = re.compile(r"[^A-Za-z0-9+/=]")
_SPACE = " \t\r\n"
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"<?xml", "application/xml"),
)
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream", "application/binary")


class StreamFormatError(ValueError):
    """The stream is not what it claims (bad base64, broken JSON); the adapter maps it."""


def sniff_content_type(first: bytes, declared: str | None) -> str:
    """The declared type unless it is generic; else what the first bytes show."""
    declared_clean = (declared or "").split(";")[0].strip().lower()
    if declared_clean not in GENERIC_TYPES:
        return declared_clean
    for magic, kind in _MAGIC:
        if first.startswith(magic):
            return kind
    return "application/octet-stream"


class Base64Decoder:
    """Incremental base64: feed text in any pieces (whitespace and line breaks ignored)."""

    def __init__(self) -> None:
        self._pending = ""
        self._finished = False

    def feed(self, text: str) -> bytes:
        if not text:
            return b""
        clean = "".join(text.split())
        bad = _NOT_B64.search(clean)
        if bad is not None:
            raise StreamFormatError(f"file data is not base64 (found {bad.group(0)!r})")
        if self._finished and clean:
            raise StreamFormatError("file data continues after base64 padding")
        data = self._pending + clean
        cut = len(data) - len(data) % 4
        self._pending = data[cut:]
        if not cut:
            return b""
        block = data[:cut]
        pad = block.find("=")
        if pad != -1:
            if block[pad:].strip("=") or len(block) - pad > 2 or self._pending:
                raise StreamFormatError("base64 padding in the middle of file data")
            self._finished = True
        try:
            return base64.b64decode(block, validate=True)
        except binascii.Error as exc:
            raise StreamFormatError(f"file data is not base64: {exc}") from None

    def finish(self) -> bytes:
        if self._pending:
            raise StreamFormatError(
                f"file data ends mid-block ({len(self._pending)} base64 characters left)"
            )
        return b""


class _Chars:
    """Decoded text from an async byte stream, with a cursor, refilled on demand."""

    def __init__(self, chunks: AsyncIterator[bytes], charset: str) -> None:
        self._chunks = chunks
        self._decoder = codecs.getincrementaldecoder(charset)("strict")
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._first = True

    async def fill(self) -> bool:
        """Load more text; False at the end of the stream."""
        while not self.eof:
            try:
                chunk = await self._chunks.__anext__()
            except StopAsyncIteration:
                self.eof = True
                text = self._decoder.decode(b"", final=True)
            else:
                if self._first and chunk:
                    self._first = False
                    chunk = chunk.removeprefix(b"\xef\xbb\xbf")
                text = self._decoder.decode(chunk)
            if text:
                self.buf = self.buf[self.pos :] + text
                self.pos = 0
                return True
        return False

    async def peek(self) -> str:
        while self.pos >= len(self.buf):
            if not await self.fill():
                return ""
        return self.buf[self.pos]

    async def skip_space(self) -> str:
        while True:
            char = await self.peek()
            if char and char in _SPACE:
                self.pos += 1
                continue
            return char

    async def expect(self, wanted: str) -> None:
        char = await self.skip_space()
        if char != wanted:
            raise StreamFormatError(f"expected {wanted!r} in JSON, found {char or 'the end'!r}")
        self.pos += 1


async def _read_string(chars: _Chars, limit: int = 1 << 16) -> str:
    """A whole JSON string (the opening quote already consumed); small values only."""
    out = ['"']
    size = 0
    while True:
        char = await chars.peek()
        if not char:
            raise StreamFormatError("JSON string not terminated")
        chars.pos += 1
        out.append(char)
        size += 1
        if size > limit:
            raise StreamFormatError("JSON field too long")
        if char == "\\":
            escaped = await chars.peek()
            chars.pos += 1
            out.append(escaped)
        elif char == '"':
            return str(json.loads("".join(out)))


async def _skip_value(chars: _Chars) -> Any:
    """Read a value that is not the file: scalars are returned, structures skipped."""
    char = await chars.skip_space()
    if char == '"':
        chars.pos += 1
        return await _read_string(chars)
    if char in "{[":
        depth = 0
        while True:
            char = await chars.peek()
            if not char:
                raise StreamFormatError("JSON structure not terminated")
            chars.pos += 1
            if char == '"':
                await _read_string(chars)
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return None
    literal = []
    while True:
        char = await chars.peek()
        if not char or char in ",}]" or char in _SPACE:
            break
        literal.append(char)
        chars.pos += 1
    text = "".join(literal)
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        raise StreamFormatError(f"bad JSON value {text[:20]!r}") from None


async def _stream_base64_string(chars: _Chars) -> AsyncIterator[bytes]:
    """Decode the file's JSON string as it arrives (opening quote consumed)."""
    decoder = Base64Decoder()
    while True:
        if chars.pos >= len(chars.buf) and not await chars.fill():
            raise StreamFormatError("JSON file data not terminated")
        buf = chars.buf
        start = chars.pos
        stop = start
        end = len(buf)
        while stop < end and buf[stop] not in '"\\':
            stop += 1
        if stop > start:
            block = decoder.feed(buf[start:stop])
            if block:
                yield block
        chars.pos = stop
        if stop == end:
            continue
        if buf[stop] == '"':
            chars.pos += 1
            tail = decoder.finish()
            if tail:
                yield tail
            return
        chars.pos += 1
        escaped = await chars.peek()
        chars.pos += 1
        if escaped in "rnt":
            continue
        if escaped == "/":
            block = decoder.feed("/")
        elif escaped == "u":
            digits = ""
            for _ in range(4):
                digits += await chars.peek()
                chars.pos += 1
            block = decoder.feed(chr(int(digits, 16)))
        else:
            raise StreamFormatError(f"unexpected escape \\{escaped} in file data")
        if block:
            yield block


async def json_file_stream(
    chunks: AsyncIterator[bytes], data_key: str, charset: str = "utf-8"
) -> tuple[dict[str, Any], AsyncIterator[bytes]]:
    """Split a JSON object ``{…, data_key: "<base64>", …}`` into the scalar fields that come
    before the file, and an iterator of the decoded file. Fields after the file are skipped."""
    chars = _Chars(chunks, charset)
    await chars.expect("{")
    meta: dict[str, Any] = {}
    while True:
        char = await chars.skip_space()
        if char == "}":
            raise StreamFormatError(f"no {data_key!r} field with the file in the JSON answer")
        if char == ",":
            chars.pos += 1
            char = await chars.skip_space()
        if char != '"':
            raise StreamFormatError(f"expected a field name in JSON, found {char or 'the end'!r}")
        chars.pos += 1
        key = await _read_string(chars)
        await chars.expect(":")
        if key == data_key:
            if await chars.skip_space() != '"':
                raise StreamFormatError(f"{data_key!r} is not a base64 string")
            chars.pos += 1
            return meta, _stream_base64_string(chars)
        meta[key] = await _skip_value(chars)


async def prepend(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk
