"""The annual report's figures, computed from applications built through the real services."""
from datetime import date

import pytest

from portal.extensions import db
from portal.models import Office
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models.reports import ReviewCase
from portal.reports import lines
from portal.reports.compute import COLUMN_KEYS, compute_section3
from portal.reports.sections import NormativeRule, compute_report, overview_text
from tests.factories.catalog import publish
from tests.factories.reports import abandoned, confirmed, publish_entries, received, replied, unpaid, withdrawn
from tests.factories.requests import clerk

D = date
REFUSED_COLUMNS = ("citizen", "business", "research", "charity", "legal", "other_org", "citizen", "business")
UNABLE_COLUMNS = ("citizen", "charity", "legal")
NOT_PROCESSED_COLUMNS = ("citizen", "business", "other_org", "citizen", "research")


@pytest.fixture
def year_2025(calendar):
    """A year of applications: carried in from 2024, every outcome and ground, carried into 2026."""
    apps = {}
    apps["old"] = replied("citizen", D(2024, 6, 3), D(2024, 6, 20), rl.DISCLOSED)  # finished before 2025
    apps["c1"] = replied("citizen", D(2024, 12, 20), D(2025, 1, 10), rl.DISCLOSED)
    apps["c2"] = received("business", D(2024, 12, 23))  # still open at the end of 2025
    apps["c3"] = withdrawn("research", D(2024, 12, 30), D(2025, 1, 6))
    apps["disclosed"] = replied("citizen", D(2025, 2, 3), D(2025, 2, 20), rl.DISCLOSED)
    apps["already"] = replied("citizen", D(2025, 2, 4), D(2025, 2, 5), rl.DISCLOSED, rl.ALREADY_PUBLISHED,
                              note="本门户“法定主动公开内容”栏目")
    apps["partial"] = replied("legal", D(2025, 2, 5), D(2025, 2, 25), rl.PARTLY_DISCLOSED, "保护第三方合法权益")
    for n, (ground, column) in enumerate(zip(rl.GROUNDS[rl.REFUSED], REFUSED_COLUMNS), start=1):
        apps[f"refused-{n}"] = replied(column, D(2025, 3, n), D(2025, 3, n + 10), rl.REFUSED, ground)
    for n, (ground, column) in enumerate(zip(rl.GROUNDS[rl.UNABLE], UNABLE_COLUMNS), start=1):
        apps[f"unable-{n}"] = replied(column, D(2025, 4, n), D(2025, 4, n + 10), rl.UNABLE, ground)
    for n, (ground, column) in enumerate(zip(rl.GROUNDS[rl.NOT_PROCESSED], NOT_PROCESSED_COLUMNS), start=1):
        apps[f"np-{n}"] = replied(column, D(2025, 5, n), D(2025, 5, n + 10), rl.NOT_PROCESSED, ground)
    apps["other-1"] = abandoned("charity", D(2025, 6, 3), D(2025, 6, 30))
    # 收费通知 Wed 07-02: 07-03,04 (2), 07-07..11 (7), 07-14..18 (12), 07-21..25 (17), 07-28..30 (20) → last day to
    # pay 07-30; ended unpaid Mon 08-04.
    apps["other-2"] = unpaid("business", D(2025, 7, 1), D(2025, 8, 4))
    apps["other-3w"] = withdrawn("citizen", D(2025, 7, 2), D(2025, 7, 3))
    apps["other-3r"] = replied("other_org", D(2025, 7, 4), D(2025, 7, 21), rl.OTHER, rl.OTHER_GROUND,
                               note="申请人表示不再需要该信息")
    apps["o1"] = replied("citizen", D(2025, 12, 22), D(2026, 1, 8), rl.DISCLOSED)
    apps["o2"] = received("legal", D(2025, 12, 29))
    # Not counted in 2025: confirmed (received) only in 2026; never confirmed; withdrawn before confirmation.
    apps["next"] = confirmed("citizen", D(2025, 12, 30), D(2026, 1, 5))
    apps["unconfirmed"] = received("citizen", D(2025, 6, 2), channel="传真")
    apps["gone"] = services.withdraw(received("business", D(2025, 6, 2), channel="传真"), D(2025, 6, 3), clerk())
    return apps


# The expected table of 2025, non-zero cells only (row key → column key → count); 总计 is checked too.
EXPECTED_2025 = {
    "new": {"citizen": 9, "business": 4, "research": 2, "charity": 3, "legal": 4, "other_org": 3},
    "carried_in": {"citizen": 1, "business": 1, "research": 1},
    "disclosed": {"citizen": 3},
    "partial": {"legal": 1},
    **{f"refused-{n}": {column: 1} for n, column in enumerate(REFUSED_COLUMNS, start=1)},
    **{f"unable-{n}": {column: 1} for n, column in enumerate(UNABLE_COLUMNS, start=1)},
    **{f"not_processed-{n}": {column: 1} for n, column in enumerate(NOT_PROCESSED_COLUMNS, start=1)},
    "other-1": {"charity": 1},
    "other-2": {"business": 1},
    "other-3": {"citizen": 1, "other_org": 1, "research": 1},
    "total": {"citizen": 9, "business": 4, "research": 3, "charity": 3, "legal": 3, "other_org": 3},
    "carried_out": {"citizen": 1, "business": 1, "legal": 1},
}


def test_every_cell_of_section_three_for_a_full_year(year_2025):
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert table.format == "2021"
    counted = [row.key for row in table.rows if row.counted]
    assert set(EXPECTED_2025) == set(counted)
    for row in counted:
        for column in COLUMN_KEYS[:-1]:
            assert table.count(row, column) == EXPECTED_2025[row].get(column, 0), (row, column)
        assert table.count(row, "total") == sum(EXPECTED_2025[row].values()), row


def test_every_column_reconciles_and_nothing_is_flagged(year_2025):
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert [c.column for c in table.checks] == list(COLUMN_KEYS)
    assert all(check.ok for check in table.checks)
    assert table.balanced and table.problems == [] and table.notes == []
    total = table.checks[-1]
    assert (total.new, total.carried_in, total.results, total.carried_out) == (25, 3, 25, 3)


def test_each_cell_keeps_the_applications_it_counts(year_2025):
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    apps = year_2025
    assert table.ids("disclosed", "citizen") == sorted([apps["c1"].id, apps["disclosed"].id, apps["already"].id])
    assert table.ids("carried_out") == sorted([apps["c2"].id, apps["o1"].id, apps["o2"].id])
    assert table.ids("other-1") == [apps["other-1"].id]
    for key in ("old", "next", "unconfirmed", "gone"):
        assert all(apps[key].id not in ids for row in table.cells.values() for ids in row.values()), key


def test_the_next_year_starts_from_what_was_carried_out(year_2025):
    table = compute_section3(db.session, 2026, office_id=Office.first().id)
    apps = year_2025
    assert table.ids("carried_in") == sorted([apps["c2"].id, apps["o1"].id, apps["o2"].id])
    assert table.ids("new") == [apps["next"].id]
    assert table.ids("disclosed") == [apps["o1"].id]
    assert table.balanced


def test_the_2019_format_counts_other_handling_on_one_line(calendar):
    abandoned("citizen", D(2020, 6, 1), D(2020, 6, 30))
    withdrawn("business", D(2020, 7, 1), D(2020, 7, 2))
    # 收费通知 Tue 08-04: 08-05..07 (3), 08-10..14 (8), 08-17..21 (13), 08-24..28 (18), 08-31 (19), 09-01 (20);
    # ended unpaid Wed 09-02.
    unpaid("legal", D(2020, 8, 3), D(2020, 9, 2))
    table = compute_section3(db.session, 2020, office_id=Office.first().id)
    assert table.format == "2019"
    assert [row.key for row in table.rows if row.key.startswith("other")] == ["other"]
    assert table.count("other") == 3 and table.count("other", "legal") == 1
    assert table.balanced


def test_the_formats_follow_the_year():
    assert lines.format_for_year(2019) == lines.format_for_year(2020) == "2019"
    assert lines.format_for_year(2021) == lines.format_for_year(2025) == "2021"
    labels = [row.label for row in lines.rows_for("2021")]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert "3.危及“三安全一稳定”" in labels and "5.要求行政机关确认或重新出具已获取信息" in labels
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]


def test_stored_variants_of_an_outcome_or_ground_count_on_their_line():
    assert lines.row_for("2021", rl.ALREADY_PUBLISHED).key == "disclosed"  # stored as the outcome itself
    assert lines.row_for("2021", rl.DISCLOSED, rl.ALREADY_PUBLISHED).key == "disclosed"  # as the reply form stores it
    assert lines.row_for("2021", rl.REFUSED, '危及"三安全一稳定"').key == "refused-3"
    assert lines.row_for("2021", rl.REFUSED, "") is None


def test_a_reply_without_a_receipt_date_breaks_the_column_and_is_named(calendar):
    good = replied("citizen", D(2025, 3, 3), D(2025, 3, 10), rl.DISCLOSED)
    bad = replied("business", D(2025, 3, 4), D(2025, 3, 11), rl.DISCLOSED)
    bad.receipt_date = None
    db.session.commit()
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert not table.balanced
    broken = [c.column for c in table.checks if not c.ok]
    assert broken == ["business", "total"]
    assert [p.tracking_number for p in table.problems] == [bad.tracking_number]
    assert "没有收到申请日期" in table.problems[0].message
    assert good.tracking_number not in {p.tracking_number for p in table.problems}


def test_a_reply_in_the_year_for_an_application_received_later_is_named(calendar):
    bad = replied("legal", D(2025, 12, 15), D(2025, 12, 20), rl.DISCLOSED)
    bad.receipt_date = D(2026, 1, 5)
    db.session.commit()
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert [c.column for c in table.checks if not c.ok] == ["legal", "total"]
    assert table.problems[0].tracking_number == bad.tracking_number
    assert "早于收到申请日期 2026-01-05" in table.problems[0].message


def test_a_refusal_without_a_ground_is_counted_in_the_total_and_named(calendar):
    bad = replied("citizen", D(2025, 3, 3), D(2025, 3, 10), rl.REFUSED, "属于国家秘密")
    bad.ground = ""  # the reply form refuses this, so the record is broken afterwards (like an old import)
    db.session.commit()
    table = compute_section3(db.session, 2025, office_id=Office.first().id)
    assert table.count("total") == 1 and sum(table.count(f"refused-{n}") for n in range(1, 9)) == 0
    check = table.checks[0]
    assert not check.ok and check.lines == 0 and check.results == 1
    assert table.problems[0].tracking_number == bad.tracking_number and "未注明理由" in table.problems[0].message


def test_the_2020_sample_volumes_come_out_as_the_counts(calendar):
    publish_entries(2020, 36)
    publish_entries(2019, 2)
    publish_entries(2021, 1)
    replied("citizen", D(2019, 12, 23), D(2020, 1, 6), rl.DISCLOSED)  # carried over, not 受理 in 2020
    for n, column in enumerate(("citizen", "citizen", "business", "legal"), start=1):
        replied(column, D(2020, 3, n), D(2020, 3, n + 14), rl.DISCLOSED)
    received("citizen", D(2020, 12, 28))
    computed = compute_report(db.session, 2020, office_id=Office.first().id)
    figures = computed.figures()
    assert figures["format"] == "2019"
    assert figures["published_count"] == 36 and len(computed.published_ids) == 36
    assert figures["section3"]["new"]["total"] == 5 and figures["section3"]["carried_in"]["total"] == 1
    assert computed.section3.balanced
    text = overview_text("上海市普陀区石泉路街道办事处", figures)
    assert "全年主动公开政府信息36件" in text and "受理依申请公开5件" in text


def test_normative_documents_are_counted_by_keyword_or_registration_number(calendar):
    made = publish(title="关于加强管理的规定", keywords="规范性文件 管理", written_date=D(2025, 3, 1),
                   published_date=D(2025, 3, 5))
    numbered = publish(title="实施办法", doc_number="普府规〔2023〕2号", written_date=D(2023, 5, 1),
                       published_date=D(2023, 5, 3))
    repealed = publish(title="旧办法", keywords="行政规范性文件", written_date=D(2021, 1, 4),
                       published_date=D(2021, 1, 5), validity="废止", repealed_date=D(2025, 9, 1))
    later = publish(title="明年废止的办法", keywords="规范性文件", written_date=D(2022, 1, 4),
                    published_date=D(2022, 1, 5), validity="废止", repealed_date=D(2026, 2, 1))
    publish(title="普通通知", keywords="通知", written_date=D(2025, 4, 1), published_date=D(2025, 4, 2))
    cells = compute_report(db.session, 2025, office_id=Office.first().id).section2
    assert cells["normative.made"] == [made.id]
    assert cells["normative.repealed"] == [repealed.id]
    assert cells["normative.effective"] == sorted([made.id, numbered.id, later.id])
    by_type = compute_report(db.session, 2025, rule=NormativeRule(doc_types=frozenset({"通知"})),
                             office_id=Office.first().id).section2
    assert len(by_type["normative.made"]) == 2


def test_the_2019_format_counts_normative_documents_made_published_and_in_total(calendar):
    publish(title="规定", keywords="规范性文件", written_date=D(2019, 12, 20), published_date=D(2020, 1, 6))
    publish(title="办法", keywords="规范性文件", written_date=D(2018, 5, 1), published_date=D(2018, 5, 3))
    figures = compute_report(db.session, 2020, office_id=Office.first().id).figures()["section2"]
    assert (figures["normative.made"], figures["normative.published"], figures["normative.total"]) == ("0", "1", "2")
    assert figures["licensing.previous"] == "0" and "procurement.amount" in figures


def test_hand_entered_figures_fill_the_other_cells_of_section_two(calendar):
    figures = compute_report(db.session, 2025, manual={"licensing.decisions": "12", "fees.amount": "3.5"},
                             office_id=Office.first().id).figures()
    assert figures["section2"]["licensing.decisions"] == "12" and figures["section2"]["fees.amount"] == "3.5"
    assert figures["section2"]["penalty.decisions"] == "0"


def test_section_four_counts_review_and_litigation_cases_of_the_year(calendar):
    cases = [ReviewCase(office_id=Office.current().id, kind="行政复议", year=2025, result="维持"), ReviewCase(office_id=Office.current().id, kind="行政复议", year=2025, result="纠正"),
             ReviewCase(office_id=Office.current().id, kind="行政诉讼", year=2025, result="尚未审结"),
             ReviewCase(office_id=Office.current().id, kind="行政诉讼", year=2025, result="其他", after_review=True),
             ReviewCase(office_id=Office.current().id, kind="行政复议", year=2024, result="维持")]
    db.session.add_all(cases)
    db.session.commit()
    s4 = compute_report(db.session, 2025, office_id=Office.first().id).figures()["section4"]
    assert (s4["review.upheld"], s4["review.corrected"], s4["review.total"]) == (1, 1, 2)
    assert (s4["direct.pending"], s4["direct.total"], s4["after.other"], s4["after.total"]) == (1, 1, 1, 1)
    assert sum(s4.values()) == 2 * 4  # every case once in its result cell and once in its total
