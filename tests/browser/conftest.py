"""Headless Debian Chromium driven by Playwright; skipped (with the reason) where it is not installed."""

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# Playwright's sync API runs an event loop in this thread; the live server's database calls are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def one_request_at_a_time_on_sqlite():
    """With SQLite in memory, the live server's threads share the test's one connection: a page that sends
    several requests at once (the admin's Markdown previews, one an editor) would interleave their
    transactions on it. Here they take turns; on PostgreSQL each thread has a connection of its own."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    turn, handle = threading.Lock(), WSGIHandler.__call__

    def in_turn(self, environ, start_response):
        with turn:
            return handle(self, environ, start_response)

    WSGIHandler.__call__ = in_turn
    yield
    WSGIHandler.__call__ = handle


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_server):
    """A page at a desktop or phone width that records every host it asks for something, and fails the test
    if the Content-Security-Policy refused anything on any page it loaded (Chromium logs each refusal)."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda req: page.requested_urls.append(req.url))
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.width_name = request.param
    yield page
    # With SQLite in memory the live server shares the test's connection: let its last requests finish
    # before the next test writes through that connection.
    page.wait_for_load_state("networkidle")
    context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


def screenshot(page, name: str, selector: str | None = None) -> None:
    """Save the page (or one part of it) to var/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}-{page.width_name}.png")
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)


def settle(context) -> None:
    """Close a browser once nothing it sent is still on its way (an autosave, a poll): with SQLite in memory the
    live server shares the test's connection, and what comes after the test must not meet a late request."""
    for page in context.pages:
        page.wait_for_load_state("networkidle")
    context.close()
