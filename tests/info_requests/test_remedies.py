"""The remedy paragraph per outcome (行政复议法 2023 第二十三条; 行政诉讼法 第四十六条), the office's texts, the
复议机关 named in every answer, and none in procedural letters. Applications are handed in on Mon 2026-03-02."""
from datetime import date

import pytest

from portal.admin.settings import update_office
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models import HANDLER, HEAD
from tests.factories.requests import handed_in, user
from tests.factories.staff import login

REVIEW_FIRST = ("如对本答复中不予公开的决定不服，应当自收到本答复之日起60日内先向上海市普陀区人民政府申请行政复议；"
                "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼。")
CHOICE = ("如对本答复不服，可以自收到本答复之日起60日内向上海市普陀区人民政府申请行政复议，"
          "也可以自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
DISCLOSED = ("如认为本机关提供的信息不是您申请的信息，或者告知的获取方式、途径有误，"
             "可以依法向上海市普陀区人民政府申请行政复议或者向人民法院提起行政诉讼。")
WHERE = "本机关门户“法定主动公开内容”栏目，索引号000014349/2024-00012"

# Every outcome and ground of the reply form, with the remedy its 答复书 must carry.
ANSWERS = [
    (rl.REFUSED, ground, "", REVIEW_FIRST) for ground in rl.GROUNDS[rl.REFUSED]
] + [
    (rl.PARTLY_DISCLOSED, "保护第三方合法权益", "", REVIEW_FIRST),
    (rl.PARTLY_DISCLOSED, "属于国家秘密", "", REVIEW_FIRST),
] + [
    (rl.UNABLE, ground, "", CHOICE) for ground in rl.GROUNDS[rl.UNABLE]
] + [
    (rl.NOT_PROCESSED, ground, "", CHOICE) for ground in rl.GROUNDS[rl.NOT_PROCESSED]
] + [
    (rl.OTHER, rl.OTHER_GROUND, "申请人书面撤回申请，本机关终止处理", CHOICE),
    (rl.DISCLOSED, "", "", DISCLOSED),
    (rl.DISCLOSED, rl.ALREADY_PUBLISHED, WHERE, DISCLOSED),
]


@pytest.fixture
def staff(calendar):
    """A 经办人 and a 负责人."""
    return user("handler", HANDLER), user("head", HEAD)


def answer(handler, outcome, ground="", note=""):
    """The 答复书 of a fresh application answered with this outcome on Tue 2026-03-10."""
    info_request = handed_in(date(2026, 3, 2), handler)
    services.reply(info_request, date(2026, 3, 10), handler, outcome=outcome, ground=ground, note=note)
    return info_request.letters[-1]


def paragraphs(body: str) -> list[str]:
    """A letter's paragraphs (addressee first), without the signature block."""
    return body.partition("\n\n")[0].split("\n")


def remedy_of(body: str) -> str:
    """The remedy paragraph: the one before the closing contact line."""
    lines = paragraphs(body)
    assert lines[-1].startswith("如有疑问")
    return lines[-2]


@pytest.mark.parametrize("outcome, ground, note, remedy", ANSWERS, ids=[f"{a[0]}-{a[1] or '无'}" for a in ANSWERS])
def test_each_outcome_carries_the_remedy_the_2023_law_gives_it(staff, outcome, ground, note, remedy):
    letter = answer(staff[0], outcome, ground, note)
    assert letter.kind == "答复书"
    assert remedy_of(letter.body) == remedy
    assert sum("行政复议" in line for line in paragraphs(letter.body)) == 1  # stated once, nowhere else


def test_a_refusal_says_review_comes_first_and_the_others_say_the_applicant_may_choose(staff):
    refused = remedy_of(answer(staff[0], rl.REFUSED, "属于四类过程性信息").body)
    unable = remedy_of(answer(staff[0], rl.UNABLE, "本机关不掌握相关政府信息").body)
    assert "先向" in refused and "行政复议决定书之日起15日内" in refused and "6个月" not in refused
    assert "先向" not in unable and "也可以自收到本答复之日起6个月内" in unable


@pytest.mark.parametrize("outcome, ground, note, remedy", ANSWERS[::4], ids=[f"{a[0]}-{a[1] or '无'}" for a in ANSWERS[::4]])
def test_every_answer_names_the_review_authority_of_the_settings(staff, outcome, ground, note, remedy):
    update_office({"review_authority": "上海市静安区人民政府"})  # as the settings page saves it
    remedy_line = remedy_of(answer(staff[0], outcome, ground, note).body)
    assert remedy_line == remedy.replace("上海市普陀区人民政府", "上海市静安区人民政府")


def test_the_remedy_texts_are_the_offices_settings(staff):
    update_office({"remedy_choice": "对本答复不服的，可以在60日内向{复议机关}申请复议，或者在6个月内起诉。",
                   "remedy_review_first": "对不予公开不服的，须先向{复议机关}申请复议。"})
    assert remedy_of(answer(staff[0], rl.NOT_PROCESSED, "重复申请").body) == \
        "对本答复不服的，可以在60日内向上海市普陀区人民政府申请复议，或者在6个月内起诉。"
    assert remedy_of(answer(staff[0], rl.REFUSED, "属于国家秘密").body) == "对不予公开不服的，须先向上海市普陀区人民政府申请复议。"


def test_the_abandonment_notice_carries_the_remedy_of_other_handling(staff):
    handler, _ = staff
    info_request = handed_in(date(2026, 3, 2), handler)
    services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
    services.mark_abandoned(info_request, date(2026, 3, 19), handler)  # 3-5…3-6, 3-9…3-13, 3-16…3-18: ended 3-18
    letter = info_request.letters[-1]
    assert letter.kind == "视为放弃告知书" and remedy_of(letter.body) == CHOICE


def test_procedural_letters_carry_no_remedy(staff):
    handler, head = staff
    info_request = handed_in(date(2026, 3, 2), handler)                    # 接收回执
    services.start_consultation(info_request, date(2026, 3, 3), handler, party_kind="其他行政机关",
                               recipient="普陀区住房保障局", matter="加装电梯补贴文件")   # 征求意见书
    services.close_consultation(info_request, date(2026, 3, 5), handler, party="其他行政机关：普陀区住房保障局",
                                opinion="同意公开")
    services.approve_extension(info_request, date(2026, 3, 20), head, workdays=10, reason="需调取档案")  # 延期
    other = handed_in(date(2026, 3, 2), handler)
    services.request_correction(other, date(2026, 3, 4), handler, points="请写明年份", workdays=10)  # 补正告知书
    third = handed_in(date(2026, 3, 2), handler)
    services.set_delay(third, date(2026, 3, 10), head, until=date(2026, 6, 30), reason="申请数量明显超过合理范围")
    letters = info_request.letters + other.letters + third.letters
    assert {x.kind for x in letters} == {"接收回执", "征求意见书", "延期答复告知书", "补正告知书", "延迟答复告知书"}
    for letter in letters:
        assert "行政复议" not in letter.body and "行政诉讼" not in letter.body, letter.kind


def test_the_third_partys_disclosure_notice_lets_it_choose_review_or_a_lawsuit_naming_the_review_authority(staff):
    # Not a 不予公开 (行政复议法 Art. 23(四) does not apply): the CHOICE text, worded for the 告知书.
    handler, _ = staff
    update_office({"review_authority": "上海市静安区人民政府"})
    info_request = handed_in(date(2026, 3, 2), handler)
    services.start_consultation(info_request, date(2026, 3, 3), handler, party_kind="第三方", recipient="某物业公司",
                                matter="维修资金使用明细")
    services.record_delivery(info_request, date(2026, 3, 4), handler)
    services.close_consultation(info_request, date(2026, 3, 10), handler, opinion="不同意公开", decision="决定公开",
                                disclosed="维修资金使用明细", grounds="涉及全体业主共同利益",
                                disclose_on=date(2026, 3, 25))
    notice = info_request.letters[-1]
    assert notice.kind == "决定公开告知书"
    assert remedy_of(notice.body) == ("如对本决定不服，可以自收到本告知书之日起60日内向上海市静安区人民政府申请行政复议，"
                                      "也可以自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。")
    assert sum("行政复议" in line for line in paragraphs(notice.body)) == 1


def test_the_staff_letter_page_prints_the_remedy_paragraph(app, staff, client):
    handler, _ = staff
    letter = answer(handler, rl.UNABLE, "没有现成信息需要另行制作")
    number, letter_id = letter.info_request.tracking_number, letter.id
    login(client, "handler")
    page = client.get(f"/admin/requests/{number}/letters/{letter_id}").get_data(as_text=True)
    assert f"<p>{CHOICE}</p>" in page


def test_the_guide_gives_the_complaint_route_of_article_51_and_names_the_review_authority(client, ctx):
    update_office({"review_authority": "上海市静安区人民政府"})
    page = client.get("/guide").get_data(as_text=True)
    assert "向上一级行政机关或者政府信息公开工作主管部门投诉、举报" in page
    assert "本机关的行政复议机关是上海市静安区人民政府" in page
    assert "应当先自收到答复之日起 60 日内向上海市静安区人民政府申请行政复议" in page
