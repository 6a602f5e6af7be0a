import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_in_chromium_without_console_errors(live_server, page):
    page.goto(live_server.url + "/")
    assert page.title().endswith("pcc")
    assert page.problems.all == []
