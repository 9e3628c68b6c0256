"""The district demo (`flask load-demo --offices 2`, `make run DEMO=district`): a second office beside the sample
one, with its own entries, applications, numbers, reports and staff, and a district account for both.

Loading takes the applications through the real services, so it is done once for the module: `loaded` runs
the district load twice and gathers what the tests check as plain data, then stops the app.
"""
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.accounts.auth import authenticate
from portal.accounts.cli import DEMO_PASSWORD
from portal.admin.demo_district import SECOND_OFFICE
from portal.admin.demo_steps import DEMO_DIR
from portal.extensions import db
from portal.models import (
    ADMIN,
    COORDINATOR,
    DISTRICT_ADMIN,
    HANDLER,
    HEAD,
    ROLES,
    AuditEntry,
    Document,
    InfoRequest,
    Letter,
    Membership,
    Office,
    RequestEvent,
    StandardCatalogItem,
    User,
)
from portal.models.reports import AnnualReport
from tests.factories.app import app_on_empty_database

CODE = SECOND_OFFICE["code"]
FIRST_CATALOG = [json.loads(line) for line in (DEMO_DIR / "catalog.jsonl").read_text(encoding="utf-8").splitlines()]
SECOND_CATALOG = [json.loads(line) for line in
                  (DEMO_DIR / f"catalog-{CODE}.jsonl").read_text(encoding="utf-8").splitlines()]
TABLES = (Office, Document, InfoRequest, RequestEvent, Letter, AnnualReport, StandardCatalogItem, User, Membership,
          AuditEntry)  # what a second load must not add to


@dataclass
class Loaded:
    """What one district load left behind, by office code."""

    said: str
    exit_code: int
    again: str = ""
    offices: dict = field(default_factory=dict)  # code → the office's distinct values
    several: bool = False
    entries: dict = field(default_factory=dict)  # code → [(title, publisher, index number)]
    applications: dict = field(default_factory=dict)  # code → [(tracking number, state, description, id number)]
    letters: dict = field(default_factory=dict)  # code → [letter number]
    not_ours: list = field(default_factory=list)  # the second office's 非本机关负责公开 replies (competent office)
    reports: dict = field(default_factory=dict)  # code → {year: (status, title, section 三 totals)}
    received: dict = field(default_factory=dict)  # code → {year: applications received that year}
    standard_rows: dict = field(default_factory=dict)
    accounts: dict = field(default_factory=dict)  # username → ({code: roles}, district roles)
    signs_in: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    counts_again: dict = field(default_factory=dict)


def counts() -> dict:
    """Rows per table the district load fills."""
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}


def by_office(rows) -> dict:
    """Rows (office code first) grouped by office code."""
    grouped = {}
    for code, *rest in rows:
        grouped.setdefault(code, []).append(tuple(rest))
    return grouped


def read_back(result: Loaded) -> None:
    """Gather what the tests check, office by office, from the tables."""
    codes = {o.id: o.code for o in Office.listed()}
    result.several = Office.several()
    result.offices = {o.code: {"prefix": o.number_prefix, "org_code": o.org_code, "letter_prefix": o.letter_prefix,
                               "short_name": o.short_name, "address": o.address, "description": o.description,
                               "search_hint": o.search_hint} for o in Office.listed()}
    result.entries = by_office((codes[d.office_id], d.title, d.publisher, d.index_number)
                               for d in db.session.scalars(select(Document)))
    result.applications = by_office((codes[r.office_id], r.tracking_number, r.state, r.description,
                                     r.applicant.id_number or r.applicant.uscc)
                                    for r in db.session.scalars(select(InfoRequest)))
    result.received = {}
    for r in db.session.scalars(select(InfoRequest).where(InfoRequest.receipt_date.is_not(None))):
        years = result.received.setdefault(codes[r.office_id], {})
        years[r.receipt_date.year] = years.get(r.receipt_date.year, 0) + 1
    result.letters = by_office(db.session.execute(
        select(Office.code, Letter.number).join(InfoRequest, Letter.info_request_id == InfoRequest.id)
        .join(Office, InfoRequest.office_id == Office.id)).all())
    result.not_ours = [letter.body for letter in db.session.scalars(
        select(Letter).join(InfoRequest).join(Office).where(Office.code == CODE, Letter.body.contains("石泉路街道")))]
    result.reports = {}
    for report in db.session.scalars(select(AnnualReport)):
        published = json.loads(report.published_json or "{}")
        totals = {key: row["total"] for key, row in published.get("figures", {}).get("section3", {}).items()}
        result.reports.setdefault(codes[report.office_id], {})[report.year] = (
            report.status, published.get("title", ""), totals)
    result.standard_rows = {codes[office_id]: n for office_id, n in db.session.execute(
        select(StandardCatalogItem.office_id, func.count()).group_by(StandardCatalogItem.office_id))}
    result.accounts = {u.username: ({codes[m.office_id]: u.roles_in(m.office_id) for m in u.memberships},
                                    u.district_role_set) for u in db.session.scalars(select(User))}
    result.signs_in = {name: authenticate(name, DEMO_PASSWORD, address="127.0.0.1") is not None
                       for name in ("admin", "admin2", "handler2", "district")}


@pytest.fixture(scope="module")
def loaded(database_url, tmp_path_factory):
    """Run the district load on empty tables, read everything back, run it again; the app is stopped before
    any test runs."""
    made = app_on_empty_database(database_url, tmp_path_factory.mktemp("district-demo"))
    app = next(made)
    try:
        with app.app_context():
            first = app.test_cli_runner().invoke(args=["load-demo", "--offices", "2"])
            result = Loaded(first.output, first.exit_code)
            if first.exception and not isinstance(first.exception, SystemExit):
                raise first.exception
            read_back(result)
            result.counts = counts()
            result.again = app.test_cli_runner().invoke(args=["load-demo", "--offices", "2"]).output
            result.counts_again = counts()
    finally:
        next(made, None)  # stops its threads before the tests run
    return result


def account_line(said: str, username: str) -> str:
    """The printed line of one demo account."""
    return next(line for line in said.splitlines() if line.split()[:1] == [username])


def test_the_district_demo_adds_a_neighbouring_office_with_its_own_codes_and_settings(loaded):
    assert loaded.exit_code == 0, loaded.said
    assert list(loaded.offices) == ["shiquanlu", CODE] and loaded.several
    first, second = loaded.offices["shiquanlu"], loaded.offices[CODE]
    assert first["prefix"] == "" and second["prefix"] == "JS"
    assert second["org_code"] != first["org_code"] and second["letter_prefix"] == "金信公"
    assert "金沙江路" in second["address"] and "石泉路" not in second["address"]
    for office in (first, second):  # both can be told apart on 选择受理机关
        assert office["description"] and office["search_hint"]
    assert f"已新增演示机关“上海市普陀区金沙江路街道办事处”（网址 /o/{CODE}/" in loaded.said


def test_each_office_holds_its_own_catalog_entries(loaded):
    first, second = loaded.entries["shiquanlu"], loaded.entries[CODE]
    assert len(first) == len(FIRST_CATALOG) + 6  # with its 2020–2025 reports, as without the district
    second_titles = {title for title, _, _ in second}
    assert second_titles == {e["title"] for e in SECOND_CATALOG} | {
        f"上海市普陀区金沙江路街道办事处{year}年政府信息公开工作年度报告" for year in (2024, 2025)}
    assert not second_titles & {title for title, _, _ in first}
    assert {publisher for _, publisher, _ in second} == {"上海市普陀区金沙江路街道办事处"}
    assert all(index.startswith(loaded.offices[CODE]["org_code"] + "/") for _, _, index in second)
    assert all(index.startswith(loaded.offices["shiquanlu"]["org_code"] + "/") for _, _, index in first)
    assert loaded.standard_rows == {"shiquanlu": 3, CODE: 3}
    assert f"{loaded.offices[CODE]['short_name']}：已载入演示内容：{len(SECOND_CATALOG)} 条主动公开信息。" in loaded.said


def test_the_second_office_catalog_is_its_own_text_and_its_figures_add_up():
    first_bodies = {e["body"] for e in FIRST_CATALOG}
    assert 8 <= len(SECOND_CATALOG) <= 12
    assert len({e["body"] for e in SECOND_CATALOG}) == len(SECOND_CATALOG)
    assert not {e["body"] for e in SECOND_CATALOG} & first_bodies
    assert not any("石泉" in e["title"] + e["body"] for e in SECOND_CATALOG)
    for entry in SECOND_CATALOG:
        signed = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*$", entry["body"].strip().split("\n")[-1])
        if signed:
            assert date(*map(int, signed.groups())).isoformat() == entry["written_date"], entry["title"]
    money = [e for e in SECOND_CATALOG if re.search(r"部门(预算|决算)$", e["title"])]
    assert len(money) == 3
    for entry in money:
        cents = [round(float(n.replace(",", "")) * 100) for n in re.search(
            r"收入(?:预算|总计)([\d,.]+)万元，其中：财政拨款收入([\d,.]+)万元，其他收入([\d,.]+)万元.*?"
            r"支出(?:预算|总计)([\d,.]+)万元，其中：基本支出([\d,.]+)万元.*?项目支出([\d,.]+)万元.*?"
            r"“三公”经费(?:预算|支出)([\d.]+)万元.*?公务用车购置及运行费([\d.]+)万元.*?公务接待费([\d.]+)万元",
            entry["body"], re.S).groups()]
        income, grant, other, spent, basic, project, three, car, host = cents
        assert income == grant + other and spent == basic + project and three == car + host, entry["title"]


def test_each_office_numbers_its_applications_and_letters_with_its_own_prefix(loaded):
    first, second = loaded.applications["shiquanlu"], loaded.applications[CODE]
    assert len(first) == 37 and len(second) == 13
    assert all(re.fullmatch(r"\d{4}-\d{4}", number) for number, *_ in first)
    assert all(re.fullmatch(r"JS-\d{4}-\d{4}", number) for number, *_ in second)
    years = {}
    for number, *_ in second:
        _, year, seq = number.split("-")
        years.setdefault(year, []).append(int(seq))
    assert {"2024", "2025"} <= set(years)
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in years.values())  # each year afresh
    assert all(number.startswith("金信公〔") for (number,) in loaded.letters[CODE])
    assert all(number.startswith("石信公〔") for (number,) in loaded.letters["shiquanlu"])
    assert not {d for _, _, d, _ in second} & {d for _, _, d, _ in first}


def test_the_second_office_has_applications_open_in_every_state_and_past_ones_answered(loaded):
    states = {state for _, state, _, _ in loaded.applications[CODE]}
    assert {"待确认", "办理中", "待补正", "已延期", "已答复", "已撤回"} <= states
    assert loaded.received[CODE][2024] == 5 and loaded.received[CODE][2025] == 3
    assert len(loaded.not_ours) == 1 and "上海市普陀区石泉路街道办事处" in loaded.not_ours[0]


def test_the_second_office_applicants_are_other_people_than_the_first_offices(loaded):
    first = {who for *_, who in loaded.applications["shiquanlu"]}
    second = {who for *_, who in loaded.applications[CODE]}
    assert len(second) == len(loaded.applications[CODE]) and not first & second


def test_the_second_office_publishes_its_own_2024_and_2025_reports(loaded):
    assert set(loaded.reports["shiquanlu"]) == set(range(2020, 2026))
    reports = loaded.reports[CODE]
    assert set(reports) == {2024, 2025}
    for year, (status, title, _totals) in reports.items():
        assert status == "published" and title == f"上海市普陀区金沙江路街道办事处{year}年政府信息公开工作年度报告"
    assert "金沙江路街道：已按这些申请编制并发布 2024、2025 年度政府信息公开工作年度报告。" in loaded.said


def test_the_second_office_reports_count_only_its_own_applications(loaded):
    for year, (_status, _title, totals) in loaded.reports[CODE].items():
        assert totals["new"] == loaded.received[CODE][year], year
    assert loaded.reports[CODE][2024][2]["carried_out"] == 1 and loaded.reports[CODE][2025][2]["carried_in"] == 1


def test_demo_accounts_belong_to_their_offices_and_the_district_account_to_both(loaded):
    accounts = loaded.accounts
    for username in ("admin", "editor", "reviewer", "handler", "head", "demo"):
        assert set(accounts[username][0]) == {"shiquanlu"} and not accounts[username][1], username
    assert accounts["admin2"] == ({CODE: {ADMIN}}, set())
    assert accounts["handler2"] == ({CODE: {HANDLER}}, set())
    assert accounts["head2"] == ({CODE: {HEAD}}, set())
    assert accounts["district"] == ({"shiquanlu": set(ROLES), CODE: set(ROLES)}, {DISTRICT_ADMIN, COORDINATOR})
    assert all(loaded.signs_in.values()), loaded.signs_in


def test_the_printed_account_list_says_where_each_account_works(loaded):
    said = loaded.said
    assert DEMO_PASSWORD in said
    assert "石泉路街道（管理员）" in account_line(said, "admin")
    assert "金沙江路街道（管理员）" in account_line(said, "admin2") and "石泉路" not in account_line(said, "admin2")
    assert "金沙江路街道（经办人）" in account_line(said, "handler2")
    district = account_line(said, "district")
    assert "区级管理员、政务公开办" in district and "石泉路街道（全部角色）、金沙江路街道（全部角色）" in district
    assert f"/o/{CODE}/admin" in said


def test_loading_the_district_demo_twice_adds_nothing(loaded):
    assert loaded.counts_again == loaded.counts
    assert "已存在，不再新增" in loaded.again and "金沙江路街道：目录中已有" in loaded.again
    assert "district" in loaded.again


def test_make_run_demo_district_passes_the_flag_to_load_demo():
    make, root = shutil.which("make"), Path(__file__).resolve().parents[2]
    if make is None:
        pytest.skip("make is not installed")
    commands = {demo: subprocess.run([make, "-n", "run", *demo], cwd=root, text=True,
                                     capture_output=True, check=True).stdout for demo in ((), ("DEMO=district",))}
    assert re.search(r"load-demo\s*$", commands[()], re.M)
    assert re.search(r"load-demo --offices 2\s*$", commands[("DEMO=district",)], re.M)
