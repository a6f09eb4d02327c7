"""`b2bsync sandbox`: the store and 1C emulators on 127.0.0.1 until stopped."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from .._errors import UsageError
from ..sandbox import Sandbox, SandboxOptions
from ._app import app
from ._output import emit, json_mode


@app.command()
def sandbox(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the Bitrix emulator (0 = any free).")] = 8765,
    rate_limit: Annotated[
        str, typer.Option(help="Bucket of the emulated site: off, standard, enterprise.")
    ] = "standard",
    orders: Annotated[int, typer.Option(min=0, help="Orders to seed.")] = 500,
    companies: Annotated[int, typer.Option(min=1, help="Companies to seed.")] = 20,
    fault_rate: Annotated[
        float, typer.Option(help="Share of requests that fail (500, 503, timeouts, drops).")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Seed of the data and of the faults.")] = 0,
    secret: Annotated[str | None, typer.Option(help="Webhook secret (default: random).")] = None,
    onec_port: Annotated[int, typer.Option(help="Port of the 1C emulator (0 = any free).")] = 0,
    onec_kind: Annotated[
        str, typer.Option(help="Which 1C interface the printed settings use: http or soap.")
    ] = "http",
    documents: Annotated[
        int, typer.Option(min=0, help="Documents per counterparty in the 1C emulator.")
    ] = 5,
    serve_url: Annotated[
        str,
        typer.Option(help="Where `b2bsync serve` will listen: the module's links and pings."),
    ] = "http://127.0.0.1:8480",
    env_file: Annotated[
        Path | None, typer.Option(help="Also write the B2BSYNC_… lines to this file.")
    ] = None,
) -> None:
    """Run local emulators of the store (Bitrix REST + the bridge) and of 1C for trying b2bsync.

    Prints the webhook base URL — the module's service user's, as a deployment gives b2bsync
    — then one B2BSYNC_…=… line per setting; `export` them (or pass --env-file and source it)
    and every other command talks to the sandbox. The administrator's webhook (the store's
    staff) goes to stderr. Into a pipe: one JSON object with the URLs and the settings.
    """
    try:
        box = Sandbox(
            SandboxOptions(
                port=port,
                rate_limit=rate_limit,
                orders=orders,
                companies=companies,
                fault_rate=fault_rate,
                seed=seed,
                secret=secret,
                onec_port=onec_port,
                onec_kind=onec_kind,
                documents=documents,
                serve_url=serve_url,
            )
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    try:
        box.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from exc
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        lines = box.env_lines()
        if env_file is not None:  # written first: whoever reads our output can source it
            env_file.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        if json_mode(ctx):
            env = dict(line.split("=", 1) for line in lines)
            ready = {"event": "sandbox.ready", "bitrix_url": box.bitrix_url, "env": env}
            emit({**ready, "service_user": box.service_user, "admin_url": box.admin_url})
        else:
            typer.echo(box.bitrix_url)
            for line in lines:
                typer.echo(line)
        if box.service_user is not None:
            typer.echo(
                f"# b2bsync's webhook: the module's service user #{box.service_user}; "
                f"the administrator's: {box.admin_url}",
                err=True,
            )
        typer.echo(f"# sandbox running ({orders} orders); Ctrl-C to stop", err=True)
        stop.wait()
    finally:
        box.stop()
