"""Pages work under the Content-Security-Policy in a real browser: nothing the policy blocks
(an inline script, an eval in a vendored library) and the interactive API docs still start."""
from __future__ import annotations

from playwright.sync_api import expect


def watch_for_violations(page) -> list[str]:
    """Messages of everything the browser refused under the policy, and every script error."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    return seen


def test_api_docs_start_under_the_policy(browser_page, live_server):
    page = browser_page
    violations = watch_for_violations(page)
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert not violations, violations
