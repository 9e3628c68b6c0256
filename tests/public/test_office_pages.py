"""A portal of several offices, as residents see it: the home page lists the offices; each office's pages
under /o/<code>/ (catalog, entries, guide, annual reports, feed, sitemap, open data) hold only its own; the
shared catalog and open data list every office's entries with a 发布机关 filter."""
import csv
import io
from datetime import date
from urllib.parse import quote
from xml.etree import ElementTree

import pytest

from portal.calendar.store import ensure_seeded
from portal.catalog.attachments import check_file
from portal.extensions import db
from portal.models import Office
from portal.reports import services as reports
from tests.factories.catalog import publish
from tests.factories.offices import in_office, make_office

HX = {"HX-Request": "true"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIRST = "上海市普陀区石泉路街道办事处"
OTHER = "上海市普陀区万镇街道办事处"


@pytest.fixture
def offices(app):
    """Two offices, each with entries published through the catalog's write path: their ids by name."""
    with app.app_context():
        first = Office.first()
        ids = {"first": first.id}
        ids["budget"] = publish(title="石泉路街道2025年部门预算", publisher=FIRST).id
        ids["elevator"] = publish(title="石泉路街道加装电梯通知", publisher=FIRST).id
        wanzhen = make_office("wanzhen", OTHER, description="万镇街道的预算、民生和社区事务信息")
        ids["wanzhen"] = wanzhen.id
        with in_office(wanzhen):
            ids["plan"] = publish(title="万镇街道防汛应急预案", publisher=OTHER, doc_type="公告").id
    return ids


def text(response) -> str:
    """A response's body as text."""
    return response.get_data(as_text=True)


def test_the_home_page_lists_each_office_with_links_to_its_catalog_guide_and_reports(client, offices):
    html = text(client.get("/"))
    assert "各机关政府信息公开" in html and "万镇街道的预算、民生和社区事务信息" in html
    for code in ("shiquanlu", "wanzhen"):
        for page in ("catalog", "guide", "annual-reports"):
            assert f'href="/o/{code}/{page}"' in html
    # The latest entries of all offices, each naming its office and linking to its office's page.
    assert "万镇街道防汛应急预案" in html and "石泉路街道2025年部门预算" in html
    assert f'href="/o/wanzhen/documents/{offices["plan"]}"' in html


def test_an_office_home_page_shows_its_own_latest_entries_and_no_office_list(client, offices):
    html = text(client.get("/o/wanzhen/"))
    assert "万镇街道防汛应急预案" in html and "石泉路街道2025年部门预算" not in html
    assert "各机关政府信息公开" not in html


def test_a_single_office_home_page_lists_no_offices_and_links_entries_as_before(client, ctx):
    doc = publish(title="石泉路街道2025年部门预算")
    html = text(client.get("/"))
    assert "各机关政府信息公开" not in html and f'href="/documents/{doc.id}"' in html


def test_an_office_catalog_lists_only_its_own_entries_without_an_office_choice(client, offices):
    mine = text(client.get("/o/wanzhen/catalog"))
    assert "万镇街道防汛应急预案" in mine and "石泉路街道加装电梯通知" not in mine
    assert 'name="office"' not in mine and "共 1 条信息" in mine
    first = text(client.get("/o/shiquanlu/catalog"))
    assert "石泉路街道加装电梯通知" in first and "万镇街道防汛应急预案" not in first and "共 2 条信息" in first


def test_an_office_catalog_offers_only_its_own_publishers_and_years(client, offices):
    html = text(client.get("/o/wanzhen/catalog"))
    assert f"<option>{OTHER}</option>" in html and f"<option>{FIRST}</option>" not in html
    refused = text(client.get("/o/wanzhen/catalog", query_string={"publisher": FIRST}))
    assert "不在目录中，已忽略" in refused


def test_the_shared_catalog_lists_every_office_with_a_labelled_office_choice_and_counts(client, offices):
    html = text(client.get("/catalog"))
    assert '<label for="f-office">发布机关</label>' in html and '<select id="f-office" name="office">' in html
    assert f'<option value="shiquanlu">{FIRST}（2）</option>' in html
    assert f'<option value="wanzhen">{OTHER}（1）</option>' in html
    assert "共 3 条信息" in html and '<th scope="col">发布机关</th>' in html
    # Each line names its office and links the entry on that office's pages.
    assert f'<td data-label="发布机关"><a href="/o/wanzhen/catalog">{OTHER}</a></td>' in html
    assert f'href="/o/wanzhen/documents/{offices["plan"]}"' in html


def test_the_office_filter_narrows_the_shared_catalog_with_and_without_javascript(client, offices):
    page = text(client.get("/catalog?office=wanzhen"))
    results = page.split('id="results"')[1]
    assert "万镇街道防汛应急预案" in results and "石泉路街道加装电梯通知" not in results
    assert '<option value="wanzhen" selected>' in page and "共 1 条符合条件的信息" in page
    assert "<details class=\"filter-panel\" open>" in page  # a chosen office opens the panel
    fragment = text(client.get("/catalog?office=wanzhen", headers=HX))
    assert "<html" not in fragment and "万镇街道防汛应急预案" in fragment and "石泉路街道加装电梯通知" not in fragment
    # The office is kept by the pager and the other filters' links, and 清除筛选 drops it.
    assert 'href="/catalog">清除筛选' in fragment


@pytest.mark.parametrize("value", ["nosuch", "\x00", "w" * 5000, "１２", "万镇", "WANZHEN\n", "../x", "%", " "])
def test_a_strange_office_on_the_shared_catalog_is_ignored_with_a_notice_never_an_error(client, offices, value):
    response = client.get("/catalog", query_string={"office": value})
    assert response.status_code == 200
    html = text(response)
    if value.strip().lower() != "wanzhen" and value.strip():
        assert "共 3 条信息" in html and ("不存在，已忽略" in html or "无法处理的字符" in html)


def test_an_entry_lives_on_its_own_office_pages_and_other_addresses_send_it_there(client, offices):
    plan = offices["plan"]
    assert client.get(f"/o/wanzhen/documents/{plan}").status_code == 200
    for wrong in (f"/o/shiquanlu/documents/{plan}", f"/documents/{plan}"):
        response = client.get(wrong)
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/o/wanzhen/documents/{plan}")
    html = text(client.get(f"/o/wanzhen/documents/{plan}"))
    assert OTHER in html and 'href="/o/wanzhen/catalog"' in html  # the office's own frame and crumbs
    assert client.get("/o/wanzhen/documents/999999").status_code == 404


def test_an_attachment_is_not_served_under_another_office(client, app):
    with app.app_context():
        wanzhen = make_office("wanzhen", OTHER)
        with in_office(wanzhen):
            doc = publish([check_file("预案.txt", "预案正文".encode())], title="万镇预案")
        doc_id, attachment_id = doc.id, doc.attachments[0].id
    assert client.get(f"/o/wanzhen/documents/{doc_id}/attachments/{attachment_id}").status_code == 200
    assert client.get(f"/o/shiquanlu/documents/{doc_id}/attachments/{attachment_id}").status_code == 404


def test_each_office_guide_shows_its_own_name(client, offices):
    assert OTHER in text(client.get("/o/wanzhen/guide"))
    assert OTHER not in text(client.get("/o/shiquanlu/guide"))


def test_annual_reports_are_each_office_own(client, app, offices):
    with app.app_context():
        ensure_seeded()
        with in_office(db.session.get(Office, offices["wanzhen"])):
            reports.publish(reports.create_draft(2025), today=date(2026, 1, 20))
    title = f"{OTHER}2025年政府信息公开工作年度报告"
    listed = text(client.get("/o/wanzhen/annual-reports"))
    assert title in listed and 'href="/o/wanzhen/annual-reports/2025"' in listed
    assert client.get("/o/wanzhen/annual-reports/2025").status_code == 200
    assert title not in text(client.get("/o/shiquanlu/annual-reports"))
    assert client.get("/o/shiquanlu/annual-reports/2025").status_code == 404
    assert client.get("/o/shiquanlu/annual-reports/2025.csv").status_code == 404
    # The portal's list names each office with its own reports and links to its pages.
    shared = text(client.get("/annual-reports"))
    assert f'<h2 id="office-wanzhen"><a href="/o/wanzhen/annual-reports">{OTHER}</a></h2>' in shared
    assert 'href="/o/wanzhen/annual-reports/2025"' in shared and shared.count("暂无已发布的年度报告") == 1


def test_an_office_feed_and_sitemap_hold_only_its_entries(client, offices):
    feed = ElementTree.fromstring(client.get("/o/wanzhen/feed.atom").data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["万镇街道防汛应急预案"]
    assert feed.find(f"{ATOM}entry/{ATOM}id").text.endswith(f"/o/wanzhen/documents/{offices['plan']}")
    shared = ElementTree.fromstring(client.get("/feed.atom").data)
    assert len(list(shared.iter(f"{ATOM}entry"))) == 3
    own = [loc.text for loc in ElementTree.fromstring(client.get("/o/wanzhen/sitemap.xml").data).iter(f"{SITEMAP}loc")]
    assert any(u.endswith(f"/o/wanzhen/documents/{offices['plan']}") for u in own)
    assert not any(f"/documents/{offices['budget']}" in u for u in own)
    every = [loc.text for loc in ElementTree.fromstring(client.get("/sitemap.xml").data).iter(f"{SITEMAP}loc")]
    assert any(u.endswith("/o/wanzhen/") for u in every)
    assert any(u.endswith(f"/o/shiquanlu/documents/{offices['budget']}") for u in every)


def test_the_api_filters_by_office_and_names_each_item_office(client, offices):
    every = client.get("/api/documents").get_json()
    assert every["total"] == 3
    plan = next(item for item in every["items"] if item["id"] == offices["plan"])
    assert plan["office"] == {"code": "wanzhen", "name": OTHER}
    assert plan["url"].endswith(f"/o/wanzhen/documents/{offices['plan']}")
    one = client.get("/api/documents?office=wanzhen").get_json()
    assert [item["id"] for item in one["items"]] == [offices["plan"]] and one["filters"]["office"] == "wanzhen"
    own = client.get("/o/shiquanlu/api/documents").get_json()
    assert {item["id"] for item in own["items"]} == {offices["budget"], offices["elevator"]}
    assert client.get(f"/o/shiquanlu/api/documents/{offices['plan']}").status_code == 404
    assert client.get(f"/o/wanzhen/api/documents/{offices['plan']}").status_code == 200
    listed = client.get("/api/offices").get_json()["items"]
    assert [o["code"] for o in listed] == ["shiquanlu", "wanzhen"]


@pytest.mark.parametrize("value", ["nosuch", "%00", "w" * 5000, quote("１２"), quote("万镇"), "%ED%A0%80", "..%2Fx",
                                   "%2500", "wanzhen%0A%00"])
def test_an_unknown_or_hostile_office_code_is_a_json_400_in_chinese_never_an_error(client, offices, value):
    response = client.get("/api/documents", query_string=f"office={value}")  # as sent: NUL, broken UTF-8
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and "发布机关代码" in body["message"] and "请使用" in body["message"]


def test_another_office_code_on_an_office_api_is_refused(client, offices):
    response = client.get("/o/shiquanlu/api/documents?office=wanzhen")
    assert response.status_code == 400 and "这里只有" in response.get_json()["message"]
    assert client.get("/o/shiquanlu/api/documents?office=shiquanlu").status_code == 200


def test_the_csv_filters_by_office_and_names_each_line_office(client, offices):
    rows = list(csv.reader(io.StringIO(client.get("/catalog.csv").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["发布机关", "机关代码", "索引号"] and len(rows) == 4
    assert [OTHER, "wanzhen"] == next(r[:2] for r in rows if r[3] == "万镇街道防汛应急预案")
    one = list(csv.reader(io.StringIO(client.get("/catalog.csv?office=wanzhen").data.decode("utf-8-sig"))))
    assert [r[3] for r in one[1:]] == ["万镇街道防汛应急预案"]
    own = list(csv.reader(io.StringIO(client.get("/o/wanzhen/catalog.csv").data.decode("utf-8-sig"))))
    assert [r[3] for r in own[1:]] == ["万镇街道防汛应急预案"]


@pytest.mark.parametrize("value", ["nosuch", "\x00", "w" * 5000, "１２"])
def test_an_unknown_office_code_on_the_csv_is_a_400_page_saying_so(client, offices, value):
    response = client.get("/catalog.csv", query_string={"office": value})
    assert response.status_code == 400 and "发布机关代码" in text(response)


def test_a_single_office_csv_keeps_its_columns(client, ctx):
    publish(title="石泉路街道2025年部门预算")
    rows = list(csv.reader(io.StringIO(client.get("/catalog.csv").data.decode("utf-8-sig"))))
    assert rows[0][0] == "索引号" and "发布机关" not in rows[0]


def test_an_office_home_and_catalog_link_to_the_portal_of_every_office(client, offices):
    assert 'href="/">查看各机关的政府信息公开' in text(client.get("/o/wanzhen/"))
    assert 'href="/catalog">查看各机关的全部信息' in text(client.get("/o/wanzhen/catalog"))
    assert "查看各机关" not in text(client.get("/catalog"))


def test_the_shared_pages_of_a_district_portal_carry_the_portal_name_and_an_office_page_its_office(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
        first = Office.first().name
    shared = client.get("/catalog").get_data(as_text=True)
    assert "<title>" in shared and "- 政府信息公开平台</title>" in shared
    assert 'class="site-name"><a href="/">政府信息公开平台</a>' in shared and f"{first} · 地址" not in shared
    home = client.get("/").get_data(as_text=True)
    assert "<h1>政府信息公开平台</h1>" in home and f"<h1>{first}" not in home
    own = client.get("/o/wanzhen/catalog").get_data(as_text=True)
    assert "- 万镇街道办事处</title>" in own and "万镇街道办事处 · 地址" in own
    assert "<title>政府信息公开平台 主动公开信息</title>" in client.get("/feed.atom").get_data(as_text=True)


def test_the_shared_guide_standard_catalog_and_report_pages_let_the_resident_choose_the_office(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
        first = Office.first()
        first_name, first_code, address = first.name, first.code, first.address
    guide = client.get("/guide").get_data(as_text=True)
    assert address not in guide.split("<main")[1].split("</main>")[0]
    assert f'href="/o/{first_code}/guide"' in guide and 'href="/o/wanzhen/guide"' in guide
    assert 'href="/o/wanzhen/standard-catalog"' in client.get("/standard-catalog").get_data(as_text=True)
    report = client.get("/annual-reports/2025")
    assert report.status_code == 200 and "目前没有机关发布2025年政府信息公开工作年度报告" in report.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "<h1>政府信息公开平台</h1>" in home and f"<h1>{first_name}" not in home
