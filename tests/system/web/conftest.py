"""A real workshop server process on a free port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`workshop serve` with the demo data on a fresh SQLite file; yields its base URL."""
    instance = tmp_path_factory.mktemp("instance")
    env = {**os.environ, "WORKSHOP_INSTANCE_PATH": str(instance), "WORKSHOP_DATABASE_URL": ""}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([str(BIN / "workshop"), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (instance / "server.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "workshop"), "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((instance / "server.log").read_text()) from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium (never a browser downloaded by Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def wait_until(page: Any, expression: str, timeout: float = 5.0) -> None:
    """Poll `expression` in the page until it is true. Not page.wait_for_function: that one
    compiles its predicate with eval, which the Content-Security-Policy rightly blocks."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout:g} s: {expression}")
        page.wait_for_timeout(50)


@pytest.fixture(scope="module")
def camera_browser(browser: Any) -> Iterator[Any]:
    """A second Debian chromium, with its fake camera; the permission is left to each context.
    Launched by the same Playwright as `browser` (only one may run per thread)."""
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--use-fake-device-for-media-stream",
        ],
    )
    yield camera
    camera.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
