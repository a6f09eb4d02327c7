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
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import anyio

from onec_client import Document, DocumentFile, OneCRetryableError, OneCSource

ATTEMPTS = 3


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


def extension(file: DocumentFile) -> str:
    """``.pdf`` for a PDF; else what the content type or 1C's file name says."""
    content_type = file.content_type.split(";")[0].strip().lower()
    if content_type == "application/pdf":
        return ".pdf"
    if file.filename:
        suffix = PurePosixPath(file.filename.replace("\\", "/")).suffix.lower()
        if suffix and suffix[1:].isalnum() and len(suffix) <= 6:
            return suffix
    guessed = mimetypes.guess_extension(content_type) if content_type else None
    return guessed or ".bin"


def upload_name(document: Document, ext: str) -> str:
    return f"{document.file_stem}-{document.guid[:8]}{ext}"


async def attach(source: OneCSource, document: Document, limit: int) -> Attached | TooLarge:
    """The whole file as base64, or :class:`TooLarge` once it passes ``limit`` bytes."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _attach_once(source, document, limit)
        except OneCRetryableError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _attach_once(source: OneCSource, document: Document, limit: int) -> Attached | TooLarge:
    async with source.open_file(document) as file:
        if file.size is not None and file.size > limit:
            return TooLarge(file.size)
        buffer = bytearray()
        async for chunk in file.iter_bytes():
            buffer += chunk
            if len(buffer) > limit:
                return TooLarge(len(buffer))
        name = f"{document.file_stem}{extension(file)}"
    content = bytes(buffer)
    return Attached(
        name=name,
        base64=base64.b64encode(content).decode("ascii"),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


async def upload(
    source: OneCSource, document: Document, upload_dir: Path, company_id: int, url_prefix: str
) -> Uploaded:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await _upload_once(source, document, upload_dir, company_id, url_prefix)
        except OneCRetryableError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _upload_once(
    source: OneCSource, document: Document, upload_dir: Path, company_id: int, url_prefix: str
) -> Uploaded:
    folder = upload_dir / str(int(company_id))
    async with source.open_file(document) as file:
        name = upload_name(document, extension(file))
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
                async for chunk in file.iter_bytes():
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
