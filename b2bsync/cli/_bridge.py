"""`b2bsync bridge replay`: the bridge's contract (``bridge/contract/``) over HTTP against the
configured site, to see what a real site answers differently.

Exit codes: 0 every step that could run matched; 1 a step did not (each listed); 2 a usage error,
or a site that holds b2bsync data without ``--disposable`` (the scenarios add HL-blocks, users
and mail events nobody can remove over REST).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import httpx
import typer

from .._errors import UsageError
from ..replay import ReplayRefused, ScenarioReport, http_poster, replay, scenario_files
from ..settings import Settings
from ._app import app
from ._context import app_context

bridge_app = typer.Typer(
    name="bridge",
    help="The b2bsync.bridge module on the site.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(bridge_app, name="bridge")

DEFAULT_CONTRACT = Path("bridge/contract")


def replay_command(
    settings: Settings,
    *,
    contract: Path,
    disposable: bool,
    only: list[str],
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    if not scenario_files(contract):
        raise UsageError(
            f"no scenarios in {contract}: give --contract with the repository's bridge/contract"
        )
    if settings.bitrix.webhook_url is None:
        raise UsageError("bridge replay needs bitrix.webhook_url (the service user's webhook)")
    url = settings.bitrix.webhook_url.get_secret_value()

    async def run() -> list[ScenarioReport]:
        async with httpx.AsyncClient(
            transport=transport, timeout=settings.bitrix.timeout, verify=settings.bitrix.verify_tls
        ) as client:
            return await replay(
                http_poster(client, url), contract, disposable=disposable, only=only
            )

    try:
        reports = asyncio.run(run())
    except ReplayRefused as exc:
        raise UsageError(f"bridge replay: {exc}") from exc
    _print(reports)
    return 0 if all(r.mismatched == 0 for r in reports) else 1


def _print(reports: list[ScenarioReport]) -> None:
    if not sys.stdout.isatty():
        for report in reports:
            typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
        return
    for report in reports:
        mark = "✓" if report.mismatched == 0 else "✗"
        typer.echo(
            f"{mark} {report.name}: {report.matched} matched, {report.mismatched} differ, "
            f"{report.after_fixture} after a skipped fixture, {report.skipped} skipped"
        )
        for problem in report.problems:
            typer.echo(f"    {problem}")
    matched = sum(r.matched for r in reports)
    differ = sum(r.mismatched for r in reports)
    typer.echo(f"{matched} of {matched + differ} steps matched")


@bridge_app.command("replay")
def replay_cmd(
    ctx: typer.Context,
    contract: Annotated[
        Path, typer.Option("--contract", help="The scenario directory (bridge/contract).")
    ] = DEFAULT_CONTRACT,
    disposable: Annotated[
        bool,
        typer.Option(
            "--disposable",
            help="The site is a disposable copy: replay even though it holds b2bsync data.",
        ),
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only this scenario (repeatable).")
    ] = None,
) -> None:
    """Replay the contract's scenarios against the configured site; list what differs."""
    settings = app_context(ctx).settings
    raise typer.Exit(
        replay_command(settings, contract=contract, disposable=disposable, only=only or [])
    )
