"""长者模式 over HTTP: /display remembers a text size and a contrast in cookies, goes back to the same page on
this site only, ignores values it does not offer, and every page carries the choice as classes on <html>."""
import re

import pytest

from tests.factories.catalog import publish
from tests.factories.offices import make_office

YEAR = 365 * 24 * 3600


def html_class(client, path: str = "/") -> str:
    """The class attribute of the page's <html> element."""
    return re.search(r'<html lang="zh-CN" class="([^"]*)">', client.get(path).get_data(as_text=True)).group(1)


def test_choosing_a_text_size_sets_a_year_long_lax_cookie_and_returns_to_the_same_page(client):
    response = client.get("/display?text=xlarge&next=/catalog%3Fdoc_type%3D%E9%80%9A%E7%9F%A5%26page%3D2")
    assert response.status_code == 303
    assert response.headers["Location"] == "/catalog?doc_type=%E9%80%9A%E7%9F%A5&page=2"
    assert response.headers["Cache-Control"] == "no-store"  # a cached redirect would not set the cookie
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("text_size=xlarge;")
    assert f"Max-Age={YEAR}" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert html_class(client, "/catalog") == "text-xlarge elder"
    assert html_class(client, "/guide") == "text-xlarge elder"  # the next page keeps it


def test_contrast_is_chosen_independently_of_the_text_size(client):
    client.get("/display?text=large&next=/")
    client.get("/display?contrast=high&next=/")
    assert html_class(client) == "text-large elder contrast-high"
    client.get("/display?text=standard&next=/")
    assert html_class(client) == "text-standard contrast-high"
    assert client.get_cookie("text_size") is None  # 标准 is no cookie at all
    client.get("/display?contrast=standard&next=/")
    assert html_class(client) == "text-standard" and client.get_cookie("contrast") is None


def test_the_switch_marks_the_current_choice_and_links_back_to_this_page(client):
    client.get("/display?text=large&contrast=high&next=/")
    page = client.get("/catalog?page=2").get_data(as_text=True)
    switch = page[page.index('aria-label="字号与对比度"'):page.index("</nav>")]
    current = re.findall(r'<a href="([^"]+)" aria-label="[^"]+" aria-current="true">([^<]+)', switch)
    assert [label for _, label in current] == ["大", "高对比度"]
    assert "next=/catalog?page%3D2" in current[0][0].replace("&amp;", "&")
    assert 'hx-boost="false"' in switch  # a full load, so that <html> gets the new class


@pytest.mark.parametrize("query", ["text=huge", "text=", "text=xlarge%00", "contrast=HIGH", "contrast=high;x=1",
                                   "text=%3Cscript%3E", "text=standard%20"])
def test_values_not_offered_are_ignored(client, query):
    response = client.get(f"/display?{query}&next=/guide")
    assert response.status_code in (303, 400)  # the input guard refuses a NUL before any view
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith(("text_size", "contrast"))]
    assert client.get_cookie("text_size") is None and client.get_cookie("contrast") is None


@pytest.mark.parametrize("value", ["huge", "<script>", "xlarge elder", "large\"onload=\"x", ""])
def test_a_forged_cookie_falls_back_to_the_standard_size(client, value):
    client.set_cookie("text_size", value)
    client.set_cookie("contrast", value)
    assert html_class(client) == "text-standard"


# Each of these leaves the site once a browser has parsed it; as sent in ?next=, URL-encoded.
HOSTILE_NEXT = ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example", "%2F%09%2Fevil.example",
                "javascript%3Aalert(1)", "evil.example", "%E3%80%80%2F%2Fevil.example", "%2F" + "a" * 3000, ""]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_next_off_the_site_goes_to_the_home_page_and_the_choice_still_counts(client, target):
    response = client.get(f"/display?text=large&next={target}")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get_cookie("text_size").value == "large"


def test_the_referer_of_the_same_page_brings_back_the_query_htmx_pushed(client):
    # Live search moved the address bar to ?q=电梯 after the header's link was drawn for /search.
    here = "/search?q=%E7%94%B5%E6%A2%AF"
    response = client.get("/display?text=large&next=/search", headers={"Referer": f"http://localhost{here}"})
    assert response.headers["Location"] == here
    elsewhere = client.get("/display?text=large&next=/search", headers={"Referer": f"http://evil.example{here}"})
    assert elsewhere.headers["Location"] == "/search"
    other_page = client.get("/display?text=large&next=/search", headers={"Referer": "http://localhost/guide"})
    assert other_page.headers["Location"] == "/search"


def test_pages_vary_on_the_cookie_so_no_cache_serves_one_visitors_size_to_another(client, ctx):
    doc = publish(title="关于加装电梯的通知")
    for path in ("/", "/catalog", f"/documents/{doc.id}", "/guide", "/apply/", "/does-not-exist"):
        response = client.get(path)
        assert "Cookie" in response.headers["Vary"], path


def test_the_switch_on_an_office_page_comes_back_to_that_office_page(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
    html = client.get("/o/wanzhen/guide").get_data(as_text=True)
    assert "next=/o/wanzhen/guide" in html.replace("%2F", "/")
    answer = client.get("/o/wanzhen/display?text=large&next=/o/wanzhen/guide")
    assert answer.status_code == 303 and answer.headers["Location"] == "/o/wanzhen/guide"


def test_every_page_names_the_portal_icon_and_favicon_ico_leads_to_it(client):
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/").get_data(as_text=True)
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer.headers["Location"].endswith("/static/img/favicon.svg")
    assert client.get("/static/img/favicon.svg").status_code == 200
