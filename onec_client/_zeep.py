"""zeep's entry points, typed for this package (zeep itself is not annotated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import zeep
import zeep.helpers
import zeep.proxy

serialize_object: Callable[..., Any] = zeep.helpers.serialize_object
AsyncClient: Callable[..., Any] = zeep.AsyncClient
AsyncServiceProxy: Callable[..., Any] = zeep.proxy.AsyncServiceProxy
Settings: Callable[..., Any] = zeep.Settings
