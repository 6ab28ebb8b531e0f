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


def test_a_form_with_data_confirm_asks_first_and_cancel_stops_it(browser_page, live_server):
    """What the templates' inline onsubmit="return confirm(…)" did, now done by js/forms.js."""
    page = browser_page
    violations = watch_for_violations(page)
    page.goto(f"{live_server}/login")
    page.evaluate("""() => {
        const form = document.createElement("form");
        form.action = "/signup"; form.method = "get"; form.dataset.confirm = "Really?";
        form.innerHTML = '<button type="submit" id="ask-first">Go</button>';
        document.body.append(form);
    }""")
    questions: list[str] = []

    def answer(dialog, accept: bool):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("#ask-first")
    page.wait_for_timeout(300)
    assert page.url.endswith("/login") and questions == ["Really?"]
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        page.click("#ask-first")
    assert "/signup" in page.url and questions == ["Really?", "Really?"]
    assert not violations, violations
