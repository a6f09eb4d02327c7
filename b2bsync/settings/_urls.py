"""Refusing plain ``http://`` to another machine: the webhook URL carries its secret in the path,
an OAuth refresh carries the client secret, and 1C's Basic auth carries a password — each in
clear text to anyone on the way. Loopback (``127.0.0.0/8``, ``::1``, ``localhost``: the
sandbox, the demo, a tunnel ending on this host) is fine; ``allow_insecure = true`` in the
section accepts a network the operator trusts."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refuse_plain_http(section: str, urls: dict[str, str | None], allow_insecure: bool) -> None:
    """Raise ValueError naming the first key whose URL is ``http://`` to a remote host (the
    message shows scheme and host only: a webhook's path is its secret)."""
    if allow_insecure:
        return
    for key, url in urls.items():
        if not url:
            continue
        parts = urlsplit(url.strip())
        if parts.scheme.lower() == "http" and not is_loopback(parts.hostname or ""):
            raise ValueError(
                f"{section}.{key} is plain http:// to {parts.hostname}: use https:// "
                f"(or set {section}.allow_insecure = true on a network you trust)"
            )
