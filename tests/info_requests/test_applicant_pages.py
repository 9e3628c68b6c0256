"""Applicants over HTTP: the form per type, validation that keeps input, receipt, tracking, privacy."""
import re

import pytest
from sqlalchemy import select

from portal.core.clock import office_today
from portal.core.templating import cn_date
from portal.extensions import db
from portal.models import Applicant, InfoRequest, Letter, OutboxMessage
from tests.factories.catalog import publish
from tests.factories.people import CITIZEN_FORM, ORG_FORM, resident_id
from tests.factories.smtp import wait_for_mail


def submit(client, data, **changes):
    """POST the application form."""
    return client.post("/apply/form", data=data | changes)


def test_start_page_explains_time_limits_before_the_form(client):
    html = client.get("/apply/").get_data(as_text=True)
    assert "20 个工作日" in html and "补正" in html and "延长" in html
    assert "以公民身份申请" in html and "以法人或其他组织身份申请" in html


def test_form_shows_the_fields_of_the_chosen_type(client):
    citizen = client.get("/apply/form?applicant_type=公民").get_data(as_text=True)
    org = client.get("/apply/form?applicant_type=法人或其他组织").get_data(as_text=True)
    assert "证件号码" in citizen and "统一社会信用代码" not in citizen
    assert "统一社会信用代码" in org and "法律服务机构" in org and "证件号码" not in org


def test_htmx_type_switch_returns_only_the_identity_block(client):
    html = client.get("/apply/form?applicant_type=法人或其他组织", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="identity"' in html and "统一社会信用代码" in html and "<form" not in html


def test_switching_type_without_javascript_keeps_what_was_typed(client):
    html = client.post("/apply/form", data=CITIZEN_FORM | {"applicant_type": "法人或其他组织", "action": "switch"}).get_data(as_text=True)
    assert "统一社会信用代码" in html and "13800138000" in html and "加装电梯补贴" in html
    assert "申请还不能提交" not in html


def test_citizen_application_is_saved_pending_confirmation_with_a_receipt(client, calendar):
    response = submit(client, CITIZEN_FORM)
    assert response.status_code == 303
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    number = re.search(r"申请编号（查询号）：<strong class=\"big\">(\d{4}-\d{4})</strong>", receipt)[1]
    code = re.search(r"查询码：<strong class=\"big\">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", receipt)[1]
    assert "政府信息公开申请接收回执" in receipt
    info_request = db.session.scalar(select(InfoRequest))
    assert info_request.tracking_number == number and info_request.state == "待确认"
    assert info_request.receipt_date is None and info_request.due_date is None
    assert code not in info_request.code_hash
    # The code is shown once only.
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert code not in again and "查询码已在提交时显示过" in again


def test_tracking_numbers_are_sequential_per_year(client, calendar):
    submit(client, CITIZEN_FORM)
    submit(client, ORG_FORM)
    numbers = db.session.scalars(select(InfoRequest.tracking_number).order_by(InfoRequest.id)).all()
    year = numbers[0][:4]
    assert numbers == [f"{year}-0001", f"{year}-0002"]


def test_organisation_application_keeps_its_kind_for_the_annual_report(client, calendar):
    assert submit(client, ORG_FORM).status_code == 303
    info_request = db.session.scalar(select(InfoRequest))
    assert info_request.applicant_type == "法人或其他组织" and info_request.org_kind == "法律服务机构"
    assert info_request.applicant.uscc == ORG_FORM["uscc"]


def test_a_copy_of_the_receipt_is_queued_by_mail_and_the_page_does_not_claim_it_was_sent(client, calendar):
    receipt = client.get(submit(client, CITIZEN_FORM).headers["Location"]).get_data(as_text=True)
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_address == "zhangsan@example.com" and "政府信息公开申请已收到" in message.subject
    # The mail leaves from the outbox after the request: the receipt says it will be sent, not that it was.
    assert "回执副本将发送至您填写的电子邮箱" in receipt and "已发送" not in receipt


@pytest.mark.parametrize("changes, field_message", [
    ({"id_number": resident_id()[:17] + ("0" if resident_id()[-1] != "0" else "1")}, "校验"),
    ({"name": ""}, "请填写姓名"),
    ({"phone": "12345"}, "请填写11位手机号码"),
    ({"email": "not-an-address"}, "电子邮箱格式不正确"),
    ({"email": ""}, "选择了电子邮件方式，请填写电子邮箱"),
    ({"description": ""}, "请填写所需政府信息的内容描述"),
    ({"provide_forms": []}, "请至少选择一种提供形式"),
    ({"postcode": "2000"}, "邮政编码应为6位数字"),
])
def test_citizen_errors_are_shown_in_chinese_and_everything_typed_is_kept(client, ctx, changes, field_message):
    response = submit(client, CITIZEN_FORM, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message in html and "申请还不能提交" in html
    assert "上海市普陀区石泉路1号" in html and "200061" in html or "postcode" in changes
    assert db.session.scalar(select(InfoRequest)) is None


def test_organisation_needs_a_valid_credit_code_and_a_kind(client, ctx):
    html = submit(client, ORG_FORM, uscc="91310107MA1G000000", org_kind="").get_data(as_text=True)
    assert "统一社会信用代码" in html and "请选择组织类型" in html
    assert "上海某某律师事务所" in html


def test_the_honeypot_refuses_robots_and_saves_nothing(client, ctx):
    response = submit(client, CITIZEN_FORM, website="http://spam.example")
    assert response.status_code == 400 and db.session.scalar(select(InfoRequest)) is None


def test_tracking_with_the_code_shows_status_and_how_dates_are_computed(app, calendar):
    submitter = app.test_client()
    location = submit(submitter, CITIZEN_FORM).headers["Location"]
    code = re.search(r"查询码：<strong class=\"big\">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>",
                     submitter.get(location).get_data(as_text=True))[1]
    number = db.session.scalar(select(InfoRequest.tracking_number))
    other = app.test_client()
    response = other.post("/apply/track", data={"number": number, "code": code.lower().replace("-", "")})
    assert response.status_code == 303
    html = other.get(response.headers["Location"]).get_data(as_text=True)
    assert "待确认" in html and "政府信息公开申请接收回执" in html
    assert resident_id() not in html and "13800138000" not in html


def test_wrong_code_and_unknown_number_get_the_same_answer(client, calendar):
    submit(client, CITIZEN_FORM)
    number = db.session.scalar(select(InfoRequest.tracking_number))
    wrong = client.post("/apply/track", data={"number": number, "code": "AAAA-AAAA"})
    unknown = client.post("/apply/track", data={"number": "1999-9999", "code": "AAAA-AAAA"})
    assert wrong.status_code == unknown.status_code == 422
    strip = lambda r: r.get_data(as_text=True).replace(number, "").replace("1999-9999", "")
    assert strip(wrong) == strip(unknown)


def test_tracking_attempts_are_limited_per_address(app_with, calendar):
    client = app_with(RATELIMIT_ENABLED=True).test_client()
    statuses = [client.post("/apply/track", data={"number": f"2026-{n + 1:04d}", "code": "AAAA-AAAA"}).status_code
                for n in range(11)]  # one try at each of eleven numbers: the address's limit, not a number's
    assert statuses[:10] == [422] * 10 and statuses[10] == 429
    assert "查询次数过多" in client.post("/apply/track", data={"number": "x", "code": "y"}).get_data(as_text=True)


def test_status_page_needs_the_code_first(client, calendar):
    submit(client, CITIZEN_FORM)
    number = db.session.scalar(select(InfoRequest.tracking_number))
    stranger = client.application.test_client()
    response = stranger.get(f"/apply/track/{number}")
    assert response.status_code == 302 and "/apply/track?number=" in response.headers["Location"]


def test_description_suggests_already_published_entries(client, ctx):
    publish(title="老旧小区加装电梯工作实施方案", body="加装电梯补贴标准。")
    html = client.post("/apply/suggest", data={"description": "加装电梯的补贴"}).get_data(as_text=True)
    assert "老旧小区加装电梯工作实施方案" in html and "无需申请" in html


def test_applicant_data_is_stored_apart_from_the_application(client, calendar):
    submit(client, CITIZEN_FORM)
    assert db.session.scalar(select(Applicant.id_number)) == resident_id()
    assert not hasattr(InfoRequest, "id_number") and not hasattr(InfoRequest, "phone")


def test_receipt_copy_arrives_by_real_smtp(app, calendar, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    client = app.test_client()
    submit(client, CITIZEN_FORM)
    number = db.session.scalar(select(InfoRequest.tracking_number))
    wait_for_mail(app)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message.rcpt_tos == ["zhangsan@example.com"]
    assert number in message.message.get_content()


def test_posts_without_a_csrf_token_are_refused(app_with, ctx):
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/apply/form", data=CITIZEN_FORM)
    assert response.status_code == 400
    assert db.session.scalar(select(InfoRequest)) is None


def test_private_pages_are_not_stored_by_the_browser(client, calendar):
    response = client.post("/apply/form", data=CITIZEN_FORM)
    receipt = client.get(response.headers["Location"])
    assert receipt.headers["Cache-Control"].startswith("no-store")
    assert "no-store" not in client.get("/catalog").headers.get("Cache-Control", "")
    assert client.get("/admin/login").headers["Cache-Control"].startswith("no-store")


def test_tracking_page_says_the_clock_restarts_after_correction_while_waiting_for_it(app, calendar):
    from datetime import date

    from portal.info_requests import services
    from tests.factories.people import resident_id as rid
    from tests.factories.requests import clerk

    fields = {"applicant_type": "公民", "org_kind": None, "description": "那个文件",
              "provide_forms": "纸质", "obtain_methods": "邮寄"}
    info_request, code = services.register(fields, {"name": "张三", "id_number": rid(), "phone": "13800138000"},
                                           channel="当面", receipt_date=date(2026, 11, 2), user=clerk())
    services.request_correction(info_request, date(2026, 11, 4), clerk(), points="请写明文件名称", workdays=10)
    client = app.test_client()
    client.post("/apply/track", data={"number": info_request.tracking_number, "code": code})
    html = client.get(f"/apply/track/{info_request.tracking_number}").get_data(as_text=True)
    assert "收到补正后的申请后重新计算" in html and "确认收到申请后计算" not in html
    assert "2026年11月18日" in html  # the 补正 deadline: 10 working days after the notice of 11-04


def test_the_receipt_letter_writes_its_dates_as_every_other_letter_does(client, calendar):
    submit(client, CITIZEN_FORM)
    letter = db.session.scalar(select(Letter).where(Letter.kind == "接收回执"))
    # 2026年3月2日, never 2026年03月02日 (cn_date, as the tracking page and every other letter write it).
    assert cn_date(office_today()) in letter.body and not re.search(r"年0\d月|月0\d日", letter.body)
    assert "答复期限自确认之日的次日起算" in letter.body
