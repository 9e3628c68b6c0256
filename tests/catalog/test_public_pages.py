"""Residents' pages over HTTP: whole pages, htmx fragments, filters, downloads, feeds."""
from datetime import date
from xml.etree import ElementTree

import pytest

from portal.catalog.attachments import check_file
from portal.extensions import db
from portal.models import EDITOR, User
from tests.factories.catalog import draft, publish
from tests.factories.staff import make_user

HX = {"HX-Request": "true"}


def test_home_shows_office_sections_latest_entries_and_search_box(client, ctx):
    publish(title="石泉路街道2026年部门预算")
    html = client.get("/").get_data(as_text=True)
    assert "上海市普陀区石泉路街道办事处" in html
    for section in ("公开指南", "公开制度", "法定主动公开内容", "依申请公开", "公开年报"):
        assert section in html
    assert "石泉路街道2026年部门预算" in html
    assert 'role="search"' in html and 'name="q"' in html


def test_annual_reports_section_says_plainly_when_none_is_published(client):
    html = client.get("/annual-reports").get_data(as_text=True)
    assert "暂无已发布的年度报告" in html


def test_annual_reports_section_lists_reports_already_in_the_catalog(client, ctx):
    doc = publish(title="石泉路街道2020年度政府信息公开工作年度报告", doc_type="报告")
    html = client.get("/annual-reports").get_data(as_text=True)
    assert f"/documents/{doc.id}" in html and "暂无已发布的年度报告" not in html


def test_catalog_filters_by_category_type_year_and_validity(client, ctx):
    publish(title="预算公开", category="财政、金融、审计\\财政", doc_type="报告", published_date=date(2023, 2, 1))
    publish(title="防汛预案", category="综合政务\\应急管理", doc_type="通知", published_date=date(2024, 5, 1))
    publish(title="旧细则", category="民政、扶贫、救灾\\社会福利", validity="废止", repealed_date=date(2021, 8, 2))

    def titles(query):
        return client.get("/catalog" + query).get_data(as_text=True)

    assert "预算公开" in titles("?category=财政、金融、审计") and "防汛预案" not in titles("?category=财政、金融、审计")
    assert "防汛预案" in titles("?category=综合政务\\应急管理")
    assert "预算公开" in titles("?doc_type=报告") and "防汛预案" not in titles("?doc_type=报告")
    assert "预算公开" in titles("?year=2023") and "防汛预案" not in titles("?year=2023")
    page = titles("?validity=废止")
    assert "旧细则" in page and "预算公开" not in page


def test_catalog_sorts_by_written_date(client, ctx):
    publish(title="甲文件", written_date=date(2020, 1, 1), published_date=date(2024, 1, 1))
    publish(title="乙文件", written_date=date(2023, 1, 1), published_date=date(2023, 2, 1))
    by_published = client.get("/catalog").get_data(as_text=True)
    by_written = client.get("/catalog?sort=written").get_data(as_text=True)
    assert by_published.index("甲文件") < by_published.index("乙文件")
    assert by_written.index("乙文件") < by_written.index("甲文件")


def test_catalog_pages_through_entries(client, ctx, app):
    for n in range(app.config["PAGE_SIZE"] + 3):
        publish(title=f"第{n:02d}号通知", published_date=date(2024, 1, 1 + n % 28))
    first = client.get("/catalog").get_data(as_text=True)
    second = client.get("/catalog?page=2").get_data(as_text=True)
    assert "共 23 条" in first and "第 1 页，共 2 页" in first
    assert "第 2 页，共 2 页" in second and 'rel="prev"' in second


def test_invalid_filters_are_ignored_with_a_notice(client, ctx):
    publish(title="正常条目")
    response = client.get("/catalog?year=abc&category=不存在&validity=x&sort=y&page=-1&doc_type=诗歌")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "年份“abc”无效（应为 1949—2100 之间的半角数字），已忽略。" in html and "主题分类“不存在”不存在，已忽略。" in html
    assert "正常条目" in html


def test_htmx_request_gets_only_the_results_fragment(client, ctx):
    publish(title="片段测试")
    response = client.get("/catalog?doc_type=通知", headers=HX)
    html = response.get_data(as_text=True)
    assert "片段测试" in html and "<html" not in html and "<form" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_and_history_restore_get_the_whole_page(client):
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        html = client.get("/catalog", headers=HX | extra).get_data(as_text=True)
        assert "<html" in html


def test_entry_page_shows_every_metadata_field(client, ctx):
    doc = publish(title="关于废止临时救助细则的决定", doc_number="石办〔2021〕19号", validity="废止",
                  repealed_date=date(2021, 8, 2), keywords="临时救助", summary="废止旧细则", body="第一段\n第二段")
    html = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    for label in ("索引号", "发文字号", "发布机构", "成文日期", "发布日期", "主题分类", "公文种类", "有效性",
                  "公开方式", "公开范围", "关键词", "内容概述"):
        assert f"<dt>{label}</dt>" in html
    assert doc.index_number in html and "石办〔2021〕19号" in html
    assert "废止日期：2021-08-02" in html and "<p>第二段</p>" in html


def test_unknown_or_unpublished_entry_is_a_chinese_404(client, ctx):
    unpublished = draft(db.session.get(User, make_user("editor1", EDITOR).id), title="草稿")
    for url in ("/documents/99999", f"/documents/{unpublished.id}", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404
        assert "页面不存在" in response.get_data(as_text=True)


def test_attachment_downloads_with_its_type_and_a_safe_filename(client, ctx):
    doc = publish([check_file("../说明 文件.txt", "附件正文".encode())], title="带附件")
    attachment = doc.attachments[0]
    response = client.get(f"/documents/{doc.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == "附件正文".encode()
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "%E8%AF%B4%E6%98%8E" in disposition and ".." not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
    assert client.get(f"/documents/{doc.id}/attachments/{attachment.id + 1}").status_code == 404


def test_guide_is_built_from_the_office_settings(client):
    html = client.get("/guide").get_data(as_text=True)
    assert "石泉路街道党政办公室" in html and "20 个工作日" in html and "上海市普陀区人民政府" in html


def test_rules_page_carries_the_regulation(client):
    assert "政府信息公开条例" in client.get("/rules").get_data(as_text=True)


def test_atom_feed_lists_new_entries(client, ctx):
    publish(title="订阅测试条目")
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == ["订阅测试条目"]


def test_sitemap_lists_every_public_entry(client, ctx):
    doc = publish(title="地图条目")
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://localhost/documents/{doc.id}" in locs


@pytest.mark.parametrize("url", [
    "/documents/99999999999999999999", "/documents/1/attachments/99999999999999999999",
    "/api/documents/99999999999999999999", "/apply/track/2026-0001/letters/99999999999999999999",
])
def test_huge_ids_are_not_found_rather_than_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code in (404, 302)
    if url.startswith("/api/"):
        assert response.json["error"] == "not_found"


def test_the_api_answers_every_missing_entry_through_the_one_json_error(client, ctx):
    # A draft's id, an unknown id and one past the id column: one shape, the README's.
    hidden = publish(title="撤下的条目")
    hidden.status = "draft"
    db.session.commit()
    answers = [client.get(f"/api/documents/{n}") for n in (hidden.id, 99999, 99999999999999999999)]
    assert {r.status_code for r in answers} == {404}
    assert all(r.json == {"error": "not_found", "status": 404, "message": "该信息不存在或未公开"} for r in answers)


def test_nul_characters_elsewhere_get_a_clear_message_not_a_database_error(client):
    response = client.get("/apply/track?number=%00")
    assert response.status_code == 400 and "控制字符" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/catalog?doc_type=%00&publisher=a%00", "/api/documents?publisher=%00",
                                 "/catalog.csv?category=%00"])
def test_catalog_filters_with_control_characters_are_ignored_with_a_notice(client, ctx, url):
    publish(title="正常条目")
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json["total"] == 1 and "无法处理的字符" in response.json["notices"][0]
    elif url.startswith("/catalog?"):
        assert "筛选条件中含有无法处理的字符，已忽略。" in response.get_data(as_text=True)


def test_unknown_publisher_is_ignored_with_a_notice(client, ctx):
    publish(title="正常条目")
    html = client.get("/catalog?publisher=不存在的机构").get_data(as_text=True)
    assert "发布机构“不存在的机构”不在目录中，已忽略。" in html and "正常条目" in html


def test_nul_in_a_form_field_is_refused_before_it_reaches_the_database(client):
    response = client.post("/apply/track", data={"number": "2026\x000001", "code": "x"})
    assert response.status_code == 400


def test_a_page_past_the_last_shows_the_last_page_and_says_so(client, ctx, app):
    app.config["PAGE_SIZE"] = 2
    for n in range(3):  # three entries: two pages of two
        publish(title=f"第{n + 1}份预算通知", published_date=date(2024, 2, 1 + n))
    html = client.get("/catalog?page=999").get_data(as_text=True)
    assert "没有第 999 页（共 2 页），已显示最后一页。" in html and "第 2 页（共 2 页）" in html
    assert "第1份预算通知" in html and "没有符合条件的信息" not in html  # the oldest, on page 2
    found = client.get("/search?q=预算&page=999").get_data(as_text=True)
    assert "已显示最后一页" in found and "第 999 页" not in found.split("已显示最后一页")[1]
