"""Browser tests: the test application served over real HTTP, driven by headless Chromium.

`live_server` serves the session's `app` from a thread; `browser_page` and `phone_page`
open a fresh browser context per test, so no cookie leaks from one test to the next.

The server thread shares the application, and so its database engine, with the tests:
rows a test creates through the factories are committed and the server sees them at once.
Between tests `_clean_world` (tests/conftest.py) wipes the database; on SQLite it disposes
the engine and copies a template file over the database file, on PostgreSQL it truncates.
The engine, and so its pool, is shared with the server thread, so the wipe's own dispose
also closes the server's idle connections; nothing more is needed for them. But the wipe is
only safe while no request is running in the server thread: a checked-out connection would
go on reading the replaced file, or hold a lock TRUNCATE waits for. Chromium keeps fetching
after the page a test waited for (the favicon, for one), so every browser test ends by
waiting until the server is idle, after its browser context is closed.

Under pytest-xdist every worker has its own application and database (tests/conftest.py),
so its own live server, on a port the system picks, and its own Chromium: browser tests run
in the parallel passes like the others.
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.support import need_cjk_font, skip_or_fail_in_ci

if importlib.util.find_spec("playwright") is None:  # before the test modules fail to import it
    skip_or_fail_in_ci("playwright is not installed (`make test` installs requirements-dev.txt)")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
# For actions and `expect`: long enough for a loaded CI machine, short enough that a missing
# element fails the test quickly.
ACTION_TIMEOUT_MS = 10_000
IDLE_TIMEOUT_S = 10.0

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


class _RunningRequests:
    """The requests the server is handling now, from reading the request to closing the reply."""

    def __init__(self):
        self.running: list[str] = []
        self.changed = threading.Condition()

    def add(self, request: str) -> None:
        with self.changed:
            self.running.append(request)

    def remove(self, request: str) -> None:
        with self.changed:
            self.running.remove(request)
            self.changed.notify_all()

    def wait_idle(self, timeout: float) -> list[str]:
        """Wait until no request runs; returns those still running after `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: not self.running, timeout)
            return list(self.running)


class _CountingRequestHandler(WSGIRequestHandler):
    """Counts each request around the whole of werkzeug's handling of it.

    Not a WSGI middleware: werkzeug skips closing the response body when the browser has
    already dropped the connection, so a middleware would count such a request forever.
    """

    def run_wsgi(self) -> None:
        request = f"{self.command} {self.path}"
        self.server.running_requests.add(request)
        try:
            super().run_wsgi()
        finally:
            self.server.running_requests.remove(request)


class LiveServer:
    """The test application on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_CountingRequestHandler)
        self.server.running_requests = _RunningRequests()
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=IDLE_TIMEOUT_S)

    def wait_idle(self) -> None:
        running = self.server.running_requests.wait_idle(IDLE_TIMEOUT_S)
        if running:
            pytest.fail(f"the live server still runs {running} after {IDLE_TIMEOUT_S:.0f} s")


@pytest.fixture(scope="session")
def _live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()  # the server thread's pooled connections, before the database goes


@pytest.fixture(scope="session")
def live_server(_live_server) -> str:
    """The base URL of the running test application, e.g. http://127.0.0.1:40123."""
    return _live_server.url


@pytest.fixture(autouse=True)
def _browser_settings(app, _live_server):
    """While a browser test runs, the settings a real browser meets in production.

    CSRF is on, so the real forms must carry their tokens; the default language is the real
    default, Chinese (tests/support.py sets both otherwise for the test-client tests). Per
    test, not per session: test-client tests run after the browser tests in the same session.
    """
    from app.config import DEFAULTS

    production = {"WTF_CSRF_ENABLED": True, "BABEL_DEFAULT_LOCALE": DEFAULTS["BABEL_DEFAULT_LOCALE"]}
    previous = {name: app.config[name] for name in production}
    app.config.update(production)
    yield
    _live_server.wait_idle()  # browser contexts are closed by now; see the module docstring
    app.config.update(previous)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) per test process (per xdist worker)."""
    if not CHROMIUM.exists():
        skip_or_fail_in_ci(f"{CHROMIUM} is missing: install Debian's chromium (`make system-packages`)")
    need_cjk_font()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def new_page(browser, **options):
    """A page in a new browser context (its own cookies), English-speaking unless told."""
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def browser_page(browser):
    """A desktop-sized page (1280x800) in a fresh context, closed after the test."""
    page = new_page(browser, **DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser):
    """A phone-sized touch page (375x812) in a fresh context, closed after the test."""
    page = new_page(browser, **PHONE)
    yield page
    page.context.close()
