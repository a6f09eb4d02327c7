"""What the company-users and invite commands share: running against the site with one Bitrix
client, naming a company (row ID or 1C GUID) and a user (ID or e-mail), and turning the
workflows' refusals into the CLI's exits (1 with the reason; usage mistakes are 2)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from bitrix_client import BitrixClient, BitrixError
from workflows import Company, Directory, MemberRows, PolicyContext, Refused, WorkflowError

from .._errors import B2BSyncError, UsageError
from .._wiring import bitrix_client, service_config
from ..settings import Settings

T = TypeVar("T")


def on_site(settings: Settings, work: Callable[[BitrixClient], Awaitable[T]]) -> T:
    """Run ``work`` with the configured site's client; its failures as one-line errors."""

    async def main() -> T:
        async with bitrix_client(settings.bitrix) as bitrix:
            return await work(bitrix)

    try:
        return asyncio.run(main())
    except WorkflowError as exc:
        raise B2BSyncError(str(exc)) from exc
    except BitrixError as exc:
        raise B2BSyncError(f"the site: {' '.join(str(exc).split())}") from exc


def context(settings: Settings, bitrix: BitrixClient, now: datetime) -> PolicyContext:
    """What the workflows' operations read the site through (one directory per command)."""
    return PolicyContext(
        Directory(bitrix, default_language=settings.watch.default_language),
        service_config(settings).watch,
        now,
    )


async def company_of(bitrix: BitrixClient, ref: str) -> Company:
    """The company a row ID or a 1C GUID names; exit 1 when there is none."""
    if not ref.strip():
        raise UsageError("name the company by its ID or its 1C GUID")
    found = await MemberRows(bitrix).company(ref)
    if found is None:
        raise Refused(f"no company {ref!r} (give its ID or its 1C GUID)")
    return found


async def user_of(bitrix: BitrixClient, ref: str) -> int:
    """The site user an ID or an e-mail names; exit 1 when there is none."""
    text = ref.strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if "@" not in text:
        raise UsageError(f"name the user by their ID or e-mail, not {ref!r}")
    found = await bitrix.bridge.user_find(text)
    if found is None:
        raise Refused(f"no site user with e-mail {text!r}")
    return int(found["ID"])


__all__ = ["company_of", "context", "on_site", "user_of"]
