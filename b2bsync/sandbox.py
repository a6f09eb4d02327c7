"""Local emulators of the store and of 1C on 127.0.0.1, for trying b2bsync without either.

The store emulator is the Bitrix fake with the bridge installed and a seeded shop; the 1C one
serves the HTTP service and the SOAP web service of an infobase whose counterparties are the
shop's companies (same name, ИНН, КПП), with documents and credit positions
(:class:`jobs.testing.World`).

b2bsync talks to the store as a deployment does: through the webhook of the module's service
user (made as the module's settings page makes it, step 2 of the deployment), the least
privilege the bridge allows — ``b2bsync.order.status.set`` (the one-click approval links) refuses
administrators. The administrator's webhook (``admin_url``: user 1, the store's staff) stays for
what people do on the site; without the bridge module there is no service user, and b2bsync gets
the administrator's webhook.

Used by ``b2bsync sandbox`` (foreground, until stopped) and by the demo (``make demo``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from bitrix_client.fake import FakeSite, Faults, Limits, LoopbackServer
from bitrix_client.fake._seed_store import StoreSeed
from jobs.testing import World
from onec_client.fake import LoopbackFake, ServedFake

SERVICE_EMAIL = "b2bsync@shop.example.ru"


def _limits(profile: str) -> Limits:
    presets = {"off": Limits.off, "standard": Limits.standard, "enterprise": Limits.enterprise}
    if profile not in presets:
        raise ValueError(f"unknown rate-limit profile {profile!r} (off, standard, enterprise)")
    return presets[profile]()


def _faults(rate: float, seed: int) -> Faults:
    """Spread ``rate`` over the failures a real site and network produce."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"fault rate must be between 0 and 1, got {rate}")
    share = rate / 6
    return Faults(
        seed=seed,
        error_500_html=share,
        query_limit=share,
        timeout_before=share,
        timeout_after=share,
        drop_before=share,
        drop_after=share,
        stall_seconds=5.0,
    )


@dataclass
class SandboxOptions:
    port: int = 0
    rate_limit: str = "standard"
    orders: int = 500
    companies: int = 20
    fault_rate: float = 0.0
    seed: int = 0
    secret: str | None = None
    bridge: bool = True
    onec_port: int = 0
    onec_kind: str = "http"
    documents: int = 8
    serve_url: str = "http://127.0.0.1:8480"


@dataclass
class Sandbox:
    options: SandboxOptions
    site: FakeSite = field(init=False)
    store: StoreSeed = field(init=False)
    secret: str = field(init=False)
    admin_secret: str = field(init=False)
    web_secret: str = field(init=False)
    _servers: list[LoopbackServer] = field(default_factory=list, init=False)
    _onec_server: LoopbackFake | None = field(default=None, init=False)
    bitrix_url: str = field(default="", init=False)
    admin_url: str = field(default="", init=False)
    service_user: int | None = field(default=None, init=False)
    onec: ServedFake | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        opts = self.options
        self.secret = opts.secret or secrets.token_hex(8)
        # ``secret`` is the printed webhook's: the service user's, or (no bridge) the admin's
        self.admin_secret = secrets.token_hex(8) if opts.bridge else self.secret
        if opts.onec_kind not in ("http", "soap"):
            raise ValueError(f"unknown 1C source kind {opts.onec_kind!r} (http, soap)")
        self.world = World.build(
            seed=opts.seed,
            companies=opts.companies,
            documents=opts.documents,
            orders=opts.orders,
            real_time=True,
            limits=_limits(opts.rate_limit),
            bitrix_faults=_faults(opts.fault_rate, opts.seed),
            onec_fault_rate=opts.fault_rate,
            secret=self.admin_secret,
        )
        self.site = self.world.site
        self.site.bridge_installed = opts.bridge
        if opts.bridge:  # the module's settings page: the service user and its webhook
            hook = self.site.add_service_account(SERVICE_EMAIL, self.secret)
            self.service_user = hook.user_id
        # the module's settings page, filled in as the README says: links and pings to serve
        self.web_secret = secrets.token_urlsafe(32)
        self.site.bridge.options.update(
            link_secret=self.web_secret,
            link_base_url=f"{opts.serve_url.rstrip('/')}/documents/download",
            sidecar_url=opts.serve_url.rstrip("/"),
        )
        self.store = self.world.shop
        self.app = self.world.app
        self.onec_fake = self.world.onec

    def start(self) -> None:
        server = LoopbackServer(self.app, self.options.port)
        base = server.start()
        self._servers.append(server)
        self.admin_url = f"{base}/rest/1/{self.admin_secret}/"
        self.bitrix_url = (
            f"{base}/rest/{self.service_user}/{self.secret}/"
            if self.service_user is not None
            else self.admin_url
        )
        self._onec_server = LoopbackFake(self.onec_fake, port=self.options.onec_port)
        self.onec = self._onec_server.start()

    def stop(self) -> None:
        if self._onec_server is not None:
            self._onec_server.stop()
            self._onec_server = None
        while self._servers:
            self._servers.pop().stop()

    def wait(self) -> None:
        for server in self._servers:
            server.wait()

    def env(self) -> dict[str, str]:
        """The settings that point b2bsync at this sandbox."""
        serve_url = self.options.serve_url.rstrip("/")
        env = {
            "B2BSYNC_BITRIX__WEBHOOK_URL": self.bitrix_url,
            "B2BSYNC_BITRIX__RATE_LIMIT": self.options.rate_limit,
        }
        if self.onec is not None:
            lines = self.onec.env_lines("soap" if self.options.onec_kind == "soap" else "http")
            env.update(line.partition("=")[::2] for line in lines)
        env.update(
            {
                "B2BSYNC_WEB__SECRET": self.web_secret,
                "B2BSYNC_WEB__PUBLIC_URL": serve_url,
                "B2BSYNC_SYNC__DOWNLOAD_BASE_URL": serve_url,
            }
        )
        return env

    def env_lines(self) -> list[str]:
        return [f"{key}={value}" for key, value in self.env().items()]

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
