"""The demo content (`flask load-demo`): distinct bodies that fit each entry's type, the sample report's paragraphs,
applications covering every reply outcome, and the annual reports 2020–2025 the portal computed and published.

Loading the demo takes the applications through the real services (each query code is hashed), so it is done
once for the module: `loaded` runs load-demo twice and gathers what the tests check, then stops the app.
"""
import io
import json
import re
import time
from dataclasses import dataclass, field
from datetime import date

import pytest
from docx import Document as Docx
from sqlalchemy import func, select

from portal import search
from portal.accounts.auth import authenticate
from portal.accounts.cli import DEMO_PASSWORD
from portal.admin.demo import DEMO_DIR
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests.events import EventKind
from portal.models import Document, InfoRequest, RequestEvent
from portal.models.reports import AnnualReport
from portal.reports.lines import ENDING_LINES, FORMAT_2019, FORMAT_2021, row_for
from tests.factories.app import app_on_empty_database
from tests.factories.search import SearchSyncedClient, settle
from tests.factories.staff import login

YEARS = range(2020, 2026)
CATALOG = [json.loads(line) for line in (DEMO_DIR / "catalog.jsonl").read_text(encoding="utf-8").splitlines()]
SAMPLE = DEMO_DIR / "files" / "石泉路街道2020年度法治政府建设情况报告.txt"
TABLES = (AnnualReport, Document, InfoRequest, RequestEvent)  # what a second load must not add to


@dataclass
class Loaded:
    """What one load-demo left behind, read back through the portal's own pages and queries."""

    said: str  # the console output of the first run …
    seconds: float
    exit_code: int = 0
    signs_in: bool = False  # the demo admin account works with the password printed
    again: str = ""  # … and of the second
    counts: dict = field(default_factory=dict)
    counts_again: dict = field(default_factory=dict)
    notice_hits: int = 0
    lines: dict = field(default_factory=dict)  # (format, row key) → applications answered on that row
    kinds: set = field(default_factory=set)  # event kinds recorded on the applications
    states: set = field(default_factory=set)
    pages: dict = field(default_factory=dict)  # url → (status, content type, body bytes)
    listing: str = ""
    staff_reports: str = ""  # /admin/reports as the demo 管理员 sees it
    numbered: list = field(default_factory=list)  # (tracking number, receipt date) of the past applications
    formats: dict = field(default_factory=dict)
    section3: dict = field(default_factory=dict)  # year → section 三's totals as published
    section4: dict = field(default_factory=dict)  # year → section 四's totals (复议, 直接起诉, 复议后起诉)


def counts() -> dict:
    """Rows per table that load-demo fills."""
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def answered_lines() -> dict:
    """How many finished applications each section 三 row counts (in both formats), from their last event."""
    lines = {}
    for info_request in db.session.scalars(select(InfoRequest)):
        last = info_request.events[-1]
        if last.kind == EventKind.REPLIED.value:
            outcome, ground = last.outcome, last.ground
        elif last.kind in ENDING_LINES:
            outcome, ground = ENDING_LINES[last.kind]
        else:
            continue
        lines.setdefault(("raw", outcome, ground), 0)
        lines[("raw", outcome, ground)] += 1
        for fmt in (FORMAT_2019, FORMAT_2021):
            row = row_for(fmt, outcome, ground)
            lines[(fmt, row.key if row else None)] = lines.get((fmt, row.key if row else None), 0) + 1
    return lines


@pytest.fixture(scope="module")
def loaded(database_url, tmp_path_factory):
    """Run load-demo on empty tables (timed), then again, and read back everything the tests check; the app is
    stopped before any test runs."""
    made = app_on_empty_database(database_url, tmp_path_factory.mktemp("demo"))
    app = next(made)
    try:
        with app.app_context():
            start = time.monotonic()
            first = app.test_cli_runner().invoke(args=["load-demo"])
            result = Loaded(first.output, time.monotonic() - start, exit_code=first.exit_code)
            result.signs_in = authenticate("admin", DEMO_PASSWORD, address="127.0.0.1") is not None
            result.counts = counts()
            settle(app)
            result.notice_hits = search.query("通知").total
            result.lines = answered_lines()
            result.kinds = set(db.session.scalars(select(RequestEvent.kind)))
            result.states = set(db.session.scalars(select(InfoRequest.state)))
            result.numbered = [tuple(row) for row in db.session.execute(
                select(InfoRequest.tracking_number, InfoRequest.receipt_date)
                .where(InfoRequest.receipt_date < date(YEARS[-1] + 1, 1, 1)))]
            result.formats = dict(db.session.execute(select(AnnualReport.year, AnnualReport.format)).all())
            result.section3 = {r.year: {key: row["total"] for key, row in r.published["figures"]["section3"].items()}
                               for r in db.session.scalars(select(AnnualReport))}
            result.section4 = {r.year: tuple(r.published["figures"]["section4"][f"{group}.total"]
                                             for group in ("review", "direct", "after"))
                               for r in db.session.scalars(select(AnnualReport))}
            app.test_client_class = SearchSyncedClient
            client = app.test_client()
            result.listing = client.get("/annual-reports").get_data(as_text=True)
            for year in YEARS:
                for url in (f"/annual-reports/{year}", f"/annual-reports/{year}.docx", f"/annual-reports/{year}.csv"):
                    response = client.get(url)
                    result.pages[url] = (response.status_code, response.mimetype, response.get_data())
            staff_client = app.test_client()
            login(staff_client, "admin", DEMO_PASSWORD)
            result.staff_reports = staff_client.get("/admin/reports").get_data(as_text=True)
            result.again = app.test_cli_runner().invoke(args=["load-demo"]).output
            result.counts_again = counts()
    finally:
        next(made, None)  # stops its threads before the tests run: each test checks none outlives it
    return result


def test_every_demo_entry_has_a_body_of_its_own():
    bodies = [entry["body"] for entry in CATALOG]
    assert len(set(bodies)) == len(bodies)
    openings = [body.split("\n")[0] for body in bodies if not body.startswith("各")]  # salutations may repeat
    assert len(set(openings)) == len(openings)
    assert not any("现将有关事项通知如下。\n一、工作目标" in body for body in bodies)


def test_a_signed_entry_is_signed_on_its_written_date():
    # 成文日期 is the day the document was signed (DOMAIN.md): the date under the text is that day.
    signed = 0
    for entry in CATALOG:
        found = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*$", entry["body"].strip().split("\n")[-1])
        if found:
            signed += 1
            year, month, day = map(int, found.groups())
            assert date(year, month, day).isoformat() == entry["written_date"], entry["title"]
    assert signed >= 10


def test_every_budget_and_final_account_gives_its_figures_in_wan_yuan():
    money = [e for e in CATALOG if re.search(r"部门(预算|决算)$", e["title"])]
    assert len(money) >= 10
    for entry in money:
        body = entry["body"]
        assert re.search(r"收入(预算|总计)[\d,]+\.\d\d万元", body), entry["title"]
        assert "财政拨款" in body and re.search(r"“三公”经费(预算|支出)[\d.]+万元", body), entry["title"]
        assert "通知如下" not in body


def test_budget_figures_add_up():
    """收入 = 财政拨款 + 其他收入; 支出 = 基本 + 项目; 三公 = 出国（境）+ 公务用车 + 公务接待 (amounts in 万元)."""
    def amount(text):
        return round(float(text.replace(",", "")) * 100)

    for entry in (e for e in CATALOG if re.search(r"部门(预算|决算)$", e["title"])):
        body = entry["body"]
        income, grant, other = map(amount, re.search(
            r"收入(?:预算|总计)([\d,.]+)万元，其中：财政拨款收入([\d,.]+)万元，其他收入([\d,.]+)万元", body).groups())
        spent, basic, project = map(amount, re.search(
            r"支出(?:预算|总计)([\d,.]+)万元，其中：基本支出([\d,.]+)万元.*?项目支出([\d,.]+)万元", body).groups())
        three, car, host = map(amount, re.search(
            r"“三公”经费(?:预算|支出)([\d.]+)万元.*?因公出国（境）费0万元；公务用车购置及运行费([\d.]+)万元.*?"
            r"公务接待费([\d.]+)万元", body).groups())
        assert income == grant + other and spent == basic + project and three == car + host, entry["title"]


def test_each_type_reads_as_its_type():
    by_title = {e["title"]: e for e in CATALOG}
    notices = [e for e in CATALOG if e["doc_type"] == "通知" and e["title"].endswith("的通知")]
    assert notices and all(re.search(r"\d{1,2}月\d{1,2}日|\d+:\d\d|电话", e["body"]) for e in notices)
    normative = [e for e in CATALOG if "规范性文件" in e["keywords"]]
    assert len(normative) == 2 and all(e["body"].startswith("第一条") and "第五条" in e["body"] for e in normative)
    assert "答：" in by_title["《石泉路街道既有多层住宅加装电梯补贴办法》政策解读"]["body"]
    assert re.search(r"完工\d+台", by_title["石泉路街道2024年工作总结"]["body"])


def test_a_search_for_tongzhi_finds_only_a_handful(loaded):
    assert 0 < loaded.notice_hits <= 15  # the entries that are notices or speak of one, not the whole catalog


def test_sample_report_keeps_each_paragraph_on_one_line():
    paragraphs = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert all(p.strip() for p in paragraphs)
    assert any("《国家安全法》" in p for p in paragraphs)
    for p in paragraphs:
        # a paragraph that holds a sentence ends like one; headings, the addressee and the signature don't
        assert "。" not in p or re.search(r"[。：；”）]$", p), p
    entry = next(e for e in CATALOG if f"files/{SAMPLE.name}" in e.get("attachments", []))
    assert entry["body"].split("\n") == paragraphs


def test_load_demo_says_what_it_loaded_prints_the_accounts_and_loads_nothing_twice(loaded):
    said = loaded.said
    assert loaded.exit_code == 0, said
    assert f"已载入演示内容：{len(CATALOG)} 条" in said
    assert "另有近期的 5 件（待确认、办理中、待补正、已延期的各一件仍在办理，一件已答复）" in said and "2020、2021、2022、2023、2024、2025 年度" in said
    assert "admin" in said and DEMO_PASSWORD in said and loaded.signs_in
    assert "不再载入" in loaded.again and "admin" in loaded.again
    assert loaded.counts_again == loaded.counts
    assert loaded.seconds < 120, loaded.seconds


def test_annual_reports_2020_to_2025_open_with_tables_docx_and_csv(loaded):
    for year in YEARS:
        status, _, html = loaded.pages[f"/annual-reports/{year}"]
        assert status == 200, year
        page = html.decode()
        assert "<table" in page and "三、收到和处理政府信息公开申请情况" in page
        status, mimetype, data = loaded.pages[f"/annual-reports/{year}.docx"]
        assert status == 200 and mimetype.endswith("wordprocessingml.document")
        text = "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)
        assert f"{year}年政府信息公开工作年度报告" in text
        status, mimetype, data = loaded.pages[f"/annual-reports/{year}.csv"]
        assert status == 200 and mimetype == "text/csv"
        assert "本年新收政府信息公开申请数量" in data.decode("utf-8-sig")


def test_reports_up_to_2020_use_the_2019_format_and_later_ones_the_2021_format(loaded):
    assert loaded.formats == {year: FORMAT_2019 if year <= 2020 else FORMAT_2021 for year in YEARS}


def test_annual_report_list_holds_only_honest_reports(loaded):
    for year in YEARS:
        assert f'href="/annual-reports/{year}"' in loaded.listing
    templated = [e for e in CATALOG if "政府信息公开工作年度报告" in e["title"]]
    assert [e["title"] for e in templated] == ["石泉路街道2019年度政府信息公开工作年度报告"]  # before the portal
    assert "收到和处理政府信息公开申请情况" in templated[0]["body"]


def test_demo_applications_cover_every_reply_outcome_and_ground(loaded):
    for outcome in rl.OUTCOMES:
        assert any(key[0] == "raw" and key[1] == outcome for key in loaded.lines), outcome
    for outcome, grounds in rl.GROUNDS.items():
        for ground in grounds:
            assert ("raw", outcome, ground) in loaded.lines, ground
    assert ("raw", rl.DISCLOSED, rl.ALREADY_PUBLISHED) in loaded.lines
    assert (FORMAT_2021, None) not in loaded.lines and (FORMAT_2019, None) not in loaded.lines


def test_demo_applications_include_a_correction_consultations_an_extension_and_fees(loaded):
    for kind in (EventKind.CORRECTION_REQUESTED, EventKind.CORRECTED_RECEIVED, EventKind.CONSULTATION_STARTED,
                 EventKind.CONSULTATION_DELIVERED, EventKind.CONSULTATION_CLOSED, EventKind.EXTENSION_APPROVED,
                 EventKind.FEE_NOTIFIED, EventKind.FEE_PAID, EventKind.FEE_UNPAID, EventKind.WITHDRAWN,
                 EventKind.ABANDONED):
        assert kind.value in loaded.kinds, kind


def test_live_demo_applications_remain_open_today(loaded):
    assert {"待确认", "办理中", "待补正", "已延期", "已答复"} <= loaded.states


def test_every_report_year_counts_applications_and_some_carry_over_a_year_end(loaded):
    for year in YEARS:
        totals = loaded.section3[year]
        assert totals["new"] >= 4, year  # 2020: 5, as the sample 法治政府建设 report says
        assert totals["new"] + totals["carried_in"] == totals["total"] + totals["carried_out"], year
    assert loaded.section3[2020]["new"] == 5
    assert [y for y in YEARS if loaded.section3[y]["carried_out"]] == [2020, 2023, 2024]


def test_section_four_counts_the_demo_review_and_lawsuit_in_their_years(loaded):
    assert {year: cases for year, cases in loaded.section4.items() if any(cases)} == {2021: (1, 0, 0), 2024: (0, 1, 0)}


def test_the_staff_list_dates_each_report_by_its_publication_date_as_the_public_list_does(loaded):
    # The 2020 report was published on Wed 2021-01-20 (load-demo recorded it today): both lists say 2021-01-20.
    assert '<time datetime="2021-01-20">2021-01-20</time>' in loaded.staff_reports
    assert '<time datetime="2021-01-20">2021-01-20</time>' in loaded.listing
    assert "登记" in loaded.staff_reports  # … and when it was recorded, as a note beside it


def test_each_years_numbers_follow_the_receipt_dates_as_an_office_numbers_them(loaded):
    assert len(loaded.numbered) >= 30
    for year in YEARS:
        numbered = sorted((number, received) for number, received in loaded.numbered if number.startswith(f"{year}-"))
        assert numbered and [r for _, r in numbered] == sorted(r for _, r in numbered), year
