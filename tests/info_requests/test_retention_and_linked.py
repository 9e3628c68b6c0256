"""Personal data kept for the office's 个人信息保存期限 and then removed by `flask purge-personal-data` (a dry
run first), keeping what the annual report counts; and the same applicant's applications linked on the staff
page by 证件号码 without showing it.

Dates (2022 calendar, seeded): handed in Tue 1 Nov 2022, answered Tue 15 Nov 2022 (the 10th working day).
With the default 3 years its data is kept to 15 Nov 2025 and due for removal from the day after; the suite's
clock is the machine's (December 2026 or later). An application answered on Mon 16 Nov 2026 is kept to
16 Nov 2029, and an open one is never due.
"""
import io
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.admin.settings import update_office
from portal.calendar.store import ensure_seeded
from portal.core.uploads import stored_path
from portal.extensions import db
from portal.models import HANDLER, Office
from portal.info_requests import proofs, services
from portal.info_requests.fee_steps import month_count
from portal.info_requests.retention import kept_until
from portal.models import AuditEntry, InfoRequest, OutboxMessage, ProofFile
from portal.models.reports import ReviewCase
from portal.reports.compute import compute_section3
from tests.factories.files import png_bytes
from tests.factories.offices import in_office, make_office
from tests.factories.people import resident_id
from tests.factories.requests import APPLICANT, FIELDS, clerk, handed_in
from tests.factories.staff import login, make_user

OTHER_ID = resident_id("31010719900202456")


def answered(received: date, reply_on: date, **applicant) -> str:
    """An application handed in and answered 予以公开 through the services, with a proof file; its number."""
    info_request = handed_in(received, clerk(), **applicant)
    proofs.attach(info_request, [("证件", proofs.check_file("正面.png", png_bytes()))])
    db.session.commit()
    services.reply(info_request, reply_on, clerk(), outcome="予以公开", note="请查收。")
    return info_request.tracking_number


@pytest.fixture
def cases(app):
    """Old (2022, due), recent (2026) and open applications; their numbers."""
    with app.app_context():
        ensure_seeded()
        old = answered(date(2022, 11, 1), date(2022, 11, 15))
        recent = answered(date(2026, 11, 2), date(2026, 11, 16))
        still_open = handed_in(date(2026, 11, 2), clerk()).tracking_number
        return old, recent, still_open


def by_number(number: str) -> InfoRequest:
    """The application with this number."""
    return db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))


def test_retention_ends_on_the_same_day_years_later():
    assert kept_until(date(2022, 11, 15), 3) == date(2025, 11, 15)
    assert kept_until(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_a_dry_run_lists_what_is_due_and_changes_nothing(app, runner, cases):
    old, recent, still_open = cases
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    assert f"{old}  2022-11-15 办结，保存至 2025-11-15，身份证明文件 1 个" in result.output
    assert recent not in result.output and still_open not in result.output
    assert "试运行：以上 1 件申请的个人信息将被删除，未作任何修改" in result.output
    with app.app_context():
        assert by_number(old).applicant.name == APPLICANT["name"]
        assert db.session.scalar(select(func.count()).select_from(ProofFile)) == 2
        assert db.session.scalars(select(AuditEntry).filter_by(action="purge_personal_data")).all() == []


def test_purging_removes_the_personal_data_and_files_and_keeps_what_the_report_counts(app, runner, cases):
    old, recent, _ = cases
    with app.app_context():
        report_before = compute_section3(db.session, 2022, office_id=Office.first().id).cells
        old_file = stored_path(db.session.scalar(select(ProofFile.stored_name).join(InfoRequest)
                                                 .where(InfoRequest.tracking_number == old)))
        assert old_file.is_file()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .filter_by(related=f"info_request:{old}")) == 2  # 回执 and 答复书 mailed
    result = runner.invoke(args=["purge-personal-data", "--yes"])
    assert result.exit_code == 0, result.output
    assert "已删除 1 件申请的申请人个人信息和 1 个身份证明文件" in result.output
    with app.app_context():
        info_request = by_number(old)
        person = info_request.applicant
        assert (person.name, person.id_number, person.phone, person.email, person.address) == ("（已删除）", "", "", "", "")
        assert info_request.description == "（已删除）" and info_request.personal_data_removed_on is not None
        assert all("张三丰" not in letter.body for letter in info_request.letters)
        assert [letter.number for letter in info_request.letters]  # numbers and dates stay
        assert (info_request.outcome, info_request.receipt_date, info_request.replied_on) == (
            "予以公开", date(2022, 11, 1), date(2022, 11, 15))
        assert compute_section3(db.session, 2022, office_id=Office.first().id).cells == report_before
        assert not old_file.exists()
        assert db.session.scalar(select(func.count()).select_from(ProofFile)) == 1  # the recent one stays
        assert by_number(recent).applicant.name == APPLICANT["name"]
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .filter_by(related=f"info_request:{old}")) == 0
        entry = db.session.scalar(select(AuditEntry).filter_by(action="purge_personal_data"))
        assert entry.actor_name == "命令行" and f"申请 {old}：个人信息保存期限已满" in entry.summary
    again = runner.invoke(args=["purge-personal-data", "--yes"])
    assert "没有超过个人信息保存期限（办结后 3 年）的申请" in again.output


def test_a_longer_retention_and_an_undecided_review_keep_the_data(app, runner, cases):
    old, _, _ = cases
    with app.app_context():
        update_office({"retention_years": 5})
    assert "没有超过个人信息保存期限（办结后 5 年）的申请" in runner.invoke(args=["purge-personal-data"]).output
    with app.app_context():
        update_office({"retention_years": 3})
        db.session.add(ReviewCase(office_id=Office.current().id, kind="行政诉讼", info_request_id=by_number(old).id,
                                  year=2023))
        db.session.commit()
    result = runner.invoke(args=["purge-personal-data", "--yes"])
    assert "暂不删除：行政诉讼尚未审结" in result.output and "已删除 0 件申请" in result.output
    with app.app_context():
        assert by_number(old).applicant.name == APPLICANT["name"]


def test_the_staff_page_links_the_same_applicants_applications_without_showing_the_number(app, client):
    with app.app_context():
        ensure_seeded()
        make_user("handler", "handler", display_name="李经办")
        # Mon 2 Nov, Tue 3 Nov and Tue 1 Dec 2026 by one applicant (the last in another month); one by another.
        first = handed_in(date(2026, 11, 2), clerk()).tracking_number
        second = handed_in(date(2026, 11, 3), clerk())
        services.reply(second, date(2026, 11, 4), clerk(), outcome="予以公开", note="")
        second = second.tracking_number
        later = handed_in(date(2026, 12, 1), clerk()).tracking_number
        stranger = handed_in(date(2026, 11, 2), clerk(), id_number=OTHER_ID).tracking_number
        assert month_count(by_number(second)).earlier == (first,)  # the fee count asks the same function
    login(client, "handler")
    page = client.get(f"/admin/requests/{first}").get_data(as_text=True)
    assert "同一申请人的其他申请" in page and "按证件号码 3101**********" in page
    assert APPLICANT["id_number"] not in page
    assert "2026年11月本机关共收到该申请人的申请 <strong>2</strong> 件（含本件）" in page
    assert f'>{second}</a></th>\n        <td data-label="状态">已答复</td>\n        <td data-label="收到申请日期">2026-11-03' in page
    assert f">{later}</a>" in page and stranger not in page
    assert "没有该申请人的其他申请" in client.get(f"/admin/requests/{stranger}").get_data(as_text=True)


def test_purging_goes_through_every_office_with_its_own_retention(app, runner):
    # The first office keeps personal data 5 years (its 2022 application is kept to 2027-11-15), 万镇 (which
    # starts from the first office's settings) sets 3 (to 2025-11-15, due): only 万镇's is removed, and its
    # audit row is 万镇's.
    with app.app_context():
        ensure_seeded()
        update_office({"retention_years": 5})
        ours = answered(date(2022, 11, 1), date(2022, 11, 15))
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        with in_office(wanzhen):
            update_office({"retention_years": 3})
            clerk().set_roles_in(wanzhen.id, {HANDLER})
            theirs = answered(date(2022, 11, 1), date(2022, 11, 15))
        wanzhen_id = wanzhen.id
    result = runner.invoke(args=["purge-personal-data", "--yes"])
    assert result.exit_code == 0, result.output
    assert "【上海市普陀区石泉路街道办事处】\n没有超过个人信息保存期限（办结后 5 年）的申请" in result.output
    assert f"【万镇街道办事处】\n{theirs}  2022-11-15 办结，保存至 2025-11-15" in result.output
    with app.app_context():
        assert by_number(ours).applicant.name == APPLICANT["name"]
        assert by_number(theirs).applicant.name == "（已删除）"
        entry = db.session.scalar(select(AuditEntry).filter_by(action="purge_personal_data"))
        assert entry.office_id == wanzhen_id
