"""Adapter for a folder where 1C drops export files.

Each iterator reads the files waiting in the folder (oldest name first) with the streaming
reader of :mod:`._xml`, in batches, giving the event loop a turn after each batch (lxml trees
must stay on the thread that parses them, so the parse does not hop between worker threads).

A file that cannot be read is moved to ``quarantine/`` at once, with ``<name>.reason.txt``
beside it, and reported as one quarantined item with the line number. A file read to its end
is moved to ``processed/`` by :meth:`XmlDropSource.commit`, after the caller stored what it
read, with an atomic rename; a crash before the commit only means the file is read again
(upserts make that harmless).

``changed_since`` is not applied here: the files in the folder *are* the changes.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import AsyncIterator, Callable, Collection, Generator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import structlog

from . import _habits as h
from ._config import XmlDropConfig
from ._errors import ExportFileError, OneCConfigError, OneCFileUnavailable
from ._models import (
    CounterpartyItem,
    CreditItem,
    Document,
    DocumentFile,
    DocumentItem,
    Quarantined,
    RecordKind,
    document_guid,
)
from ._source import CheckReport, OneCSource
from ._xml import read_export

log = structlog.get_logger()
_BATCH = 500
_CHUNK = 64 * 1024


def _take(records: Generator[Any]) -> list[Any]:
    return list(islice(records, _BATCH))


def _unique(target: Path) -> Path:
    if not target.exists():
        return target
    stem, suffix = target.stem, target.suffix
    for index in range(1, 10_000):
        candidate = target.with_name(f"{stem}.{index}{suffix}")
        if not candidate.exists():
            return candidate
    raise OneCConfigError(f"too many files named like {target.name} in {target.parent}")


def _error_line(path: Path, line: int | None) -> str:
    """The offending line of a broken file (bounded), for the quarantined item's raw form."""
    if line is None:
        return path.name
    try:
        with path.open("rb") as stream:
            for number, text in enumerate(stream, start=1):
                if number == line:
                    return f"{path.name}:{line}: {text[:2000].decode('utf-8', 'replace').rstrip()}"
    except OSError:
        return path.name
    return path.name


class XmlDropSource(OneCSource):
    kind = "xml"

    def __init__(self, config: XmlDropConfig, *, clock: Callable[[], float] | None = None) -> None:
        self._config = config
        self._clock = clock or time.time
        self._dir = config.directory
        self._read_fully: set[Path] = set()

    def _sub(self, name: str) -> Path:
        return self._dir / name

    def waiting(self) -> list[Path]:
        """Export files in the folder, in name order (1C names them by time); files changed in
        the last ``settle_seconds`` are left for the next run, 1C may still be writing them."""
        if not self._dir.is_dir():
            raise OneCConfigError(f"1C drop folder does not exist: {self._dir}")
        settled = self._clock() - self._config.settle_seconds
        ready: list[Path] = []
        for path in sorted(p for p in self._dir.glob(self._config.pattern) if p.is_file()):
            if path.stat().st_mtime > settled:
                log.info("onec.file.settling", file=path.name)
                continue
            ready.append(path)
        return ready

    def _quarantine_file(self, path: Path, error: ExportFileError) -> Path:
        target_dir = self._sub(self._config.quarantine_dir)
        target_dir.mkdir(exist_ok=True)
        target = _unique(target_dir / path.name)
        os.replace(path, target)
        target.with_name(target.name + ".reason.txt").write_text(str(error) + "\n", "utf-8")
        log.warning("onec.file.quarantined", file=path.name, reason=str(error))
        return target

    async def _items(self, kinds: Collection[RecordKind], keep: Any = None) -> AsyncIterator[Any]:
        for path in self.waiting():
            if not path.exists():
                continue
            mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            records: Generator[Any] = read_export(
                path, self._config.tz, kinds=kinds, generated_fallback=mtime
            )
            failure: ExportFileError | None = None
            try:
                while True:
                    batch = _take(records)
                    if not batch:
                        break
                    for item in batch:
                        if keep is None or keep(item):
                            yield self._with_file(item)
                    await anyio.lowlevel.checkpoint()
            except ExportFileError as exc:
                failure = exc
            finally:
                records.close()
            if failure is None:
                self._read_fully.add(path)
                continue
            raw = _error_line(path, failure.line)
            moved = self._quarantine_file(path, failure)
            yield Quarantined(
                kind="file", raw=raw, reason=f"{path.name}: {failure}", origin=str(moved)
            )

    def _file_path(self, guid: str) -> Path | None:
        folder = self._sub(self._config.files_dir)
        if not folder.is_dir():
            return None
        return next((p for p in sorted(folder.glob(f"{guid}.*")) if p.is_file()), None)

    def _with_file(self, item: Any) -> Any:
        if isinstance(item, Document) and not item.has_file and self._file_path(item.guid):
            return item.model_copy(update={"has_file": True})
        return item

    async def counterparties(
        self, changed_since: datetime | None = None
    ) -> AsyncIterator[CounterpartyItem]:
        async for item in self._items({"counterparty"}):
            yield item

    async def documents(
        self, counterparty: str | None = None, changed_since: datetime | None = None
    ) -> AsyncIterator[DocumentItem]:
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")

        def keep(item: Any) -> bool:
            if owner is None:
                return True
            return isinstance(item, Document) and item.counterparty_guid == owner

        async for item in self._items({"document"}, keep):
            yield item

    async def credit(self, counterparty: str | None = None) -> AsyncIterator[CreditItem]:
        owner = None if counterparty is None else h.require_guid(counterparty, "counterparty")

        def keep(item: Any) -> bool:
            if owner is None:
                return True
            return getattr(item, "counterparty_guid", None) == owner

        async for item in self._items({"credit"}, keep):
            yield item

    def open_file(self, document: Document | str) -> AbstractAsyncContextManager[DocumentFile]:
        return self._open_file(document_guid(document))

    @asynccontextmanager
    async def _open_file(self, guid: str) -> AsyncIterator[DocumentFile]:
        path = self._file_path(guid)
        if path is None:
            raise OneCFileUnavailable(f"no file for document {guid} in {self._config.files_dir}/")
        handle = await anyio.open_file(path, "rb")
        try:

            async def chunks() -> AsyncIterator[bytes]:
                while True:
                    block = await handle.read(_CHUNK)
                    if not block:
                        return
                    yield block

            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            yield DocumentFile.streaming(
                chunks(),
                document_guid=guid,
                content_type=content_type,
                size=path.stat().st_size,
                filename=path.name,
            )
        finally:
            await handle.aclose()

    async def commit(self) -> None:
        if not self._read_fully:
            return
        target_dir = self._sub(self._config.processed_dir)
        target_dir.mkdir(exist_ok=True)
        for path in sorted(self._read_fully):
            if path.exists():
                target = _unique(target_dir / path.name)
                os.replace(path, target)
                log.info("onec.file.processed", file=path.name, moved_to=str(target))
        self._read_fully.clear()

    async def check(self) -> CheckReport:
        files = self.waiting()
        if not os.access(self._dir, os.R_OK | os.W_OK | os.X_OK):
            raise OneCConfigError(f"1C drop folder is not readable and writable: {self._dir}")
        return CheckReport(
            source="xml",
            lines=[
                f"drop folder {self._dir} is readable and writable",
                f"{len(files)} export file(s) waiting ({self._config.pattern})",
            ],
        )
