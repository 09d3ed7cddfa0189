"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Every journey checks each page it visits with axe. Helpers here sign people in through the real forms
(password, then the TOTP second factor) or, when the journey is not about signing in, by session cookie.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from caseview.accounts.models import User
from conftest import Personas, make_personas, verified_client

# Playwright's sync API keeps an asyncio loop running on the main thread, so Django would refuse ORM calls
# from the test code ("You cannot call this from an async context"). Nothing here is really async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Set to a directory (e.g. /tmp/shots) to keep a screenshot of the main pages.
SCREENSHOT_DIR = os.environ.get("CASEVIEW_SCREENSHOTS", "")

_axe = Axe()


# --- browser and pages --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def built_assets() -> None:
    """The compiled stylesheet exists and is newer than its Sass, so pages look as they will in production."""
    css = Path(settings.BASE_DIR) / "caseview" / "static" / "dist" / "caseview.css"
    sources = list((Path(settings.BASE_DIR) / "frontend").glob("*.scss"))
    if not css.exists():
        pytest.fail(f"{css} is missing: run `npm run build` (or `make assets`)", pytrace=False)
    stale = [str(source) for source in sources if source.stat().st_mtime > css.stat().st_mtime]
    if stale:
        pytest.fail(f"{css} is older than {', '.join(stale)}: run `npm run build`", pytrace=False)


@pytest.fixture
def personas(transactional_db: None) -> Personas:
    """The shared personas, committed so the live server's thread sees them."""
    return make_personas()


class PageProblems:
    """What went wrong in the browser while a test ran: script errors, CSP refusals, missing files."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        # A failed load is reported by on_response, with its address; a 404 page is expected in some journeys.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.problems.append(f"script error: {error}")

    def on_response(self, response: Response) -> None:
        # A missing stylesheet, script or image is a problem; a page that is not found may be the point.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, transactional_db: None) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh page. The test fails if the browser reports a script error, a CSP refusal or a missing file."""
    page = context.new_page()
    watcher = PageProblems()
    page.on("console", watcher.on_console)
    page.on("pageerror", watcher.on_page_error)
    page.on("response", watcher.on_response)
    yield page
    page.close()
    problems = list(dict.fromkeys(watcher.problems))
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


# --- helpers ------------------------------------------------------------------------------------------


def check_a11y(page: Page) -> None:
    """Fail, with a readable list, when axe finds any accessibility violation on the page as it is now."""
    page.wait_for_load_state("load")
    results = _axe.run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    if not violations:
        return
    lines = [f"axe found {len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    pytest.fail("\n".join(lines), pytrace=False)


def check_styles_loaded(page: Page) -> None:
    """The GOV.UK stylesheet really loaded: it has rules, and the body uses its font and colours."""
    rule_count = page.evaluate(
        """() => [...document.styleSheets]
            .filter(sheet => (sheet.href || '').endsWith('/dist/caseview.css'))
            .reduce((n, sheet) => n + sheet.cssRules.length, 0)"""
    )
    assert rule_count > 100, "caseview.css did not load (run `npm run build`?)"
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"), (
        "GOV.UK Frontend's JavaScript did not start"
    )


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot when CASEVIEW_SCREENSHOTS names a directory; otherwise do nothing."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)


def fill_date(group: Locator, value: dt.date) -> None:
    """Fill a GOV.UK date input (its fieldset, found by its legend) with `value`."""
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has no request in flight and has settled what it swapped in (after airlock)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping, .htmx-added')"
    )


def sign_in(page: Page, live_server: LiveServer, username: str, password: str) -> None:
    """Sign in through the real sign-in form. Stops wherever the service sends the person next."""
    page.goto(f"{live_server.url}/account/sign-in/")
    check_styles_loaded(page)
    page.get_by_role("heading", name="Sign in to caseview").wait_for()
    check_a11y(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def sign_out(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to caseview").wait_for()


def totp_code(setup_key: str) -> str:
    """The code an authenticator app shows now for this setup key (base32, spaces allowed)."""
    key = setup_key.replace(" ", "").upper()
    key += "=" * (-len(key) % 8)
    return str(totp(base64.b32decode(key), step=30, t0=0, digits=6)).zfill(6)


def enter_second_factor(page: Page, setup_key: str = "") -> str:
    """Get past the second-factor page the service is showing: set up an authenticator app, or enter a code.

    Setting up reads the key from the page, as someone without a camera would, enters the code, checks the
    backup codes are shown, and continues. Returns the setup key, to use the next time this person signs in.
    """
    if re.search(r"/account/two-factor/set-up/", page.url):
        page.get_by_role("heading", name="Set up your authenticator app").wait_for()
        check_a11y(page)
        screenshot(page, "two-factor-setup")
        page.get_by_text("I cannot scan the QR code").click()
        setup_key = page.locator("#setup-key").inner_text().strip()
        assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", setup_key), setup_key
        check_a11y(page)
        page.get_by_label("Code").fill(totp_code(setup_key))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Your backup codes").wait_for()
        codes = page.locator("#backup-codes li").all_inner_texts()
        assert len(codes) >= 5
        assert all(re.fullmatch(r"\d{8}", code.strip()) for code in codes), codes
        check_a11y(page)
        screenshot(page, "backup-codes")
        page.get_by_role("button", name="I have kept my codes safe – continue").click()
    else:
        assert setup_key, f"No second factor to enter on {page.url}"
        page.get_by_role("heading", name="Enter your security code").wait_for()
        check_a11y(page)
        page.get_by_label("Code").fill(totp_code(setup_key))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    return setup_key


def sign_in_by_cookie(context: BrowserContext, live_server: LiveServer, user: User) -> None:
    """Sign `user` in, second factor proved, by handing the browser a session cookie."""
    client = verified_client(user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}])
