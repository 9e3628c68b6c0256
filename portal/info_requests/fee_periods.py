"""信息处理费 in time (国办函〔2020〕109号《政府信息公开信息处理费管理办法》第六条、第七条): pure, no database.

第六条 (the text as implementing notices reprint it, e.g. 四川省财政厅、发展改革委 2021-01-18, item 二): the office
"应当在政府信息公开申请处理期限内……向申请人发出收费通知，说明收费的依据、标准、数额、缴纳方式等。申请人应当在收到
收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请" (and the office 不再处理该政府信息公开申请).
第七条: the time from sending the 收费通知 to the applicant's payment is not counted in the Art. 33 reply period
("发出收费通知……至申请人缴纳费用……的期间，不计算在……第三十三条规定的期限内").

So, with this portal's convention for a pause (the same as a consultation's, DOMAIN.md):
- the payment period ends on the 20th working day strictly after the day the applicant RECEIVED the notice
  (handed over or e-mailed: usually the day it was sent; by post: the day it was signed for);
- the reply clock stops from the day after the notice is sent through the day of payment (the sending day
  still counts); counting resumes on the next working day, as after a consultation;
- while the fee is unpaid the reply date is unknown (None); the explanation says how many days remain;
- after the payment period, without payment, the office may end the application as 视为放弃 (annual report
  三(六)2 逾期未缴费); never on or before the last day to pay — the later of the day counted now and the one the
  收费通知书 (or a later mail after a calendar change) told the applicant in writing (`lapse_after`): a calendar
  import that moves the period earlier takes nothing away from what the letter promised.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
PAYMENT_WORKING_DAYS = 20  # 第六条


@dataclass
class OpenFee:
    """A 收费通知 while replaying: sent, received by the applicant, amount, and the payment once made."""

    sent: dt.date
    received: dt.date
    amount: int
    paid: dt.date | None = None
    receipt_number: str = ""
    lapsed_on: dt.date | None = None  # ended as 视为放弃 for non-payment
    told: dt.date | None = None  # the latest last day to pay the applicant was told in writing


@dataclass(frozen=True)
class FeeState:
    """A fee as the pages show it: the notice, the last day to pay, the payment, and the pause it made."""

    sent: dt.date
    received: dt.date
    amount: int
    payment_due: dt.date
    paid: dt.date | None = None
    receipt_number: str = ""
    paid_late: bool = False
    lapsed_on: dt.date | None = None
    first: dt.date | None = None  # first day not counted in the reply period
    last: dt.date | None = None  # last day not counted (the payment day); None while unpaid
    workdays: int | None = None  # working days the pause took (once paid)
    overdue: bool = False  # unpaid and the payment period is over (the later of counted and told)
    told: dt.date | None = None  # the latest last day to pay the applicant was told in writing
    lapse_after: dt.date | None = None  # 逾期未缴费 only after this day: max(told, payment_due)

    @property
    def awaiting(self) -> bool:
        """Neither paid nor ended."""
        return self.paid is None and self.lapsed_on is None


def payment_due(fee: OpenFee, calendar) -> dt.date:
    """The last day to pay: the 20th working day strictly after the applicant received the notice (第六条)."""
    return calendar.add_workdays(fee.received, PAYMENT_WORKING_DAYS).date


def lapse_after(fee: OpenFee, calendar) -> dt.date:
    """The day after which 逾期未缴费 may be recorded: the later of the last day to pay counted now and the one
    the applicant was told in writing (第六条; a calendar change never shortens what the notice promised)."""
    due = payment_due(fee, calendar)
    return max(due, fee.told) if fee.told else due


def check_notice(e, already: OpenFee | None) -> None:
    """One 收费通知 per application, with an amount to charge and a receipt day not before sending."""
    if already is not None:
        raise ValueError(f"已于 {already.sent} 发出收费通知，一件申请只能收费一次（第三条：不得重复计算）")
    if e.amount is None or e.amount < 1:
        raise ValueError("收费金额须大于0元：在免费范围内的，不发收费通知")
    if e.until is None:
        raise ValueError("请填写申请人收到收费通知的日期")
    if e.until < e.date:
        raise ValueError(f"申请人收到收费通知的日期 {e.until} 早于发出日期 {e.date}")


def check_payment(fee: OpenFee, e) -> None:
    """A payment follows the notice's receipt (the replay already refuses one without a notice)."""
    if e.date < fee.received:
        raise ValueError(f"缴费日期 {e.date} 早于申请人收到收费通知的日期 {fee.received}")


def check_lapse(fee: OpenFee, e, calendar) -> None:
    """视为放弃 for non-payment only once the payment period is over, as told in writing (第六条)."""
    after = lapse_after(fee, calendar)
    if e.date <= after:
        what = "已书面告知申请人的缴费期限" if after != payment_due(fee, calendar) else "缴费期限"
        raise ValueError(f"{what} {after} 尚未届满，不能于 {e.date} 认定逾期未缴费")


def derive_fee(fee: OpenFee, counter, today: dt.date) -> tuple[FeeState, str]:
    """The fee's last day to pay, the pause of the reply period, and its sentence in Chinese.

    `counter` counts working days and remembers estimated years (the deadline engine's derivation).
    """
    due = counter.add(fee.received, PAYMENT_WORKING_DAYS)
    after = max(due, fee.told) if fee.told else due
    first = fee.sent + ONE_DAY
    days = counter.between(fee.sent, fee.paid) if fee.paid is not None else None
    state = FeeState(fee.sent, fee.received, fee.amount, due, paid=fee.paid, receipt_number=fee.receipt_number,
                     paid_late=fee.paid is not None and fee.paid > due, lapsed_on=fee.lapsed_on, first=first,
                     last=fee.paid, workdays=days,
                     overdue=fee.paid is None and fee.lapsed_on is None and today > after, told=fee.told,
                     lapse_after=after)
    text = (f"{fee.sent} 发出收费通知（信息处理费 {fee.amount} 元），申请人于 {fee.received} 收到，"
            f"缴费期限至 {due}（收到之日次日起{PAYMENT_WORKING_DAYS}个工作日）")
    if fee.told is not None and fee.told != due:
        text += f"；已书面告知申请人的缴费期限为 {fee.told}，{after} 前不能认定逾期未缴费"
    if fee.paid is not None:
        late = f"，晚于缴费期限 {due}" if state.paid_late else ""
        text += (f"；{fee.paid} 缴费{late}。发出收费通知次日至缴费之日暂停计算答复期限，"
                 f"共 {days} 个工作日（收费管理办法第七条）")
    elif fee.lapsed_on is not None:
        text += "；逾期未缴费"
    else:
        text += f"；尚未缴费，自 {first} 起暂停计算答复期限（收费管理办法第七条）"
    return state, text
