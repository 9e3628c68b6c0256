"""The letters of a 信息处理费 (收费管理办法第六条): the 收费通知书, and the 视为放弃 letter when it went unpaid.

The 收费通知书 is procedural: basis, rate, amount, the computation, how to pay and by when, and what happens
without payment; no remedy paragraph (remedies.py). The letter ending an unpaid application is an answer of
其他处理 and carries that outcome's remedy (复议 or a lawsuit, at the applicant's choice).
"""
from datetime import date

from ..core.templating import cn_date
from ..models import InfoRequest, Letter, Office
from . import outcomes as rl
from .deadlines import DeadlineState
from .fee_periods import PAYMENT_WORKING_DAYS
from .fees import PER_ITEM, Fee
from .letters import REGULATION, compose, contact_line, dated, make_letter, subject_of
from .remedies import remedy_paragraph

MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
BASIS_ARTICLE = {PER_ITEM: "第四条（按件计收）", "按量": "第五条（按量计收）"}


def fee_notice(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState, fee: Fee,
               counted: str) -> Letter:
    """收费通知书: why a fee is due, on which basis and tiers, the amount, how to pay and by when."""
    state = deadline.fee
    rates = "；".join(f"{line.label} {line.rate} 元/{'件' if fee.basis == PER_ITEM else '页'}" for line in fee.lines)
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}，申请公开“{subject_of(info_request)}”）。",
        f"根据{REGULATION}第四十二条和{MEASURES}的规定，您申请公开政府信息的数量、频次超出一定范围，"
        f"本机关依照该办法{BASIS_ARTICLE[fee.basis]}收取信息处理费。{counted}",
        f"收费标准：{rates}。",
        f"计算方法：{fee.explanation()}",
        f"应缴金额：人民币 {fee.amount} 元。",
        f"缴纳方式：{office.fee_payment_text.strip()}",
        f"请自收到本通知书之日的次日起{PAYMENT_WORKING_DAYS}个工作日内，即{dated(state.payment_due, deadline, 'payment_due')}"
        "前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "自本通知书发出之日的次日起至您缴纳费用之日止的期间，不计算在答复期限内；"
        "本机关收到费用后继续办理您的申请。",
        contact_line(office),
    ]
    return make_letter("收费通知书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))


def unpaid_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """视为放弃告知书 for non-payment (第六条): not processed further, may apply again, the remedy of 其他处理."""
    state = deadline.fee
    sent = next((x for x in reversed(info_request.letters) if x.kind == "收费通知书"), None)
    notice = f"《{sent.title}》（{sent.number}）" if sent else "收费通知书"
    paragraphs = [
        f"本机关于{cn_date(deadline.receipt_date)}收到您提出的政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}，申请公开“{subject_of(info_request)}”）。",
        f"本机关于{cn_date(state.sent)}向您发出{notice}，应缴信息处理费 {state.amount} 元，"
        f"缴费期限至{cn_date(state.lapse_after)}。缴费期限届满，本机关未收到您缴纳的费用。",
        f"根据{MEASURES}第六条的规定，申请人逾期未缴纳信息处理费的，视为放弃申请。"
        "本机关对您的上述申请不再处理。",
        remedy_paragraph(office, rl.OTHER),
        contact_line(office),
    ]
    return make_letter("视为放弃告知书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day),
                       "政府信息公开申请视为放弃告知书（逾期未缴费）")
