"""Letters: a number per kind and year, the office and seal, dates, legal basis (remedies: test_remedies.py)."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.admin.settings import update_office
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.info_requests.records import deadline_of
from portal.info_requests.reply_letters import legal_basis, needs_ground
from portal.models import HANDLER, HEAD, OutboxMessage
from tests.factories.requests import APPLICANT, handed_in, posted, user

@pytest.fixture
def staff(calendar):
    """A 经办人 and a 负责人."""
    return user("handler", HANDLER), user("head", HEAD)


def reply_text(staff, outcome, ground="", note="", day=date(2026, 3, 2)):
    """The 答复书 body for one outcome on a fresh application."""
    handler, _ = staff
    info_request = handed_in(day, handler)
    services.reply(info_request, date(2026, 3, 10), handler, outcome=outcome, ground=ground, note=note)
    return info_request.letters[-1]


def test_each_kind_has_its_own_sequence_per_year(staff):
    handler, head = staff
    first = handed_in(date(2026, 3, 2), handler)
    second = handed_in(date(2026, 3, 3), handler)
    services.request_correction(first, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
    services.approve_extension(second, date(2026, 3, 20), head, workdays=10, reason="需调取档案")
    services.reply(second, date(2026, 3, 25), handler, outcome=rl.DISCLOSED)
    older = handed_in(date(2025, 12, 29), handler)
    numbers = [l.number for l in first.letters + second.letters + older.letters]
    assert numbers == ["石信公〔2026〕收字第1号", "石信公〔2026〕补字第1号", "石信公〔2026〕收字第2号",
                       "石信公〔2026〕延字第1号", "石信公〔2026〕答字第1号", "石信公〔2025〕收字第1号"]


def test_the_prefix_is_the_offices_setting(staff):
    update_office({"letter_prefix": "测信公"})  # as the 管理员's settings page saves it
    letter = handed_in(date(2026, 3, 2), staff[0]).letters[0]
    assert letter.number == "测信公〔2026〕收字第1号"


def test_a_letter_names_the_applicant_the_office_with_its_seal_and_the_date(staff):
    letter = handed_in(date(2026, 3, 2), staff[0]).letters[0]
    assert letter.kind == "接收回执" and letter.issued_on == date(2026, 3, 2)
    assert letter.body.startswith(f"{APPLICANT['name']}：")
    assert letter.body.endswith("上海市普陀区石泉路街道办事处（印章）\n2026年3月2日")


def test_receipt_states_the_receipt_date_its_rule_and_the_engines_due_date(staff):
    info_request = handed_in(date(2026, 9, 24), staff[0])
    body = info_request.letters[0].body
    assert "第三十一条第（一）项" in body and "2026年9月24日" in body
    assert "即2026年10月29日前予以答复" in body and deadline_of(info_request).due_date == date(2026, 10, 29)


def test_confirming_a_plain_letter_gives_a_receipt_dated_the_confirmation(staff):
    info_request = posted(date(2026, 3, 2), staff[0])
    assert info_request.letters == []
    services.confirm(info_request, date(2026, 3, 3), staff[0], reason="3月2日未能联系申请人")  # a day after arrival
    letter = info_request.letters[0]
    assert letter.title == "政府信息公开申请接收回执（确认收到）" and letter.issued_on == date(2026, 3, 3)
    assert "以平常信函提交的申请以双方确认之日为收到申请之日" in letter.body and "2026年3月3日确认收到" in letter.body


def test_correction_letter_lists_the_points_the_period_the_restart_and_abandonment(staff):
    info_request = handed_in(date(2026, 3, 2), staff[0])
    services.request_correction(info_request, date(2026, 3, 4), staff[0], points="请写明年份\n请写明小区名称",
                               workdays=10)
    body = info_request.letters[-1].body
    assert "第三十条" in body and "请写明年份\n请写明小区名称" in body
    assert "请于2026年3月18日前（本告知书作出之日起10个工作日内）" in body
    assert "重新计算" in body and "视为放弃申请" in body


def test_extension_letter_gives_the_heads_approval_and_the_engines_new_due_date(staff):
    handler, head = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.approve_extension(info_request, date(2026, 3, 20), head, workdays=20, reason="需调取历年档案")
    body = info_request.letters[-1].body
    ext = deadline_of(info_request).extension
    assert ext.due == date(2026, 4, 28)
    assert "第三十三条第二款" in body and "负责人同意" in body and "延长20个工作日" in body
    assert "自原答复期限2026年3月30日起算" in body and "2026年4月28日前作出答复" in body
    assert "因需调取历年档案" in body


def test_delay_letter_cites_article_35_with_date_and_reason(staff):
    handler, head = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.set_delay(info_request, date(2026, 3, 10), head, until=date(2026, 6, 30), reason="同一申请人一月内提出60件申请")
    letter = info_request.letters[-1]
    assert letter.number == "石信公〔2026〕迟字第1号"
    assert "第三十五条" in letter.body and "2026年6月30日" in letter.body and "60件" in letter.body


def test_third_party_letter_gives_15_working_days_and_never_names_the_applicant(staff):
    handler, _ = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.start_consultation(info_request, date(2026, 3, 4), handler, party_kind="第三方",
                               recipient="上海某某物业有限公司", matter="某小区物业维修资金使用明细")
    letter = info_request.letters[-1]
    assert letter.number == "石信公〔2026〕征字第1号" and not letter.for_applicant
    assert letter.body.startswith("上海某某物业有限公司：")
    assert "第三十二条" in letter.body and "15个工作日内" in letter.body and "某小区物业维修资金使用明细" in letter.body
    for personal in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"]):
        assert personal not in letter.body


def test_other_office_letter_cites_article_34_and_silence_as_consent(staff):
    info_request = handed_in(date(2026, 3, 2), staff[0])
    services.start_consultation(info_request, date(2026, 3, 4), staff[0], party_kind="其他行政机关",
                               recipient="普陀区住房保障局", matter="加装电梯补贴文件")
    body = info_request.letters[-1].body
    assert "第三十四条" in body and "视为同意公开" in body


def test_abandonment_notice_cites_article_30_the_correction_notice_and_applying_again(staff):
    handler, _ = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
    services.mark_abandoned(info_request, date(2026, 3, 19), handler)  # the period ended on 3-18
    letter = info_request.letters[-1]
    assert letter.kind == "视为放弃告知书" and letter.number == "石信公〔2026〕弃字第1号" and letter.for_applicant
    assert letter.title == "政府信息公开申请视为放弃告知书" and letter.issued_on == date(2026, 3, 19)
    body = letter.body
    assert body.startswith(f"{APPLICANT['name']}：") and "2026年3月2日收到" in body
    assert "于2026年3月4日向您发出《政府信息公开申请补正告知书》（石信公〔2026〕补字第1号）" in body
    assert "请您于2026年3月18日前提交补正后的申请" in body
    assert "第三十条" in body and "视为放弃申请" in body and "不再处理" in body and "重新提出申请" in body
    assert "可以自收到本答复之日起60日内向上海市普陀区人民政府申请行政复议，也可以" in body  # 其他处理: a choice
    assert body.endswith("上海市普陀区石泉路街道办事处（印章）\n2026年3月19日")
    mail = db.session.scalar(select(OutboxMessage).filter_by(related=f"info_request:{info_request.tracking_number}")
                             .order_by(OutboxMessage.id.desc()))
    assert mail.to_address == APPLICANT["email"] and "视为放弃告知书" in mail.subject and mail.body == body


def test_already_published_tells_the_applicant_where(staff):
    where = "本机关门户“法定主动公开内容”栏目，索引号000014349/2024-00012"
    body = reply_text(staff, rl.DISCLOSED, rl.ALREADY_PUBLISHED, where).body
    assert "第三十六条第（一）项" in body and where in body


@pytest.mark.parametrize("outcome, ground, articles", [
    (rl.DISCLOSED, "", ["第三十六条第（二）项"]),
    (rl.PARTLY_DISCLOSED, "保护第三方合法权益", ["第三十七条", "第十五条"]),
    (rl.REFUSED, "属于国家秘密", ["第十四条", "第三十六条第（三）项"]),
    (rl.REFUSED, "属于三类内部事务信息", ["第十六条第一款"]),
    (rl.UNABLE, "没有现成信息需要另行制作", ["第三十八条"]),
    (rl.NOT_PROCESSED, "信访举报投诉类申请", ["第三十九条第一款"]),
])
def test_each_answer_cites_its_legal_basis(staff, outcome, ground, articles):
    body = reply_text(staff, outcome, ground).body
    assert "《中华人民共和国政府信息公开条例》" in body
    for article in articles:
        assert article in body


def test_every_ground_of_the_annual_report_has_a_letter():
    for outcome in rl.OUTCOMES:
        for ground in needs_ground(outcome) or ("",):
            assert legal_basis(outcome, ground) is not None


def test_reply_after_a_correction_says_when_the_corrected_application_arrived(staff):
    handler, _ = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
    services.record_correction(info_request, date(2026, 3, 12), handler)
    services.reply(info_request, date(2026, 3, 20), handler, outcome=rl.DISCLOSED)
    assert "于2026年3月12日收到您补正后的申请" in info_request.letters[-1].body
