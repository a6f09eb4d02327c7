"""Fixtures of the cabinet's page test: the components on PHP's built-in server, and Chromium.

- ``cabinet_site``: ``php -S`` on a free 127.0.0.1 port running ``bridge/tests/site/router.php``
  (the Bitrix test double and a seeded CabinetWorld in a state file under ``tmp_path``); ready
  once the server prints that it started (no polling); stopped after the test.
- ``browser``: headless Debian Chromium through chromedriver with a fresh profile and downloads
  going to ``tmp_path / "downloads"``.

Both skip the test when php or chromium/chromedriver are missing — unless ``CI`` is set, where
a missing tool is a failure (as ``bridge/check.sh`` does for php).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

BRIDGE = Path(__file__).resolve().parents[2] / "bridge"
ROUTER = BRIDGE / "tests" / "site" / "router.php"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI")
    pytest.skip(f"{what} is not installed")


@dataclass
class CabinetSite:
    url: str
    state: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def cabinet_site(tmp_path: Path) -> Iterator[CabinetSite]:
    php = shutil.which("php")
    if php is None:
        _missing("php")
    port = _free_port()
    state = tmp_path / "world.state"
    env = {**os.environ, "B2BSYNC_CABINET_STATE": str(state)}
    server = subprocess.Popen(
        [str(php), "-S", f"127.0.0.1:{port}", "-t", str(BRIDGE), str(ROUTER)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert server.stderr is not None
    drain = threading.Thread(target=server.stderr.read, daemon=True)
    try:
        first = server.stderr.readline()
        if "started" not in first:
            raise RuntimeError(f"php -S did not start: {first.strip()}")
        # the server logs every request to stderr: keep draining it so it never blocks
        drain.start()
        yield CabinetSite(f"http://127.0.0.1:{port}", state)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if drain.is_alive():
            drain.join(timeout=10)
        server.stderr.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        _missing("Debian chromium and chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,900",
        "--lang=ru",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()
