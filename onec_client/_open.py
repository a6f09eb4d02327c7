"""Choose the adapter from the configuration."""

from __future__ import annotations

import httpx

from ._config import HttpServiceConfig, SoapConfig, XmlDropConfig
from ._drop import XmlDropSource
from ._http import HttpServiceSource
from ._soap import SoapSource
from ._source import OneCSource, Sleep


def open_source(
    config: HttpServiceConfig | SoapConfig | XmlDropConfig,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Sleep | None = None,
) -> OneCSource:
    """The adapter for ``config``. ``transport`` replaces the network (tests pass
    ``httpx.ASGITransport(fake)``); ``sleep`` replaces the wait between retries."""
    if isinstance(config, HttpServiceConfig):
        return HttpServiceSource(config, transport=transport, sleep=sleep)
    if isinstance(config, SoapConfig):
        return SoapSource(config, transport=transport, sleep=sleep)
    return XmlDropSource(config)
