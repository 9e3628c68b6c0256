"""Published annual reports over HTTP (accessible tables, .docx, CSV) and the catalog's open data."""
import csv
import io
from datetime import date
from html.parser import HTMLParser

import docx
import pytest

from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.models import Document
from portal.models.reports import AnnualReport
from portal.reports import lines, services
from tests.factories.catalog import publish
from tests.factories.reports import publish_entries, received, replied

TITLE = "上海市普陀区石泉路街道办事处2025年政府信息公开工作年度报告"


class Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def published_2025(calendar):
    """A 2025 report with a few applications, written sections and hand-entered figures, published."""
    publish_entries(2025, 3)
    replied("citizen", date(2025, 3, 3), date(2025, 3, 10), rl.REFUSED, "危及“三安全一稳定”")
    replied("legal", date(2025, 4, 1), date(2025, 4, 8), rl.DISCLOSED)
    received("business", date(2025, 12, 29))
    report = services.create_draft(2025)
    services.update_draft(report, {"section_five": "人员力量不足。\n将加强培训。", "section_six": "无收费。"},
                          {"licensing.decisions": "7", "fees.amount": "0"})
    services.publish(report, today=date(2026, 1, 20))
    return report


def test_the_list_shows_published_years_only(client, published_2025):
    services.create_draft(2024)
    html = client.get("/annual-reports").get_data(as_text=True)
    assert TITLE in html and "/annual-reports/2025" in html and "/annual-reports/2024" not in html
    assert client.get("/annual-reports/2024").status_code == 404


def test_the_report_page_shows_sections_and_frozen_figures(client, published_2025):
    html = client.get("/annual-reports/2025").get_data(as_text=True)
    assert f"<h1>{TITLE}</h1>" in html
    for title in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert title in html
    assert "全年主动公开政府信息3件" in html and "受理依申请公开3件" in html and "将加强培训。" in html
    assert "3.危及“三安全一稳定”" in html and lines.NOTE in html
    # The page shows what was published, not what the records say today.
    replied("charity", date(2025, 5, 6), date(2025, 5, 9), rl.DISCLOSED)
    assert "受理依申请公开3件" in client.get("/annual-reports/2025").get_data(as_text=True)


def test_tables_have_captions_scoped_headers_and_every_number_names_its_headers(client, published_2025):
    tags = Tags(client.get("/annual-reports/2025").get_data(as_text=True)).tags
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    regions = [attrs for tag, attrs in tags if attrs.get("role") == "region"]
    assert len(regions) == 3
    assert all(r["tabindex"] == "0" and r["aria-label"] for r in regions)
    assert sum(1 for tag, _ in tags if tag == "caption") == 3
    cells = [attrs for tag, attrs in tags if tag == "td" and "class" not in attrs]
    assert len(cells) == 6 + 1 + 2 + 1 + 25 * 7 + 15  # section 二 (2021), section 三: 25 rows × 7, section 四
    for attrs in cells:
        assert attrs.get("headers"), attrs
        assert set(attrs["headers"].split()) <= ids, attrs["headers"]
    heads = [attrs for tag, attrs in tags if tag == "th"]
    assert all("scope" in a or "rowspan" in a for a in heads)
    assert {"col", "row", "colgroup"} <= {a.get("scope") for a in heads}


def test_a_number_in_section_three_names_its_row_and_column(client, published_2025):
    tags = Tags(client.get("/annual-reports/2025").get_data(as_text=True)).tags
    headers = [a["headers"].split() for t, a in tags if t == "td" and "s3-r-refused-3" in a.get("headers", "")]
    assert ["s3-c-applicant", "s3-c-citizen", "s3-r-results", "s3-r-refused", "s3-r-refused-3"] in headers
    assert ["s3-c-applicant", "s3-c-org", "s3-c-legal", "s3-r-results", "s3-r-refused", "s3-r-refused-3"] in headers


def test_the_docx_opens_and_carries_the_labels_and_numbers(client, published_2025):
    response = client.get("/annual-reports/2025.docx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == TITLE
    for title in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert title in text
    s2, s3, s4 = document.tables
    assert s3.cell(0, 0).text == lines.NOTE and s3.cell(0, 3).text == "申请人情况"
    assert s3.cell(1, 4).text == "法人或其他组织" and s3.cell(2, 8).text == "其他"
    assert s3.cell(3, 0).text == "一、本年新收政府信息公开申请数量" and s3.cell(3, 9).text == "3"
    row = next(r for r in s3.rows if r.cells[2].text == "3.危及“三安全一稳定”")
    assert row.cells[0].text == "三、本年度办理结果" and row.cells[1].text == "（三）不予公开" and row.cells[3].text == "1"
    assert s4.cell(1, 5).text == "未经复议直接起诉" and s4.cell(2, 14).text == "总计"
    labels = {c.text for r in s2.rows for c in r.cells}
    assert {"第二十条第（八）项", "本年收费金额（单位：万元）", "行政规范性文件", "7"} <= labels


def test_the_csv_has_a_bom_and_the_tables(client, published_2025):
    response = client.get("/annual-reports/2025.csv")
    assert response.data.startswith(b"\xef\xbb\xbf") and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [TITLE]
    assert ["", "行政许可", "7"] in rows
    assert ["一、本年新收政府信息公开申请数量", "", "", "1", "1", "0", "0", "1", "0", "3"] in rows
    assert ["三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", "1", "0", "0", "0", "0", "0", "1"] in rows


def test_publishing_makes_a_catalog_entry_that_search_finds(client, published_2025):
    doc = db.session.get(Document, published_2025.document_id)
    assert (doc.title, doc.doc_type, doc.category, doc.published_date) == (
        TITLE, "报告", "综合政务\\政务公开", date(2026, 1, 20))
    assert "三、收到和处理政府信息公开申请情况" in doc.body and "将加强培训。" in doc.body
    html = client.get("/search?q=年度报告").get_data(as_text=True)
    assert f'href="/documents/{doc.id}"' in html and "共找到 1 条结果" in html


def test_republishing_updates_the_same_catalog_entry(ctx, published_2025):
    first = published_2025.document_id
    services.update_draft(published_2025, {"section_six": "更正后的内容。"}, {})
    services.publish(published_2025, today=date(2026, 1, 25))
    assert published_2025.document_id == first
    assert db.session.query(Document).filter_by(title=TITLE).count() == 1
    assert "更正后的内容。" in published_2025.published["six"]


def test_a_report_that_does_not_reconcile_is_not_published(calendar):
    bad = replied("citizen", date(2025, 3, 3), date(2025, 3, 10), rl.DISCLOSED)
    bad.receipt_date = None
    db.session.commit()
    report = services.create_draft(2025)
    with pytest.raises(ValueError, match=bad.tracking_number):
        services.publish(report, today=date(2026, 1, 20))
    assert not db.session.get(AnnualReport, report.id).is_published
    assert db.session.query(Document).count() == 0


@pytest.fixture
def catalog(ctx):
    """Entries of several types and years for the open-data endpoints."""
    publish(title="2024年通知", doc_type="通知", published_date=date(2024, 3, 5), body="正文一")
    publish(title="2024年公告", doc_type="公告", published_date=date(2024, 6, 5))
    publish(title="=2023年通知", doc_type="通知", written_date=date(2023, 3, 1), published_date=date(2023, 3, 5))
    hidden = publish(title="未公开的通知", doc_type="通知", published_date=date(2024, 7, 1))
    hidden.status = "draft"
    db.session.commit()
    return hidden


def test_the_json_list_filters_like_the_catalog_page(client, catalog):
    data = client.get("/api/documents?doc_type=通知&year=2024").get_json()
    assert data["total"] == 1 and data["items"][0]["title"] == "2024年通知"
    item = data["items"][0]
    assert item["published_date"] == "2024-03-05" and item["url"].endswith(f"/documents/{item['id']}")
    assert {"index_number", "doc_number", "publisher", "category", "validity", "attachments"} <= set(item)
    assert "body" not in item
    everything = client.get("/api/documents").get_json()
    assert everything["total"] == 3 and "未公开的通知" not in {i["title"] for i in everything["items"]}


def test_the_json_list_pages_and_explains_ignored_filters(client, catalog):
    data = client.get("/api/documents?per_page=2&page=2&doc_type=不存在").get_json()
    assert (data["page"], data["per_page"], data["pages"], len(data["items"])) == (2, 2, 2, 1)
    assert data["notices"] and "不存在" in data["notices"][0]


def test_one_entry_as_json_and_404_for_unpublished(client, catalog):
    listed = client.get("/api/documents?year=2024&doc_type=通知").get_json()["items"][0]
    one = client.get(f"/api/documents/{listed['id']}").get_json()
    assert one["body"] == "正文一" and one["title"] == "2024年通知"
    missing = client.get(f"/api/documents/{catalog.id}")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not_found"


def test_the_catalog_csv_has_a_bom_the_filters_and_no_formulas(client, catalog):
    response = client.get("/catalog.csv?doc_type=通知")
    assert response.data.startswith(b"\xef\xbb\xbf") and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["索引号", "名称", "发文字号"] and rows[0][-1] == "链接"
    assert [r[1] for r in rows[1:]] == ["2024年通知", "'=2023年通知"]
