"""Getting a document's PDF from 1C into Bitrix: attached to the row, or written under the site's
upload folder (DESIGN §7). Link mode transfers nothing and lives in :mod:`.documents`.

A file is read from 1C as a stream (``onec.open_file``). A transient failure while reading is
retried here a few times (the adapter retries opening the stream, not a break in its middle);
when that is not enough the document is not written and its company's cursor stays put.

Upload mode writes ``{upload_dir}/{company_id}/{stem}-{guid8}{ext}`` through a temporary file
in the same folder and an atomic rename, so the site never serves half a file. ``stem`` is
:func:`onec_client.safe_file_stem` of the number (no path traversal, no hidden files); the
first 8 hex digits of the document GUID keep two documents apart whose numbers coincide — 1C
numbers repeat across document kinds and restart every year.

**What may be written.** The file's first bytes decide its type, never 1C's file name nor its
declared content type: a 1C answer named ``shell.php`` must not become a ``.php`` file under the
site's ``upload/``, where the web server would run it. A PDF (``%PDF-``) is always accepted;
``config.extra_file_types`` may add the other types of :data:`FILE_TYPES` (each recognised by
its magic bytes). The extension comes from the recognised type. Anything else raises
:class:`RefusedFile` before a byte is written, and the document is quarantined with the reason.
Attach mode applies the same rule to the name it hands to Bitrix.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from pathlib import Path

import anyio

from onec_client import Document, DocumentFile, OneCRetryableError, OneCSource

ATTEMPTS = 3
#: Bytes read before deciding a file's type (every magic below is shorter).
HEAD = 16


@dataclass(frozen=True)
class FileType:
    name: str
    extension: str
    content_type: str
    magics: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        return any(head.startswith(magic) for magic in self.magics)


#: Types a document's file may have, recognised by content. PDF is always allowed.
FILE_TYPES: dict[str, FileType] = {
    t.name: t
    for t in (
        FileType("pdf", ".pdf", "application/pdf", (b"%PDF-",)),
        FileType("png", ".png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
        FileType("jpeg", ".jpg", "image/jpeg", (b"\xff\xd8\xff",)),
        FileType("tiff", ".tif", "image/tiff", (b"II*\x00", b"MM\x00*")),
    )
}
ALWAYS = ("pdf",)


class RefusedFile(ValueError):
    """The file is not of an allowed type; the message is the quarantine reason."""


@dataclass(frozen=True)
class Attached:
    name: str
    base64: str
    sha256: str
    size: int


@dataclass(frozen=True)
class TooLarge:
    size: int


@dataclass(frozen=True)
class Uploaded:
    path: Path
    url: str
    sha256: str
    size: int


def allowed_types(extra: Collection[str] = ()) -> list[FileType]:
    unknown = sorted(set(extra) - FILE_TYPES.keys())
    if unknown:
        raise ValueError(f"unknown file types {unknown}; known: {', '.join(FILE_TYPES)}")
    return [FILE_TYPES[name] for name in dict.fromkeys((*ALWAYS, *extra))]


def recognise(head: bytes, file: DocumentFile, allowed: Collection[str] = ()) -> FileType:
    """The allowed type the first bytes show, or :class:`RefusedFile` saying what came."""
    for kind in allowed_types(allowed):
        if kind.matches(head):
            return kind
    named = f"{file.filename!r}" if file.filename else "no name"
    what = "an empty file" if not head else f"content starting {head[:8]!r}"
    names = ", ".join(t.name for t in allowed_types(allowed))
    raise RefusedFile(
        f"file of document {file.document_guid} refused: {what} ({named}, declared "
        f"{file.content_type or 'no type'}) is none of the allowed types: {names}"
    )


async def _sniffed(
    file: DocumentFile, allowed: Collection[str]
) -> tuple[FileType, AsyncIterator[bytes]]:
    """The file's type from its first bytes, and the whole content as a stream again."""
    chunks = file.iter_bytes()
    head = b""
    async for chunk in chunks:
        head += chunk
        if len(head) >= HEAD:
            break
    kind = recognise(head, file, allowed)

    async def content() -> AsyncIterator[bytes]:
        if head:
            yield head
        async for chunk in chunks:
            yield chunk

    return kind, content()


def upload_name(document: Document, ext: str) -> str:
    return f"{document.file_stem}-{document.guid[:8]}{ext}"


async def attach(
    source: OneCSource, document: Document, limit: int, allowed: Collection[str] = ()
) -> Attached | TooLarge:
    """The whole file as base64, or :class:`TooLarge` once it passes ``limit`` bytes."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _attach_once(source, document, limit, allowed)
        except OneCRetryableError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _attach_once(
    source: OneCSource, document: Document, limit: int, allowed: Collection[str]
) -> Attached | TooLarge:
    async with source.open_file(document) as file:
        if file.size is not None and file.size > limit:
            return TooLarge(file.size)
        kind, chunks = await _sniffed(file, allowed)
        buffer = bytearray()
        async for chunk in chunks:
            buffer += chunk
            if len(buffer) > limit:
                return TooLarge(len(buffer))
        name = f"{document.file_stem}{kind.extension}"
    content = bytes(buffer)
    return Attached(
        name=name,
        base64=base64.b64encode(content).decode("ascii"),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


async def upload(
    source: OneCSource,
    document: Document,
    upload_dir: Path,
    company_id: int,
    url_prefix: str,
    allowed: Collection[str] = (),
) -> Uploaded:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _upload_once(source, document, upload_dir, company_id, url_prefix, allowed)
        except OneCRetryableError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _upload_once(
    source: OneCSource,
    document: Document,
    upload_dir: Path,
    company_id: int,
    url_prefix: str,
    allowed: Collection[str],
) -> Uploaded:
    folder = upload_dir / str(int(company_id))
    async with source.open_file(document) as file:
        kind, chunks = await _sniffed(file, allowed)
        name = upload_name(document, kind.extension)
        target = folder / name
        if target.parent.resolve() != folder.resolve() or name.startswith("."):
            raise OSError(f"refusing to write outside {folder}: {name!r}")
        await anyio.Path(folder).mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        os.close(handle)
        digest = hashlib.sha256()
        size = 0
        try:
            async with await anyio.open_file(temp, "wb") as out:
                async for chunk in chunks:
                    await out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                await out.flush()
                await anyio.to_thread.run_sync(os.fsync, out.wrapped.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    url = f"{url_prefix.rstrip('/')}/{int(company_id)}/{name}"
    return Uploaded(path=target, url=url, sha256=digest.hexdigest(), size=size)
