"""The catalog's filter form over HTTP: the 筛选 disclosure's open state, and a 主题分类 menu of classes in use."""
import re
from datetime import date

from sqlalchemy import event

from portal.catalog import workflow
from portal.catalog.choices import catalog_choices, invalidate
from portal.extensions import db
from portal.models import EDITOR, REVIEWER, User
from tests.factories.catalog import draft, publish
from tests.factories.staff import make_user

HX = {"HX-Request": "true"}


def details_tag(html: str) -> str:
    """The opening tag of the 筛选 disclosure."""
    match = re.search(r"<details class=\"filter-panel\"[^>]*>\s*<summary>筛选</summary>", html)
    assert match, "the filters are not folded into a 筛选 disclosure"
    return match.group(0)


def category_options(html: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each choice of the 主题分类 menu."""
    menu = re.search(r'<select id="f-category" name="category">(.*?)</select>', html, re.S).group(1)
    return [(value, text, bool(selected))
            for value, selected, text in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu)]


def test_filter_panel_is_closed_until_something_in_it_is_chosen(client, ctx):
    publish(title="预算公开", published_date=date(2024, 2, 1))
    assert " open" not in details_tag(client.get("/catalog").get_data(as_text=True))
    for query in ("?year=2024", "?doc_type=通知", "?category=综合政务", "?sort=written"):
        assert " open" in details_tag(client.get("/catalog" + query).get_data(as_text=True)), query
    # An ignored value (with its notice) applies nothing, so the panel stays folded.
    assert " open" not in details_tag(client.get("/catalog?year=abc").get_data(as_text=True))


def test_filter_panel_keeps_the_submit_button_for_use_without_javascript(client, ctx):
    html = client.get("/catalog").get_data(as_text=True)
    panel = html[html.index('<details class="filter-panel"'):html.index("</details>")]
    assert 'method="get"' in panel and '<button type="submit">筛选</button>' in panel


def test_htmx_results_carry_the_focusable_heading_with_the_page(client, ctx, app):
    app.config["PAGE_SIZE"] = 2
    for day in (1, 2, 3):
        publish(title=f"第{day}号通知", published_date=date(2024, 1, day))
    html = client.get("/catalog?page=2", headers=HX).get_data(as_text=True)
    assert '<h2 id="results-heading" class="count" tabindex="-1">共 3 条信息，第 2 页（共 2 页）</h2>' in html
    assert "<details" not in html  # the fragment leaves the form (and its open state) as the user left it


def test_category_menu_offers_only_classes_holding_published_entries_with_their_counts(client, ctx):
    publish(title="预算一", category="财政、金融、审计\\财政")
    publish(title="预算二", category="财政、金融、审计\\财政")
    publish(title="审计结果", category="财政、金融、审计\\审计")
    publish(title="防汛预案", category="综合政务\\应急管理")
    publish(title="杂项", category="其他")
    editor = db.session.get(User, make_user("editor1", EDITOR).id)
    draft(editor, title="未发布的草稿", category="科技、教育\\教育")
    reviewer = db.session.get(User, make_user("reviewer1", REVIEWER).id)
    workflow.withdraw(publish(title="已撤回", category="卫生、体育\\卫生"), reviewer, "错发")

    options = category_options(client.get("/catalog").get_data(as_text=True))
    assert [(value, text) for value, text, _ in options] == [
        ("", "全部"),
        ("综合政务", "综合政务 › 全部（1）"),
        ("综合政务\\应急管理", "综合政务 › 应急管理（1）"),
        ("财政、金融、审计", "财政、金融、审计 › 全部（3）"),
        ("财政、金融、审计\\财政", "财政、金融、审计 › 财政（2）"),
        ("财政、金融、审计\\审计", "财政、金融、审计 › 审计（1）"),
        ("其他", "其他（1）"),
    ]


def test_a_selected_class_without_entries_stays_selected_with_zero(client, ctx):
    publish(title="预算一", category="财政、金融、审计\\财政")
    html = client.get("/catalog?category=科技、教育\\科技").get_data(as_text=True)
    assert ("科技、教育\\科技", "科技、教育 › 科技（0）", True) in category_options(html)
    assert ("科技、教育", "科技、教育 › 全部（0）", False) in category_options(html)
    assert "共 0 条符合条件的信息" in html
    top = category_options(client.get("/catalog?category=国防").get_data(as_text=True))
    assert ("国防", "国防 › 全部（0）", True) in top


def test_a_year_from_a_link_without_entries_stays_selected(client, ctx):
    publish(title="预算一", published_date=date(2024, 2, 1))
    html = client.get("/catalog?year=2019").get_data(as_text=True)
    assert '<option value="2019" selected>2019年（0）</option>' in html


def test_category_counts_follow_a_new_publication(client, ctx):
    publish(title="预算一", category="财政、金融、审计\\财政")
    client.get("/catalog")
    publish(title="预算二", category="财政、金融、审计\\财政")
    options = category_options(client.get("/catalog").get_data(as_text=True))
    assert ("财政、金融、审计\\财政", "财政、金融、审计 › 财政（2）", False) in options


def test_the_menu_costs_the_same_few_queries_however_many_classes_are_in_use(ctx):
    for n, category in enumerate(("财政、金融、审计\\财政", "综合政务\\应急管理", "科技、教育\\教育",
                                  "卫生、体育\\卫生", "其他")):
        publish(title=f"条目{n}", category=category)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        invalidate()
        choices = catalog_choices()
        grouped = [s for s in statements if "GROUP BY document.category" in s]
        assert len(statements) == 3 and len(grouped) == 1  # publishers, years, one grouped COUNT
        assert choices["category_counts"]["卫生、体育\\卫生"] == 1
        statements.clear()
        catalog_choices()
        assert statements == []  # cached until the next catalog change
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def test_the_clear_link_comes_and_goes_with_the_filters_also_in_htmx_answers(client, ctx):
    publish(title="预算公开", published_date=date(2024, 2, 1))
    for headers in ({}, HX):  # a full page, and the results block htmx swaps in
        assert "清除筛选" in client.get("/catalog?year=2024", headers=headers).get_data(as_text=True)
        assert "清除筛选" not in client.get("/catalog", headers=headers).get_data(as_text=True)
