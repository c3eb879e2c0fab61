"""Chromium, driven by Playwright, against a live Hamlet; axe-core checks each page.

Debian's Chromium is used (``playwright install`` cannot download here). Where it is
missing the browser tests are skipped by name, except under CI (HAMLET_REQUIRE_BROWSER=1),
where a skipped browser test would hide a failure, so it fails instead.
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.hamlet.fixtures import PASSWORD

CHROMIUM = Path(os.environ.get("HAMLET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()

# Playwright's synchronous API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    missing = not CHROMIUM.exists() and os.environ.get("HAMLET_REQUIRE_BROWSER") != "1"
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                # Named one by one, so the summary says exactly what did not run.
                item.add_marker(pytest.mark.skip(reason=f"{item.name}: Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def live_server(request, _static_files):
    """pytest-django's live server, but with static files served as in production.

    pytest-django puts Django's development static handler in front, which cannot serve
    the hashed names the manifest storage produces; here whitenoise serves them from
    the collected files, exactly as it does behind gunicorn.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"), start=False)
    server.thread.static_handler = lambda handler: handler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
        if os.environ.get("HAMLET_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    # A CSP violation or a failed script shows up as a console error: collect them.
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def _only_the_skip_link(node) -> bool:
    related = [target for check in node["any"] for related in check["relatedNodes"] for target in related["target"]]
    return node["target"] == [SKIP_LINK] or (bool(related) and set(related) == {SKIP_LINK})


SKIP_LINK = ".govuk-skip-link"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_accessible(page) -> None:
    """Run the real axe-core engine in the page (WCAG 2.2 A and AA rules) and fail on any violation."""
    # evaluate() runs through the DevTools protocol, so the page's CSP, which rightly
    # forbids inline script, does not block the injection.
    page.evaluate(f"() => {{ {AXE_SOURCE}\n }}")
    results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    violations = []
    for violation in results["violations"]:
        nodes = violation["nodes"]
        if violation["id"] == "target-size":
            # axe measures GOV.UK's skip link in its hidden, 1-pixel state, and so finds
            # it too small and too close to the header link. It can only be used once
            # focused, when it is full size and alone. Nothing else is excused.
            nodes = [node for node in nodes if not _only_the_skip_link(node)]
        nodes = [node["target"] for node in nodes]
        if nodes:
            violations.append({"id": violation["id"], "impact": violation["impact"], "nodes": nodes})
    assert violations == [], f"axe-core found problems on {page.url}:\n{json.dumps(violations, indent=2)}"
    assert page.problems == [], f"browser errors on {page.url}: {page.problems}"


def sign_in(page, user) -> None:
    """Give ``user`` a password and sign in with it through the sign-in page."""
    user.set_password(PASSWORD)
    user.save()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page, legend: str, day, month=None, year=None) -> None:
    """Type a date into the GOV.UK date input under ``legend``: a date, or day, month and year
    as typed (which may be no date at all, like 40 2 2026)."""
    if month is None:
        day, month, year = day.day, day.month, day.year
    group = page.get_by_role("group", name=legend)
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        group.get_by_label(label).fill(str(value))
