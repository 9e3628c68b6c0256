"""Search in a portal of several offices: the index knows each entry's office, filters and counts by it; an
office's /o/<code>/search finds only its entries; the shared /search offers a 发布机关 facet."""
import os
from pathlib import Path

import pytest
from whoosh import fields, index

from portal import search
from portal.models import Office
from portal.search.index import LINK, current_handle, make_schema
from tests.factories.catalog import publish
from tests.factories.offices import in_office, make_office

HX = {"HX-Request": "true"}
OTHER = "上海市普陀区万镇街道办事处"


@pytest.fixture
def offices(app):
    """Two offices with 养老 entries published through the catalog's write path: ids by name."""
    with app.app_context():
        ids = {"first": Office.first().id}
        ids["a1"] = publish(title="石泉路街道养老服务补贴办法").id
        ids["a2"] = publish(title="石泉路街道养老机构名录", category="民政、扶贫、救灾\\社会福利").id
        wanzhen = make_office("wanzhen", OTHER)
        ids["wanzhen"] = wanzhen.id
        with in_office(wanzhen):
            ids["b1"] = publish(title="万镇街道养老驿站开放通知", publisher=OTHER).id
    return ids


def hit_ids(results) -> set[int]:
    """The entry ids of a result page."""
    return {hit.doc_id for hit in results.hits}


def test_the_index_filters_and_counts_by_office(app, offices):
    with app.app_context():
        every = search.query("养老")
        assert every.total == 3
        assert dict(every.facets["office"]) == {offices["first"]: 2, offices["wanzhen"]: 1}
        mine = search.query("养老", office=offices["wanzhen"])
        assert hit_ids(mine) == {offices["b1"]} and mine.total == 1
        # Each facet ignores its own filter: the office counts stay, the others narrow.
        assert dict(mine.facets["office"]) == dict(every.facets["office"])
        assert sum(n for _, n in mine.facets["category"]) == 1
        narrowed = search.query("养老", category="民政、扶贫、救灾")
        assert dict(narrowed.facets["office"]) == {offices["first"]: 1}
        assert search.query("养老", office="不是数字").total == 0


def test_an_office_search_page_finds_only_its_entries_without_an_office_facet(client, offices):
    html = client.get("/o/wanzhen/search?q=养老").get_data(as_text=True)
    assert "共找到 1 条结果" in html and "驿站开放通知" in html
    assert "服务补贴办法" not in html and "按发布机关" not in html
    first = client.get("/o/shiquanlu/search?q=养老").get_data(as_text=True)
    assert "共找到 2 条结果" in first and "驿站开放通知" not in first


def test_the_shared_search_offers_an_office_facet_with_counts_and_names_each_hit_office(client, offices):
    html = client.get("/search?q=养老").get_data(as_text=True)
    assert "共找到 3 条结果" in html and "<h3>按发布机关</h3>" in html
    assert f'href="/search?q=%E5%85%BB%E8%80%81&amp;office=wanzhen" hx-get="/search?q=%E5%85%BB%E8%80%81&amp;office=wanzhen"' in html
    assert f">{OTHER}（1）</a>" in html and "上海市普陀区石泉路街道办事处（2）</a>" in html
    assert f"<span>发布机关：{OTHER}</span>" in html
    assert f'href="/o/wanzhen/documents/{offices["b1"]}"' in html


def test_the_office_facet_narrows_the_shared_search_with_and_without_javascript(client, offices):
    for headers in ({}, HX):
        html = client.get("/search?q=养老&office=wanzhen", headers=headers).get_data(as_text=True)
        assert "共找到 1 条结果" in html and "驿站开放通知" in html
        assert "服务补贴办法" not in html
        assert f"已限定发布机关：{OTHER}" in html and 'aria-current="true">' + OTHER in html
    assert "<html" not in client.get("/search?q=养老&office=wanzhen", headers=HX).get_data(as_text=True)


@pytest.mark.parametrize("value", ["nosuch", "%00", "w" * 5000, "%EF%BC%91%EF%BC%92", "%ED%A0%80", "wanzhen%0A"])
def test_a_strange_office_on_the_search_page_is_ignored_with_a_notice_never_an_error(client, offices, value):
    response = client.get(f"/search?q=%E5%85%BB%E8%80%81&office={value}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "共找到 3 条结果" in html or "共找到 1 条结果" in html  # wanzhen\n is 万镇 once stripped


def test_an_index_without_the_office_field_is_rebuilt_and_then_filters_by_office(app, offices):
    with app.app_context():
        handle = current_handle()
        root = Path(handle.root)
        old = make_schema()
        old.remove("office")  # the schema before offices: every other field as it was
        (root / "gen-before-offices").mkdir()
        index.create_in(str(root / "gen-before-offices"), old)
        os.unlink(root / LINK)
        os.symlink("gen-before-offices", root / LINK)
        handle.reset()
        results = search.query("养老", office=offices["wanzhen"])
        assert hit_ids(results) == {offices["b1"]}
        assert os.readlink(root / LINK) != "gen-before-offices"
        assert "office" in handle.index().schema.names()
        assert isinstance(handle.index().schema["office"], fields.ID)


def test_suggestions_can_be_limited_to_one_office(app, offices):
    with app.app_context():
        assert {doc_id for doc_id, _ in search.suggest("养老服务")} >= {offices["a1"]}
        assert [doc_id for doc_id, _ in search.suggest("养老驿站", office=offices["wanzhen"])] == [offices["b1"]]
        assert search.suggest("养老服务补贴办法", office=offices["wanzhen"]) == []
