"""The remedy paragraph of an answer: which route the applicant has, per outcome, in the office's words.

《中华人民共和国行政复议法》(2023年9月1日修订, in force 2024-01-01) 第二十三条: "有下列情形之一的，申请人应当
先向行政复议机关申请行政复议，对行政复议决定不服的，可以再依法向人民法院提起行政诉讼：……（四）申请政府信息公开，
行政机关不予公开；……对前款规定的情形，行政机关在作出行政行为时应当告知公民、法人或者其他组织先向行政复议机关申请
行政复议。" (text as in 许安标、左力主编《中华人民共和国行政复议法释义》, 2023, reprinted at
http://www.bjknxz.com/xzfy/40112656247.html). Its 第二十条 gives 60 days from knowing of the act to apply.
《中华人民共和国行政诉讼法》第四十五条: a lawsuit after 复议 within 15 days of receiving the 复议决定书; 第四十六条:
"公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。法律另有规定的除外。"
(e.g. https://m.110ask.com/zhishi/17038782826967639500.html).

So, per outcome (DOMAIN.md "Remedies"):
- 不予公开, and 部分公开 as to the part withheld: 复议 first (Art. 23(四)), and the answer must say so — REVIEW_FIRST.
- 无法提供, 不予处理, 其他处理 (逾期不补正/视为放弃, 逾期未缴费, 其他 such as a withdrawal answered in writing):
  not a 不予公开, so Art. 23 does not apply; the applicant chooses 复议 (60 days) or a lawsuit (6 months) — CHOICE.
- 予以公开 (and 已经主动公开): not adverse, so no deadline-laden route is owed; but the applicant may still dispute
  that what was given is what was asked for, or the way, route or time stated (国办函〔2021〕132号《关于审理政府
  信息公开行政复议案件若干问题的指导意见》第二条第（二）（三）项), so a short sentence naming the 复议机关 — DISCLOSED.
- Procedural letters (接收回执, 补正告知书, 延期/延迟答复告知书, 征求意见书, 收费通知书) carry none: 132号 第三条(一)
  makes 补正、延期等程序性处理 not reviewable on their own.
The texts are office settings (Office.remedy_*); {复议机关} in them becomes Office.review_authority.
"""
from ..models import Office
from . import outcomes as rl

AUTHORITY = "{复议机关}"
REVIEW_FIRST = frozenset({rl.REFUSED, rl.PARTLY_DISCLOSED})
CHOICE = frozenset({rl.UNABLE, rl.NOT_PROCESSED, rl.OTHER})
DISCLOSED = frozenset({rl.DISCLOSED})


def remedy_text(office: Office, outcome: str) -> str:
    """The office's remedy setting that applies to this outcome (with the {复议机关} placeholder)."""
    if outcome in REVIEW_FIRST:
        return office.remedy_review_first
    if outcome in CHOICE:
        return office.remedy_choice
    if outcome in DISCLOSED:
        return office.remedy_disclosed
    raise ValueError(f"未知的答复结果：{outcome}")


def named(office: Office, text: str) -> str:
    """A remedy text with the office's 复议机关 in place of the placeholder."""
    return text.strip().replace(AUTHORITY, office.review_authority)


def remedy_paragraph(office: Office, outcome: str) -> str:
    """The remedy paragraph of an answer with this outcome, naming the office's 复议机关."""
    return named(office, remedy_text(office, outcome))


# The CHOICE text speaks of an 答复; in the 告知书 it speaks of the decision and the letter that states it.
NOTICE_WORDS = (("对本答复", "对本决定"), ("本答复", "本告知书"))


def disclosure_remedy(office: Office) -> str:
    """The third party's remedy against a decision to disclose over its objection (条例 Art. 32 告知书).

    A decision to disclose is not a 不予公开, so 行政复议法 Art. 23(四) does not put 复议 first: like the CHOICE
    outcomes, the third party may apply for 复议 within 60 days (Art. 20) or sue within 6 months (行政诉讼法
    Art. 46). So the office's own CHOICE text (one copy of the limits), naming its 复议机关, worded for the 告知书.
    """
    text = named(office, office.remedy_choice)
    for answer, notice in NOTICE_WORDS:
        text = text.replace(answer, notice)
    return text
