"""Browser tests: a real `kurukan serve` on loopback with a demo database, driven by Debian's Chromium.

The server runs in its own process with its own database (a fresh SQLite file, or a scratch PostgreSQL
database when the suite runs on PostgreSQL), set up by `kurukan demo --no-serve` exactly as a user would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Each served demo's environment, by URL, so a test can start a task worker on the same database.
ENVIRONMENTS: dict[str, dict[str, str]] = {}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _scratch_postgres(url: str) -> tuple[str, str]:
    import psycopg

    name = f"kurukan_browser_{uuid.uuid4().hex[:8]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}", name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _serve_demo(tmp_path_factory, require_2fa: bool):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run scripts/system-deps (apt-get install chromium) first.")
    data_dir = tmp_path_factory.mktemp("browser-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "KURUKAN_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "kurukan.settings",
            "KURUKAN_REQUIRE_2FA": "1" if require_2fa else "0",
        }
    )
    env.pop("KURUKAN_ENCRYPTION_KEYS", None)
    scratch = None
    base_url = os.environ.get("KURUKAN_DATABASE_URL", "")
    if base_url.startswith("postgres"):
        env["KURUKAN_DATABASE_URL"], scratch = _scratch_postgres(base_url)
    else:
        env.pop("KURUKAN_DATABASE_URL", None)
    kurukan = [sys.executable, "-m", "kurukan"]
    subprocess.run(
        [*kurukan, "demo", "--no-serve", "--events", "60"], env=env, check=True, capture_output=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [*kurukan, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    ENVIRONMENTS[url] = env
    for _ in range(
        600
    ):  # up to a minute: on a loaded machine the server takes more than ten seconds to start
        try:
            urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)  # noqa: S310 (loopback only)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)
    if scratch:
        _drop_postgres(base_url, scratch)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo as `make demo` serves it (two-factor login off, as in the demo)."""
    yield from _serve_demo(tmp_path_factory, require_2fa=False)


@pytest.fixture(scope="session")
def secure_server(tmp_path_factory):
    """The same with two-factor login required, as in production."""
    yield from _serve_demo(tmp_path_factory, require_2fa=True)


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API runs an event loop in this thread while it is open,
    # and Django refuses database work from a thread with a running loop — the tests that come after the
    # browser tests in the same worker would fail.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kurukan-demo-2026")
    page.click("button.primary")
    page.wait_for_url("**/incidents/")
