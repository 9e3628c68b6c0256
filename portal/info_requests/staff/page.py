"""What an application's staff page shows: masked applicant data, the actions its state allows, the timeline."""
from dataclasses import dataclass
from datetime import date, timedelta

from ...core.masking import mask_address, mask_email, mask_id, mask_name, mask_phone
from ...models import HEAD, Applicant, InfoRequest, RequestEvent, User
from ..consultations import CONSULTED_DAYS, DELIVERY_CHECK_DAYS, Pause, silence_rule
from ..deadlines import DeadlineState
from ..events import LABELS, EventKind
from ..records import told_date
from ..redating import redatings
from ..releases import timeline_rows


@dataclass(frozen=True)
class Action:
    """An action on the page: the engine event it records, its texts, its view, and who may take it."""

    kind: EventKind
    heading: str
    button: str
    endpoint: str
    head_only: bool = False


ACTIONS = {
    "confirm": Action(EventKind.CONFIRMED, "确认收到申请", "确认收到并生成回执", "admin.requests.confirm_request"),
    "correction": Action(EventKind.CORRECTION_REQUESTED, "要求补正", "发出补正告知书", "admin.requests.request_correction"),
    "corrected": Action(EventKind.CORRECTED_RECEIVED, "登记收到补正", "登记收到补正", "admin.requests.record_correction"),
    "consult": Action(EventKind.CONSULTATION_STARTED, "征求意见", "生成征求意见书", "admin.requests.start_consultation"),
    "deliver": Action(EventKind.CONSULTATION_DELIVERED, "登记对方收到征求意见书", "登记收到日期",
                      "admin.requests.record_delivery"),
    "close": Action(EventKind.CONSULTATION_CLOSED, "结束征求意见", "结束征求意见", "admin.requests.close_consultation"),
    "extend": Action(EventKind.EXTENSION_APPROVED, "延长答复期限（负责人批准）", "批准延期并生成告知书",
                     "admin.requests.approve_extension", head_only=True),
    "delay": Action(EventKind.DELAY_SET, "确定延迟答复期限（第三十五条，负责人）", "确定延迟答复期限并生成告知书",
                    "admin.requests.set_delay", head_only=True),
    "reply": Action(EventKind.REPLIED, "答复", "作出答复并生成答复书", "admin.requests.reply_request"),
    "withdraw": Action(EventKind.WITHDRAWN, "登记撤回申请", "登记撤回", "admin.requests.withdraw_request"),
    "abandon": Action(EventKind.ABANDONED, "视为放弃申请", "登记视为放弃并生成告知书", "admin.requests.mark_abandoned"),
}


def applicant_rows(applicant: Applicant, *, reveal: bool) -> list[tuple[str, str]]:
    """The applicant's data as (label, value) rows, masked unless revealed."""
    show = (lambda value, mask: value) if reveal else (lambda value, mask: mask(value) if value else "")
    rows = [("姓名或名称", show(applicant.name, mask_name))]
    if applicant.uscc:
        rows += [("统一社会信用代码", show(applicant.uscc, mask_id)),
                 ("法定代表人", show(applicant.legal_representative, mask_name)),
                 ("联系人", show(applicant.contact_person, mask_name))]
    else:
        rows += [("证件类型", applicant.id_type), ("证件号码", show(applicant.id_number, mask_id))]
    rows += [("代理人", show(applicant.agent_name, mask_name))]
    rows += [("联系电话", show(applicant.phone, mask_phone)), ("电子邮箱", show(applicant.email, mask_email)),
             ("通信地址", show(applicant.address, mask_address)), ("邮政编码", applicant.postcode)]
    return [(label, value) for label, value in rows if value]


def allowed_actions(deadline: DeadlineState) -> list[str]:
    """The actions whose event the engine would accept today (it still checks each form's values on submit).

    A correction sent online is confirmed on its own panel (staff.correction), not as a paper one."""
    online = deadline.correction_sent_on is not None
    return [name for name, action in ACTIONS.items()
            if action.kind in deadline.allowed and not (online and name == "corrected")]


def may_take(user: User, action: str) -> bool:
    """Whether this user may take the action (extension and Art. 35 delay need a 负责人)."""
    return not ACTIONS[action].head_only or user.has_role(HEAD)


def open_parties(deadline: DeadlineState, undelivered: bool = False) -> list[str]:
    """Consultations not yet closed (or only those with no receipt day recorded), by the name they go by."""
    return [p.party for p in deadline.paused_days if p.is_open and not (undelivered and p.delivered)]


ONE_DAY = timedelta(days=1)


def consultation_note(p: Pause) -> str:
    """Where a consultation stands, for staff: what its party's silence means (Art. 32 / Art. 34)."""
    silence = silence_rule(p.third_party)
    if not p.is_open:
        parts = [f"{p.closed_on} {p.how}", f"意见：{p.opinion}" if p.opinion else "", p.decision]
        return "，".join(x for x in parts if x) + (f"，{p.disclose_on} 起公开" if p.disclose_on else "")
    if p.delivered is None:
        text = f"请登记对方收到征求意见书的日期，意见期限自次日起算{CONSULTED_DAYS}个工作日"
        return (f"发出已超过{DELIVERY_CHECK_DAYS}个工作日仍未登记收到日期，请核实送达情况。{text}"
                if p.delivery_overdue else text)
    if p.lapsed:
        then = "请结束征求意见并记录决定" if p.third_party else "请结束征求意见（逾期未提出意见）"
        return (f"意见期限已届满，未收到意见：自 {p.last + ONE_DAY} 起恢复计算答复期限。{silence}。{then}")
    return f"等待意见，暂停计算最迟至 {p.party_due}；{silence}"


@dataclass(frozen=True)
class TimelineItem:
    """One row of the timeline."""

    date: date
    label: str
    details: str
    actor: str
    recorded_at: object


def event_details(row: RequestEvent) -> str:
    """What an event carried, in words."""
    parts = []
    if row.channel:
        parts.append(f"方式：{row.channel}")
    if row.kind == EventKind.CORRECTION_REQUESTED:
        parts.append(f"补正期限：{row.until}" if row.until else f"补正期限：{row.workdays} 个工作日")
    elif row.workdays:
        parts.append(f"{row.workdays} 个工作日")
    if row.until and row.kind != EventKind.CORRECTION_REQUESTED:
        parts.append(f"至 {row.until}")
    if row.party:
        parts.append(f"对象：{row.party}")
    if row.outcome:
        parts.append(f"结果：{row.outcome}" + (f"（{row.ground}）" if row.ground else ""))
    if row.opinion:
        parts.append(f"意见：{row.opinion}" + (f"；决定：{row.decision}" if row.decision else ""))
    if row.reason:
        parts.append(f"{'送达方式' if row.kind == EventKind.CONSULTATION_DELIVERED else '理由'}：{row.reason}")
    if row.note:
        parts.append(row.note)
    return "；".join(parts)


REDATED_LABEL = "因节假日安排调整重新计算"


def timeline(info_request: InfoRequest) -> list[TimelineItem]:
    """The events, the re-datings after calendar changes (audit rows, not events), and the downloads and
    handovers of released information, in the order recorded."""
    events = [TimelineItem(row.date, LABELS[EventKind(row.kind)], event_details(row), row.actor, row.recorded_at)
              for row in info_request.events]
    moves = [TimelineItem(r.on, REDATED_LABEL, r.details, r.actor, r.at) for r in redatings(info_request.id)]
    released = [TimelineItem(*row) for row in timeline_rows(info_request)]
    return sorted(events + moves + released, key=lambda item: item.recorded_at)


def days_left_text(info_request: InfoRequest, left: int | None) -> str:
    """Working days left as the queue and page show it."""
    if info_request.state == "待补正":
        return "等待补正"
    if info_request.state == "待缴费":
        until = told_date(info_request, EventKind.FEE_NOTIFIED, info_request.fee_due)  # the date the notice gave
        estimate = "，暂定" if info_request.fee_provisional and until == info_request.fee_due else ""
        return f"等待缴费（缴费期限 {until.isoformat()}{estimate}）" if until else "等待缴费"
    if left is None:
        if info_request.state == "征求意见中" and info_request.due_date:
            return f"暂停计算（最迟 {info_request.due_date.isoformat()}）"
        return "暂停计算" if info_request.state == "征求意见中" else "—"
    if left > 0:
        return f"{left} 个工作日"
    return "今天到期" if left == 0 else f"已逾期 {-left} 个工作日"
