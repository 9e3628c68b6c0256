"""补正 online through HTTP (条例 Art. 30, 31(三)): the applicant sends the corrected request on the tracking
page, staff confirm it on the application page, and the new 20 working days run from that confirmation.

Dates (2026 calendar): handed in Mon 10-26; 补正告知书 Tue 10-27 with 5 working days → 10-28, 29, 30, 11-02,
11-03 = the deadline is Tue 2026-11-03.
"""
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.info_requests import services
from portal.core.uploads import stored_path
from portal.models import HANDLER, CorrectionFile, InfoRequest, Letter, OnlineCorrection, OutboxMessage, User
from tests.factories.files import pdf_bytes
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.search import SearchSyncedClient
from tests.factories.smtp import wait_for_mail
from tests.factories.staff import login, make_user

POINTS = "请写明所需名单的年份\n请写明小区名称"
TEXT = "所需信息为2024年度石泉路街道老旧小区加装电梯补贴的发放名单，小区为石泉一村"



@pytest.fixture
def case(calendar, today):
    """An application handed in on 10-26 and asked on 10-27 to correct within 5 working days; its number and code."""
    today(date(2026, 10, 27))
    handler = db.session.get(User, make_user("handler", HANDLER).id)
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 10, 26),
                                           user=handler)
    services.request_correction(info_request, date(2026, 10, 27), handler, points=POINTS, workdays=5)
    return info_request.tracking_number, code


@pytest.fixture
def desk(app):
    """The 经办人 signed in. Every client here reads its user from its own cookie on each request
    (SearchSyncedClient): under the `calendar` fixture's app context a plain client would reuse the user the
    previous request of any client left in flask.g, and an applicant's client could act as the 经办人."""
    app.test_client_class = SearchSyncedClient
    client = app.test_client()
    login(client, "handler")
    return client


def tracking(app, number, code):
    """A client that has given the application's number and code."""
    app.test_client_class = SearchSyncedClient
    client = app.test_client()
    assert client.post("/apply/track", data={"number": number, "code": code}).status_code == 303
    return client


def send(client, number, text=TEXT, files=()):
    """Post the correction form as a browser does (multipart), with (content, name) files."""
    data = {"text": text, "files": [(io.BytesIO(content), name) for content, name in files]}
    return client.post(f"/apply/track/{number}/correction", data=data, content_type="multipart/form-data")


def stored(number):
    """The application read afresh."""
    db.session.expire_all()
    return db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))


def test_the_tracking_page_shows_the_points_the_deadline_told_and_the_form(app, case, today):
    number, code = case
    today(date(2026, 10, 30))
    html = tracking(app, number, code).get(f"/apply/track/{number}").get_data(as_text=True)
    assert "请写明所需名单的年份" in html and "请写明小区名称" in html
    assert "补正期限：<strong>2026年11月3日</strong>" in html
    assert f'action="/apply/track/{number}/correction"' in html and 'enctype="multipart/form-data"' in html
    assert f'href="/apply/track/{number}/correction"' in html  # the summary links to the form
    assert "即将开通" not in html


def test_a_correction_sent_online_is_recorded_at_once_and_waits_as_awaiting_correction(app, case, today, desk):
    number, code = case
    today(date(2026, 11, 2))
    client = tracking(app, number, code)
    assert client.get(f"/apply/track/{number}/correction").status_code == 200
    assert stored(number).state == "待补正" and not stored(number).events[-1].kind == "correction_submitted"  # GET: nothing
    done = send(client, number, files=[(pdf_bytes(), "户口簿.pdf")])
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/apply/track/{number}#correction")
    info_request = stored(number)
    event = info_request.events[-1]
    assert info_request.state == "待补正" and info_request.due_date is None
    assert (event.kind, event.date, event.actor, event.channel) == ("correction_submitted", date(2026, 11, 2), "申请人", "网络")
    assert [l.kind for l in info_request.letters][-1] == "补正接收回执"
    page = client.get(f"/apply/track/{number}").get_data(as_text=True)
    assert "您已于2026年11月2日在线提交补正" in page and TEXT in page and "户口簿.pdf" in page
    assert f'action="/apply/track/{number}/correction"' not in page  # once only
    staff_page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert TEXT in staff_page and "确认收到在线补正" in staff_page and "admin/requests/" + number + "/corrected" not in staff_page
    public_id = db.session.scalar(select(OnlineCorrection)).files[0].public_id
    download = desk.get(f"/admin/requests/{number}/correction/files/{public_id}")
    assert download.status_code == 200 and download.data == pdf_bytes()
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in download.headers["Cache-Control"]
    # Neither the applicant nor anybody not signed in gets the file from the staff area.
    for outsider in (client, app.test_client()):
        refused = outsider.get(f"/admin/requests/{number}/correction/files/{public_id}")
        assert refused.status_code == 302 and "/admin/login" in refused.headers["Location"]


def test_the_queue_filters_and_counts_corrections_waiting_for_confirmation(app, case, today, desk):
    number, code = case
    today(date(2026, 11, 2))
    queue = desk.get("/admin/requests/?state=correction_sent").get_data(as_text=True)
    assert number not in queue and "在线补正待确认" in queue
    send(tracking(app, number, code), number)
    queue = desk.get("/admin/requests/?state=correction_sent").get_data(as_text=True)
    assert number in queue and "共 1 件" in queue and '<span class="badge">在线补正待确认</span>' in queue


def test_the_new_twenty_working_days_run_from_the_day_staff_confirm(app, case, today, desk):
    number, code = case
    today(date(2026, 11, 2))
    send(tracking(app, number, code), number)
    today(date(2026, 11, 4))
    early = desk.post(f"/admin/requests/{number}/correction/confirm", data={"confirm_correction-on": "2026-11-01"})
    assert early.status_code == 422 and "早于申请人在线提交补正之日 2026-11-02" in early.get_data(as_text=True)
    assert stored(number).state == "待补正"
    done = desk.post(f"/admin/requests/{number}/correction/confirm", data={"confirm_correction-on": "2026-11-04"})
    assert done.status_code == 303
    info_request = stored(number)
    # confirmed Wed 11-04 (not counted): 11-05, 06 (2) · 11-09..13 (7) · 11-16..20 (12) · 11-23..27 (17) · 11-30, 12-01, 12-02 (20)
    assert info_request.state == "办理中" and info_request.due_date == date(2026, 12, 2)
    letter = info_request.letters[-1]
    assert letter.kind == "补正确认书" and "2026年11月4日与您确认收到" in letter.body and "2026年12月2日前予以答复" in letter.body


def test_abandonment_is_refused_while_a_correction_sent_in_time_waits(app, case, today, desk):
    number, code = case
    today(date(2026, 11, 3))  # the last day of the period: in time
    send(tracking(app, number, code), number)
    today(date(2026, 11, 5))
    page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "action-abandon" not in page
    refused = desk.post(f"/admin/requests/{number}/abandon", data={"abandon-on": "2026-11-05"})
    assert refused.status_code == 422 and "不能于 2026-11-05 视为放弃申请" in refused.get_data(as_text=True)
    assert stored(number).state == "待补正"


def test_a_late_correction_is_kept_and_accepting_it_asks_for_the_good_reason(app, case, today, desk):
    number, code = case
    today(date(2026, 11, 4))  # the day after the deadline
    assert send(tracking(app, number, code), number).status_code == 303
    assert db.session.scalar(select(OnlineCorrection)).late
    page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "逾期补正" in page and "action-abandon" in page and "接受逾期补正的正当理由" in page
    today(date(2026, 11, 5))
    bare = desk.post(f"/admin/requests/{number}/correction/confirm", data={"confirm_correction-on": "2026-11-05"})
    assert bare.status_code == 422 and "正当理由" in bare.get_data(as_text=True)
    desk.post(f"/admin/requests/{number}/correction/confirm",
              data={"confirm_correction-on": "2026-11-05", "confirm_correction-reason": "申请人住院，有医院证明"})
    # confirmed Thu 11-05: 11-06 (1) · 11-09..13 (6) · 11-16..20 (11) · 11-23..27 (16) · 11-30, 12-01, 12-02, 12-03 (20)
    info_request = stored(number)
    assert info_request.due_date == date(2026, 12, 3) and info_request.events[-1].reason == "申请人住院，有医院证明"


@pytest.mark.parametrize("files, text, message", [
    ([(b"MZ\x90\x00" * 50, "材料.exe")], TEXT, "类型不受支持"),
    ([(b"MZ\x90\x00" * 50, "材料.pdf")], TEXT, "内容与扩展名 .pdf 不符"),
    ([(pdf_bytes() + b" " * (1024 * 1024), "大文件.pdf")], TEXT, "超过 1 MB 的大小限制"),
    ([(pdf_bytes(), "材料\u202egnp.pdf")], TEXT, "含有控制字符或不可见的格式字符"),
    ([], "", "请填写补正后的申请内容"),
], ids=["type", "content", "oversized", "control-character", "empty-text"])
def test_bad_input_gets_a_chinese_message_keeps_the_text_and_stores_nothing(app, case, today, files, text, message):
    app.config["RELEASE_MAX_FILE_MB"] = 1
    number, code = case
    today(date(2026, 11, 2))
    response = send(tracking(app, number, code), number, text=text, files=files)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if text:
        assert text in html  # the typed text is kept
    assert stored(number).state == "待补正" and stored(number).events[-1].kind == "correction_requested"
    uploads = Path(app.config["UPLOAD_DIR"])
    assert not uploads.exists() or not any(uploads.iterdir())


def test_a_correction_without_the_csrf_token_is_refused(app_with, case, today):
    number, _ = case
    today(date(2026, 11, 2))
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    with client.session_transaction() as session:
        session["tracked_requests"] = [db.session.scalar(select(InfoRequest.id))]
    assert send(client, number).status_code == 400
    assert stored(number).events[-1].kind == "correction_requested"


def test_no_correction_can_be_sent_when_none_is_asked_for(app, calendar, today):
    today(date(2026, 10, 27))
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 10, 26),
                                           user=db.session.get(User, make_user("h2", HANDLER).id))
    number = info_request.tracking_number
    response = send(tracking(app, number, code), number)
    assert response.status_code == 409 and "不需要补正" in response.get_data(as_text=True)
    assert stored(number).state == "办理中"


def test_the_receipt_and_the_confirmation_reach_the_applicant_by_real_smtp(app, case, today, desk, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    number, code = case
    wait_for_mail(app)
    smtp_server.messages.clear()  # the counter's 接收回执 and the 补正告知书
    today(date(2026, 11, 2))
    send(tracking(app, number, code), number)
    wait_for_mail(app)
    sent = [m.message for m in smtp_server.messages if m.rcpt_tos == ["zhangsan@example.com"]]
    assert len(sent) == 1 and "补正后的申请已收到" in sent[0]["Subject"] and number in sent[0]["Subject"]
    assert "以双方确认之日为收到之日" in sent[0].get_content()
    smtp_server.messages.clear()
    today(date(2026, 11, 4))
    desk.post(f"/admin/requests/{number}/correction/confirm", data={"confirm_correction-on": "2026-11-04"})
    wait_for_mail(app)
    confirmed = [m.message for m in smtp_server.messages if m.rcpt_tos == ["zhangsan@example.com"]]
    assert len(confirmed) == 1 and "补正确认书" in confirmed[0]["Subject"]
    assert "2026年12月2日前予以答复" in confirmed[0].get_content()
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))) is None


def test_the_purge_at_the_retention_date_removes_a_correction_sent_online_and_its_files(app, case, today, desk,
                                                                                     monkeypatch):
    # Sent and confirmed Wed 10-28 (inside the 5 working days to Tue 11-03), answered the same day; with the
    # default 3 years the data is kept to 2029-10-28 and removed from 2029-10-29 on.
    number, code = case
    today(date(2026, 10, 28))
    assert send(tracking(app, number, code), number, files=[(pdf_bytes(), "户口簿.pdf")]).status_code == 303
    assert desk.post(f"/admin/requests/{number}/correction/confirm", data={"confirm_correction-on": "2026-10-28"}).status_code == 303
    services.reply(stored(number), date(2026, 10, 28), db.session.get(User, make_user("head", HANDLER).id),
                   outcome="予以公开", note="请查收。")
    kept = stored_path(db.session.scalar(select(CorrectionFile.stored_name)))
    assert kept.is_file()
    monkeypatch.setattr("portal.info_requests.cli.office_today", lambda: date(2029, 10, 29))
    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    correction = db.session.scalar(select(OnlineCorrection))
    assert correction.text == "（已删除）" and correction.files == []
    assert not kept.exists()
