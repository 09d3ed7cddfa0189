"""The axe helper itself: it must fail a page with violations, and say where they are."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.functional.conftest import check_a11y

pytestmark = pytest.mark.browser

BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>
<h1>A page with problems</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAACAA==">
<input type="text" name="unlabelled">
</main></body></html>"""


def test_check_a11y_fails_with_each_violation_and_where_it_is(page: Page) -> None:
    page.set_content(BAD_PAGE)

    with pytest.raises(pytest.fail.Exception) as failure:
        check_a11y(page)

    report = str(failure.value)
    assert "image-alt (critical): Images must have alternative text" in report
    assert "label (critical): Form elements must have labels" in report
    assert "    at img: " in report
    assert "    at input: " in report


def test_check_a11y_passes_a_clean_page(page: Page) -> None:
    page.set_content(BAD_PAGE.replace("<img ", '<img alt="" ').replace("<input ", '<input aria-label="Name" '))
    check_a11y(page)
