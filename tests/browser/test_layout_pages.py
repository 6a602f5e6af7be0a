"""Every page type, on the facts the site ships with (load_pyramid), at a desktop width and on a
phone: no run of text is drawn over another in the page's main content, and nothing widens the
document past the screen (a wide table scrolls inside its own box instead). The editors' admin
screens are held to the same two rules.

Text boxes are measured as in test_season_layout.py (one rectangle per line of each visible text
node, cut to what its clipping ancestors show), but only inside the main content: <main> on the
public site, #content in the admin.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from series.models import Season, Session

from .test_season_layout import overlaps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One address per page type (issue #9, #13, #10): the brief's list of what fans and editors open.
PUBLIC_PAGES = [
    "/",
    "/pyramid/",
    "/coverage/",
    "/coverage/supercup/",
    "/series/supercup/",
    "/series/carrera-cup-japan/",
    "/series/supercup/2023/",
    "/series/supercup/2023/standings/",
    "/series/supercup/2023/standings/?table=teams",
    "/series/supercup/2023/results/",
    "/series/carrera-cup-japan/2024/",  # winners only, no points scale
    "/series/carrera-cup-japan/2024/standings/",
    "/series/supercup/2024/",  # partial
    "/series/supercup/2026/",  # calendar only
    "/series/carrera-cup-france/1997/",  # a champion and nothing else
    "/events/long-beach-2023/",  # weekend precision
    "/events/rennsport-reunion-2/",  # month precision
    "/events/monaco-2023/supercup-r1-race/",  # a session with results
    "/drivers/",
    "/drivers/larry-ten-voorde/",
    "/drivers/ukyo-sasahara/",  # a name in its own script
    "/teams/",
    "/teams/bwt-lechner-racing/",
    "/circuits/",
    "/circuits/monza/",
    "/champions/",
    "/champions/?series=supercup",
    "/calendar/",
    "/search/?q=muller",
    "/watch/",
]

# The visible text runs inside `root`, boxed; see test_season_layout.TEXT_BOXES.
TEXT_BOXES = """
(rootSelector) => {
  const root = document.querySelector(rootSelector);
  if (!root) return null;
  const clipped = (rect, element) => {
    let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
    for (let el = element; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const clip = el.getBoundingClientRect();
        left = Math.max(left, clip.left); right = Math.min(right, clip.right);
        top = Math.max(top, clip.top); bottom = Math.min(bottom, clip.bottom);
      }
    }
    return {x: left + scrollX, y: top + scrollY, w: right - left, h: bottom - top};
  };
  const boxes = [];
  let node_index = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    node_index += 1;
    if (!node.textContent.trim()) continue;
    const parent = node.parentElement;
    const skipped = '.visually-hidden, script, style, title, desc, svg, option, select, textarea';
    if (!parent || parent.closest(skipped)) continue;
    // Hidden text (display none, visibility hidden, the body of a closed <details>) has no box.
    if (!parent.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      const box = clipped(rect, parent);
      if (box.w < 1 || box.h < 1) continue;
      boxes.push({text: node.textContent.trim().slice(0, 40), node: node_index, ...box});
    }
  }
  for (const text of root.querySelectorAll('svg text')) {
    const box = clipped(text.getBoundingClientRect(), text.parentElement);
    if (box.w < 1 || box.h < 1) continue;
    node_index += 1;
    boxes.push({text: 'svg: ' + text.textContent.trim().slice(0, 34), node: node_index, ...box});
  }
  return boxes;
}
"""

# What sticks out past the right edge of the screen without a scrolling box around it: each such
# element widens the document. (Content scrolled inside an overflow box is not counted.)
STICKING_OUT = """
() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > width + 1 && !inScroller(el)) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(rect.right)}px`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}
"""


def _check(page, url: str, root: str) -> list[str]:
    """The problems of one page: text over text inside `root`, and a document wider than the
    screen."""
    response = page.goto(url)
    assert response.status == 200, url
    problems = []
    boxes = page.evaluate(TEXT_BOXES, root)
    assert boxes, f"{url}: no {root}"
    assert len(boxes) > 5, url  # the page rendered its text
    for a, b in overlaps(boxes):
        problems.append(f"{url}: '{a}' overlaps '{b}'")
    width = page.evaluate(STICKING_OUT)
    if width["scrollWidth"] > width["width"]:
        problems.append(f"{url}: document {width['scrollWidth']}px wide: {width['out']}")
    return problems


@pytest.fixture
def facts_url(live_server):
    call_command("load_pyramid", stdout=io.StringIO())
    return live_server.url


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_public_pages_have_no_overlapping_text_and_no_sideways_scroll(request, facts_url, fixture):
    page = request.getfixturevalue(fixture)
    problems = []
    for path in PUBLIC_PAGES:
        problems += _check(page, facts_url + path, "main")
    assert problems == [], "\n".join([fixture, *problems[:30]])


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_admin_screens_have_no_overlapping_text_and_no_sideways_scroll(request, facts_url, fixture):
    page = request.getfixturevalue(fixture)
    user = User.objects.create_superuser("layout", "layout@example.com", "a-long-layout-password")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": facts_url}]
    )
    season = Season.objects.get(series__slug="supercup", year=2023)
    session = Session.objects.filter(round__season=season, results__isnull=False).first()
    screens = [
        "/admin/",
        "/admin/series/session/race-control/",
        f"/admin/series/session/{session.pk}/change/",
        f"/admin/series/session/{session.pk}/import-results/",
        f"/admin/series/season/{season.pk}/import-entries/",
        f"/admin/series/season/{season.pk}/change/",
    ]
    problems = []
    for path in screens:
        problems += _check(page, facts_url + path, "#content")

    # The preview of a pasted classification, as the editor sees it before confirming.
    page.goto(f"{facts_url}/admin/series/session/{session.pk}/import-results/")
    page.fill("textarea", "Pos\tDriver\n1\tBastian Buus\n2\tHarry King\nDNF\tLarry ten Voorde\n")
    page.fill("input[name=reason]", "Layout check")
    page.get_by_role("button", name="Preview import").click()
    page.wait_for_load_state()
    assert page.locator("#import-preview").is_visible()
    boxes = page.evaluate(TEXT_BOXES, "#content")
    problems += [f"preview: '{a}' overlaps '{b}'" for a, b in overlaps(boxes)]
    width = page.evaluate(STICKING_OUT)
    if width["scrollWidth"] > width["width"]:
        problems.append(f"preview: document {width['scrollWidth']}px wide: {width['out']}")
    assert problems == [], "\n".join([fixture, *problems[:30]])


def test_the_checks_catch_a_page_wider_than_the_phone(phone_page, facts_url):
    """The overflow check can fail: a table taken out of its scrolling box widens the page."""
    phone_page.goto(facts_url + "/series/supercup/2023/results/")
    phone_page.evaluate(
        "document.querySelectorAll('.table-wrap').forEach(el => el.style.overflow = 'visible')"
    )
    width = phone_page.evaluate(STICKING_OUT)
    assert width["scrollWidth"] > width["width"]
    assert width["out"]
