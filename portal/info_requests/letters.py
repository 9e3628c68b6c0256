"""The texts of letters to applicants (and to consulted parties); each is kept as issued, with its number.

A body is plain text: the addressee and paragraphs one per line, then a blank line and the signature
block (the office's name with its seal line, and the date). The same text goes out by e-mail.
"""
from datetime import date

from ..core.db import next_serial
from ..core.templating import cn_date
from ..models import InfoRequest, Letter, Office
from . import outcomes as rl
from .consultations import CONSULTED_DAYS, THIRD_PARTY
from .deadlines import DeadlineState
from .remedies import remedy_paragraph

REGULATION = "《中华人民共和国政府信息公开条例》"
SEAL = "（印章）"
OTHER_OFFICE = "其他行政机关"

# Each kind of letter: its number's code (石信公〔2026〕补字第1号) and its title.
KINDS = {
    "接收回执": ("收", "政府信息公开申请接收回执"),
    "补正告知书": ("补", "政府信息公开申请补正告知书"),
    "延期答复告知书": ("延", "政府信息公开申请延期答复告知书"),
    "延迟答复告知书": ("迟", "政府信息公开申请延迟答复告知书"),
    "征求意见书": ("征", "政府信息公开征求意见书"),
    "决定公开告知书": ("告", "政府信息公开决定公开告知书（第三方）"),  # Art. 32, consultation_letters.py
    "答复书": ("答", "政府信息公开申请答复书"),
    "视为放弃告知书": ("弃", "政府信息公开申请视为放弃告知书"),
    "收费通知书": ("费", "政府信息公开信息处理费收费通知书"),  # fee_letters.py
    "撤回确认书": ("撤", "政府信息公开申请撤回确认书"),  # the applicant withdrew online (withdrawal.py)
    "补正接收回执": ("正", "政府信息公开申请补正接收回执"),  # a correction sent online (correction_online.py)
    "补正确认书": ("确", "政府信息公开申请补正确认书"),  # that correction confirmed: the new reply date
}


def compose(addressee: str, paragraphs: list[str], office: Office, day: date) -> str:
    """The letter's text: addressee, paragraphs, then the signature block after a blank line."""
    return "\n".join([f"{addressee}：", *paragraphs]) + "\n\n" + "\n".join([f"{office.name}{SEAL}", cn_date(day)])


def next_letter_number(office: Office, kind_code: str, year: int) -> str:
    """A letter number such as 石信公〔2026〕答字第7号, taken in the caller's transaction from the office's own
    sequence; the prefix is the office's."""
    seq = next_serial(office.counter(f"letter-{kind_code}"), year)
    return f"{office.letter_prefix}〔{year}〕{kind_code}字第{seq}号"


def make_letter(kind: str, info_request: InfoRequest, day: date, body: str, title: str | None = None) -> Letter:
    """A numbered Letter of this kind issued on `day`, added to the application."""
    code, default_title = KINDS[kind]
    letter = Letter(kind=kind, number=next_letter_number(info_request.office, code, day.year), issued_on=day,
                    title=title or default_title, body=body)
    info_request.letters.append(letter)
    return letter


def contact_line(office: Office) -> str:
    """Whom to ask (Art. 30 asks the office to guide and explain)."""
    return f"如有疑问，请与{office.disclosure_office}联系，电话：{office.phone}；地址：{office.address}。"


def subject_of(info_request: InfoRequest, limit: int = 80) -> str:
    """The information asked for, as quoted in a letter."""
    text = " ".join(info_request.description.split())
    return text if len(text) <= limit else text[:limit] + "……"


def estimate_note(years) -> str:
    """What a letter adds after a date counted over a year whose holiday schedule is not yet published."""
    names = "、".join(f"{y}年" for y in years)
    return (f"（{names}节假日安排尚未公布，按现行放假办法推算；如国务院公布的安排不同，"
            "以更正后日期为准，本机关将另行告知）")


def dated(day: date, deadline: DeadlineState, name: str) -> str:
    """A date as a letter states it: with the estimate note when the named date of the deadline is one."""
    years = deadline.estimated.get(name)
    return cn_date(day) + (estimate_note(years) if years else "")


def due_phrase(due: date | None, deadline: DeadlineState, name: str = "due_date") -> str:
    """A due date as a letter states it, saying so when it rests on an estimated holiday schedule."""
    if due is None:
        return "征求意见结束后确定的日期"
    return dated(due, deadline, name)


def receipt_letter(info_request: InfoRequest, office: Office, today: date) -> Letter:
    """接收回执 for an online application, added to it: received, awaiting confirmation, how to track it."""
    applicant = info_request.applicant
    body = "\n".join([
        f"{applicant.name}：",
        f"您于{cn_date(today)}通过{office.name}政府信息公开门户提交的政府信息公开申请已收到，"
        f"申请编号（查询号）为 {info_request.tracking_number}。",
        "根据《中华人民共和国政府信息公开条例》第三十一条第（三）项，通过互联网提交的申请，"
        "以双方确认之日为收到申请之日。工作人员将在工作时间尽快与您确认；答复期限自确认之日的次日起算。",
        "本机关将自收到申请之日起 20 个工作日内予以答复（收到申请当日不计入）；"
        "需要延长答复期限的，将书面告知您，延长期限最长不超过 20 个工作日。",
        "您可以凭查询号和查询码在门户“依申请公开—查询申请”中查看办理进度和本机关发出的告知书。",
        f"联系电话：{office.phone}；地址：{office.address}。",
        office.name,
        cn_date(today),
    ])
    return make_letter("接收回执", info_request, today, body)


RECEIPT_RULE = {
    "当面": "第三十一条第（一）项，当面提交的申请以提交之日为收到申请之日",
    "邮寄": "第三十一条第（二）项，以邮寄方式提交的申请以本机关签收之日为收到申请之日",
    "平常信函": "第三十一条第（二）项，以平常信函提交的申请以双方确认之日为收到申请之日",
    "网络": "第三十一条第（三）项，通过互联网提交的申请以双方确认之日为收到申请之日",
    "传真": "第三十一条第（三）项，通过传真提交的申请以双方确认之日为收到申请之日",
}


def received_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """接收回执 when the receipt date is fixed: handed in, signed for, or confirmed with the applicant."""
    confirmed = info_request.channel not in ("当面", "邮寄")
    what = "确认收到" if confirmed else "收到"
    paragraphs = [
        f"您以{info_request.channel}方式提交的政府信息公开申请（申请编号：{info_request.tracking_number}，"
        f"申请公开“{subject_of(info_request)}”），本机关已于{cn_date(deadline.receipt_date)}{what}。",
        f"根据{REGULATION}{RECEIPT_RULE[info_request.channel]}，即{cn_date(deadline.receipt_date)}。",
        f"根据{REGULATION}第三十三条，本机关将自收到申请之日起20个工作日内（收到申请当日不计入），"
        f"即{due_phrase(deadline.due_date, deadline)}前予以答复；需要延长答复期限的，将书面告知您，"
        "延长的期限最长不超过20个工作日。征求第三方或者其他机关意见所需时间不计算在上述期限内。",
        "您可以凭申请编号和查询码在本机关政府信息公开门户“依申请公开—查询申请”中查看办理进度和本机关发出的文书。",
        contact_line(office),
    ]
    title = "政府信息公开申请接收回执（确认收到）" if confirmed else None
    return make_letter("接收回执", info_request, day,
                       compose(info_request.applicant.name, paragraphs, office, day), title)


def correction_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState,
                      points: str) -> Letter:
    """补正告知书 (Art. 30): what is unclear, the period, the restart, and 视为放弃."""
    correction = next(e for e in reversed(info_request.events) if e.kind == "correction_requested")
    period = f"{cn_date(deadline.correction_due)}前" + (
        "" if correction.until else f"（本告知书作出之日起{correction.workdays}个工作日内）"
        + (estimate_note(deadline.estimated["correction_due"]) if deadline.is_estimated("correction_due") else ""))
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}）。经审查，申请内容不明确，本机关无法确定您所需的政府信息。",
        f"根据{REGULATION}第二十九条第二款、第三十条的规定，请您对以下事项作出补正：",
        *[line.strip() for line in points.strip().splitlines() if line.strip()],
        f"请于{period}向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起重新计算。",
        "申请人无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        contact_line(office) + "我们可以就如何补正为您提供指导和释明。",
    ]
    return make_letter("补正告知书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))


def abandonment_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """视为放弃告知书 (Art. 30): not processed further, may apply again; the remedy of 其他处理 (复议 or a lawsuit)."""
    correction = next(e for e in reversed(info_request.events) if e.kind == "correction_requested")
    sent = next((x for x in reversed(info_request.letters) if x.kind == "补正告知书"), None)
    notice = f"《{sent.title}》（{sent.number}）" if sent else "补正告知书"
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}，申请公开“{subject_of(info_request)}”）。",
        f"因申请内容不明确，本机关于{cn_date(correction.date)}向您发出{notice}，"
        f"请您于{cn_date(deadline.abandon_after or deadline.correction_due)}前提交补正后的申请。"
        "补正期限届满，本机关未收到您补正后的申请。",
        f"根据{REGULATION}第三十条的规定，申请人无正当理由逾期不补正的，视为放弃申请。"
        "本机关对您的上述申请不再处理。",
        f"您仍需要获取相关政府信息的，可以依照{REGULATION}第二十九条的规定重新提出申请，"
        "写明所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。",
        remedy_paragraph(office, rl.OTHER),
        contact_line(office),
    ]
    return make_letter("视为放弃告知书", info_request, day,
                       compose(info_request.applicant.name, paragraphs, office, day))


def extension_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """延期答复告知书 (Art. 33): the head's approval, how long, from when, until when."""
    ext = deadline.extension
    original = (f"原答复期限{cn_date(deadline.original_due_date)}" if deadline.original_due_date
                else "原答复期限（征求意见所需时间不计算在内）")
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}）。因{ext.reason}，本机关不能在规定期限内作出答复。",
        f"根据{REGULATION}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        f"答复期限延长{ext.workdays}个工作日，自{original}起算，"
        f"本机关将于{due_phrase(ext.due, deadline, 'extension_due')}前作出答复。",
        contact_line(office),
    ]
    return make_letter("延期答复告知书", info_request, day,
                       compose(info_request.applicant.name, paragraphs, office, day))


def delay_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """延迟答复告知书 (Art. 35): the reasonable later date and its reason."""
    delay = deadline.delay
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}）。",
        f"您申请公开政府信息的数量、频次明显超过合理范围。本机关认为您的申请理由合理，"
        f"但无法在{REGULATION}第三十三条规定的期限内答复。理由：{delay.reason}。",
        f"根据{REGULATION}第三十五条的规定，本机关确定延迟答复的期限为{cn_date(delay.until)}，"
        "将于该日前作出答复。",
        contact_line(office),
    ]
    return make_letter("延迟答复告知书", info_request, day,
                       compose(info_request.applicant.name, paragraphs, office, day))


def consultation_letter(info_request: InfoRequest, office: Office, day: date, *, party_kind: str,
                        recipient: str, matter: str) -> Letter:
    """征求意见书 to a third party (Art. 32) or another office (Art. 34); never names the applicant."""
    asked = (f"本机关收到一份政府信息公开申请（本机关编号：{info_request.tracking_number}），"
             f"申请公开的政府信息为：{matter.strip()}")
    if party_kind == THIRD_PARTY:
        paragraphs = [
            asked,
            f"本机关认为，公开上述信息可能损害您（贵单位）的合法权益。根据{REGULATION}第三十二条的规定，"
            "现书面征求您（贵单位）的意见。",
            f"请自收到本征求意见书之日起{CONSULTED_DAYS}个工作日内，以书面形式向本机关提出是否同意公开的意见；"
            "不同意公开的，请说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
            "第三方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，"
            "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您（贵单位）。",
        ]
        title = "政府信息公开征求第三方意见书"
    else:
        paragraphs = [
            asked,
            f"上述信息由本机关与贵机关共同制作。根据{REGULATION}第三十四条的规定，现征求贵机关意见。",
            f"请自收到本征求意见书之日起{CONSULTED_DAYS}个工作日内提出意见；逾期未提出意见的，视为同意公开。",
        ]
        title = "政府信息公开征求意见书（其他机关）"
    paragraphs.append(f"联系人：{office.disclosure_office}，电话：{office.phone}；地址：{office.address}。")
    return make_letter("征求意见书", info_request, day, compose(recipient.strip(), paragraphs, office, day), title)
