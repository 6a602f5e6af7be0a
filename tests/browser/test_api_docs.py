"""The API's browsable documentation runs under the site's content security policy."""

import re

import pytest

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_swagger_ui_without_csp_errors(live_server, page):
    f.make_series(name="Porsche Supercup", tier=1)
    page.goto(live_server.url + "/api/v1/docs")
    # Swagger UI replaces the server-rendered list once it has read the OpenAPI document.
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/champions/" in path for path in paths)

    # Trying an operation fetches it from the same origin, which connect-src allows.
    series_list = page.locator(".opblock").filter(
        has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/series/$"))
    )
    series_list.locator(".opblock-summary").click()
    series_list.get_by_role("button", name="Try it out").click()
    series_list.get_by_role("button", name="Execute").click()
    series_list.locator(".live-responses-table .response-col_status").first.wait_for()
    assert "porsche-supercup" in series_list.locator(".live-responses-table").inner_text()
    assert page.problems.all == []
