"""Nothing moves as a page loads (Cumulative Layout Shift below 0.05, where Google calls 0.1
good) on a 390 px phone, with the demo's pictures arriving late: each picture's box is
reserved by its width, height and aspect ratio before a byte of it comes.

Django's test server does not serve uploads, so the browser gets them from MEDIA_ROOT through
a route that holds each one back a moment, as a slow connection would."""

import time
from pathlib import Path

import pytest

from tests.public_pages import REFERENCE_RELEASE

pytestmark = pytest.mark.django_db(transaction=True)

# The layout shifts of the page so far, as Chromium measured them (buffered: from the start),
# leaving out those that follow the reader's own input, as CLS does.
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 300);
})"""
SCROLL_THROUGH = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 400) {
        window.scrollTo(0, y);
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}"""


@pytest.fixture
def phone(browser, settings, demo):
    """A 390 px phone that gets the uploaded pictures late, and counts them."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    media = Path(settings.MEDIA_ROOT)
    page.served_pictures = []

    def late_picture(route):
        path = media / route.request.url.split("/media/", 1)[1]
        time.sleep(0.15)
        page.served_pictures.append(path.name)
        route.fulfill(path=path)

    page.route("**/media/**", late_picture)
    yield page
    context.close()


@pytest.mark.parametrize("url", ["/", REFERENCE_RELEASE], ids=["home", "release"])
def test_the_page_does_not_shift_as_its_pictures_load(phone, live_server, url):
    phone.goto(live_server.url + url, wait_until="load")
    phone.evaluate(SCROLL_THROUGH)
    phone.wait_for_load_state("networkidle")

    shift = phone.evaluate(LAYOUT_SHIFT)

    assert phone.served_pictures, "no picture was shown: nothing was measured"
    assert phone.evaluate("[...document.images].every(image => image.naturalWidth > 0)")
    assert shift < 0.05, f"Cumulative layout shift {shift:.3f} on {url}"
