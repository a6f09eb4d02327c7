"""The OAuth token file (``bitrix.token_file``): one rotating pair shared by every process.

Three timers starting with an expired access token each renewed it with the same refresh token;
Bitrix rotates refresh tokens, so two of them got ``invalid_grant``. Renewal now happens under
an exclusive ``flock`` on a lock file beside the token file (``<token_file>.lock``; a separate
file, because the token file itself is replaced atomically on every save). Under the lock the
token file is read again: a process that waited finds the pair another one stored and uses it.

The file is written 0600 from its first byte (never created with the umask and chmodded
later), flushed with ``fsync``, renamed over the old one, and the folder is ``fsync``ed so the
rename survives a power cut. A lost refresh token means re-authorising the application by hand.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bitrix_client import OAuthTokens

from ._errors import ConfigError
from ._logging import REDACTOR

MODE = 0o600


def read_tokens(path: Path) -> OAuthTokens | None:
    """The stored pair, or None when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"token file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"token file {path} is not valid JSON") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"token file {path} is not a JSON object")
    access, refresh = data.get("access_token"), data.get("refresh_token")
    if not isinstance(access, str) or not isinstance(refresh, str):
        raise ConfigError(f"token file {path} lacks access_token or refresh_token")
    REDACTOR.add(access, refresh)
    return OAuthTokens(access, refresh)


def write_private(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` atomically and durably, readable by its owner only."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, MODE)
    try:
        os.fchmod(fd, MODE)  # a leftover temporary file may have had other bits
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class TokenFile:
    """:class:`bitrix_client.SharedTokens` over a JSON file and its ``flock``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def read(self) -> OAuthTokens | None:
        return read_tokens(self.path)

    def _lock(self) -> int:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[OAuthTokens | None]:
        """Exclusive across processes; the wait happens in a worker thread, not the loop."""
        try:
            fd = await asyncio.to_thread(self._lock)
        except OSError as exc:
            raise ConfigError(f"cannot lock {self.lock_path}: {exc.strerror}") from exc
        try:
            yield self.read()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    async def save(self, tokens: OAuthTokens) -> None:
        REDACTOR.add(tokens.access_token, tokens.refresh_token)
        body = {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
        await asyncio.to_thread(write_private, self.path, json.dumps(body).encode())


__all__ = ["TokenFile", "read_tokens", "write_private"]
