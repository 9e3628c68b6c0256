"""The search page: live results, highlights, facets, exact numbers, and any input without a 500."""
from datetime import date

import pytest

from tests.factories.catalog import publish

HX = {"HX-Request": "true"}


@pytest.fixture
def catalog(ctx):
    """A few entries with distinct words."""
    return {
        "elevator": publish(title="老旧小区加装电梯工作实施方案", doc_number="石办〔2020〕15号",
                            category="城乡建设、环境保护\\城乡建设（含住房）", published_date=date(2020, 4, 28),
                            body="既有多层住宅加装电梯的申请条件和补贴标准。"),
        "budget": publish(title="石泉路街道2024年部门预算", category="财政、金融、审计\\财政",
                          published_date=date(2024, 2, 23), body="部门收支预算总表。"),
        "flood": publish(title="防汛防台应急预案", doc_number="石办〔2022〕8号", category="综合政务\\应急管理",
                         published_date=date(2022, 5, 20), body="加装挡水板，低洼积水点排查。"),
    }


def test_search_finds_entries_and_highlights_the_words(client, catalog):
    html = client.get("/search?q=加装电梯").get_data(as_text=True)
    assert "老旧小区<mark>加装</mark><mark>电梯</mark>" in html or "<mark>加装电梯</mark>" in html
    assert "共找到" in html


def test_exact_doc_number_finds_that_entry_first_even_when_mistyped(client, catalog):
    html = client.get("/search?q=石办[2022]8号").get_data(as_text=True)
    assert "文号或索引号完全匹配" in html
    assert html.index("防汛防台应急预案") < html.find("老旧小区") if "老旧小区" in html else True


def test_index_number_finds_its_entry(client, catalog):
    number = catalog["budget"].index_number
    html = client.get(f"/search?q={number}").get_data(as_text=True)
    assert "石泉路街道2024年部门预算" in html and "完全匹配" in html


def test_facet_links_narrow_the_results(client, catalog):
    html = client.get("/search?q=加装").get_data(as_text=True)
    assert "按主题分类" in html and "按年份" in html
    narrowed = client.get("/search?q=加装&year=2022").get_data(as_text=True)
    assert "防汛防台应急预案" in narrowed and "老旧小区加装电梯" not in narrowed


def test_no_result_page_helps_and_links_to_apply(client, catalog):
    html = client.get("/search?q=火星探测器").get_data(as_text=True)
    assert "没有找到相关信息" in html and "/apply/" in html and "/catalog" in html


def test_active_search_gets_the_results_fragment(client, catalog):
    response = client.get("/search?q=预算", headers=HX)
    html = response.get_data(as_text=True)
    assert "石泉路街道2024年部门" in html and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("q", [
    'AND OR NOT', '"未闭合的引号', "〔〕", "*", "?", "title:电梯", "电梯~2", "[a TO z]", "(((", "\\",
    "<script>alert(1)</script>", "a" * 5000, "电梯" * 800, "\x00\x01", "%", "' OR 1=1 --",
])
def test_any_query_gets_a_page_never_a_500(client, catalog, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_undecodable_query_bytes_get_a_page(client, catalog):
    response = client.get("/search?q=%ED%A0%80%FF%FE")
    assert response.status_code == 200


def test_empty_query_shows_the_form_and_a_way_to_browse(client):
    html = client.get("/search").get_data(as_text=True)
    assert "请输入要查找的内容" in html
