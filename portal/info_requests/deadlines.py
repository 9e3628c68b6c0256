"""The deadline engine for 依申请公开: pure; ordered events, a calendar and today in, a DeadlineState out.

Conventions (DOMAIN.md; 条例 Art. 30–35):
- The receipt day is not counted: the reply is due on the 20th working day strictly after it.
- 补正 restarts the count from zero on the day the corrected application is received.
- A consultation pauses the clock from the day after the 征求意见书 is sent through the day the opinion
  arrives (or the consultation is closed); counting resumes on the next working day, so the working
  days inside the pause are added to the due date.
- Pauses and the extension share one budget of counted working days: the original due date is the
  20th counted working day after the clock start, paused days skipped; an extension of E days counts
  on from that original due date (after pauses were added), again skipping any pause inside the
  extension. A pause that starts after the budget is used up moves nothing.
- The consulted party has 15 working days from the day it received the 征求意见书 (Art. 32/34); once
  that day is recorded, a pause never runs past the party's limit: counting resumes the day after it,
  whether or not the consultation was closed (another office's silence is consent, Art. 34; a third
  party's leaves the decision to the office, Art. 32). An opinion that arrives later moves nothing.
- While a consultation is open without a recorded receipt day and the budget is not used up, the due
  date is unknown (None); the explanation says how many working days remain. With the receipt day
  recorded the due date is known at the latest (`due_at_latest`): the pause may end sooner, never later.
- A consultation still open with no receipt day recorded 5 working days after sending is flagged.
- An Art. 35 delay sets the due date to the date given; later pauses do not move it, but while a fee is
  unpaid the due date is unknown (None), delayed or not.
- A 收费通知 pauses the clock like a consultation, from the day after it is sent through the day of payment
  (收费管理办法第七条; fee_periods.py); unpaid, the due date is unknown. The applicant pays within 20
  working days after receiving it (第六条); only after that — and after the last day to pay the notice (or a
  later mail) told the applicant, `Event.told` — may the office end it for non-payment.
- A date that depended on a year the calendar does not hold is provisional; those years are named, and
  `DeadlineState.estimated` says which dates they are (the reply date and the 补正 deadline can be
  estimates independently; a date staff gave, such as an Art. 35 date, never is).
- 视为放弃 only after the latest 补正 deadline the applicant was told in writing (the 补正告知书, any later
  mail, `Event.told`) and the one computed now: a calendar import that moves it earlier takes nothing away.
- Late acts are flagged, never absorbed: an extension (Art. 33) or an Art. 35 delay decided after the limit
  then running does not move the statutory limit (`lawful_due_date`) a reply is judged against; a
  confirmation later than the day the application arrived (Art. 31(二)(三)) is flagged; a late 补正告知书
  keeps the first limit (`first_due_date`, 20 working days from the receipt) beside the restarted one.
- Which events may be recorded today (`DeadlineState.allowed`) is answered here too, so staff pages ask
  the engine rather than repeat its rules.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..calendar.workdays import WorkCalendar, describe_missing
from .consultations import Pause, derive_pause, public_pause_sentence
from .events import ALLOWED, Event, EventKind, Facts, Status, abandon_after, correction_due, replay
from .fee_periods import FeeState, derive_fee, lapse_after

REPLY_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
ONE_DAY = dt.timedelta(days=1)

__all__ = ["DeadlineState", "Delay", "Event", "Extension", "Pause", "Status", "allowed_kinds", "compute_deadline"]


@dataclass(frozen=True)
class Extension:
    """The one Art. 33 extension, counted on from the original due date."""

    decided: dt.date
    workdays: int
    reason: str
    due: dt.date | None
    late: bool


@dataclass(frozen=True)
class Delay:
    """An Art. 35 later reply date."""

    decided: dt.date
    until: dt.date
    reason: str
    late: bool = False  # decided after the limit then running: it does not excuse a late reply


@dataclass(frozen=True)
class DeadlineState:
    """Everything shown about an application's time limits, with the reasoning behind each date."""

    state: Status
    receipt_date: dt.date | None = None
    clock_start: dt.date | None = None
    due_date: dt.date | None = None
    original_due_date: dt.date | None = None
    correction_notice_due: dt.date | None = None
    correction_notice_late: bool = False
    correction_due: dt.date | None = None
    paused_days: tuple[Pause, ...] = ()
    remaining_when_paused: int | None = None
    extension: Extension | None = None
    delay: Delay | None = None
    working_days_left: int | None = None
    overdue: bool = False
    replied_on: dt.date | None = None
    outcome: str = ""
    replied_late: bool | None = None
    due_at_latest: bool = False  # an open consultation may still end before its party's limit
    fee: FeeState | None = None  # the 信息处理费, once a 收费通知 was sent
    missing_years: tuple[int, ...] = ()
    explanation: tuple[str, ...] = ()  # for staff: every line
    public_explanation: tuple[str, ...] = ()  # for the applicant's tracking page: no staff-typed reason, no staff
    #                                           instruction, no consulted party's opinion or the office's decision
    allowed: frozenset[EventKind] = frozenset()  # the kinds of event that may be recorded today
    # Which dates are estimates: name ("due_date", "correction_due", "payment_due", "party_due:第三方" …) → the years estimated.
    estimated: dict[str, tuple[int, ...]] = field(default_factory=dict)
    arrived_on: dt.date | None = None  # an online/fax/plain-letter application: the day it arrived
    confirmation_late: bool = False  # confirmed after the day it arrived (Art. 31(二)(三))
    first_due_date: dt.date | None = None  # a late 补正告知书: the limit counted from the receipt, kept visible
    lawful_due_date: dt.date | None = None  # the limit a reply is judged against (late extensions/delays ignored)
    correction_told: dt.date | None = None  # the latest 补正 deadline the applicant was told in writing
    abandon_after: dt.date | None = None  # 视为放弃 only after this day (the latest told or computed deadline)
    correction_sent_on: dt.date | None = None  # a correction sent online (corrections.py); waits while 待补正
    correction_sent_late: bool = False  # sent after abandon_after: staff decide (视为放弃, or accept with a reason)
    corrected_on: dt.date | None = None  # the corrected application arrived: the 补正期限 is spent, the count restarted

    @property
    def provisional(self) -> bool:
        """True when any date here depended on a year whose schedule is not loaded."""
        return bool(self.missing_years)

    def is_estimated(self, name: str) -> bool:
        """Whether the named date (a field name, or "party_due:<party>") rests on an estimated year."""
        return name in self.estimated

    @property
    def provisional_dates(self) -> frozenset[str]:
        """The names of the dates that are estimates."""
        return frozenset(self.estimated)


def compute_deadline(events: Sequence[Event], calendar: WorkCalendar, today: dt.date) -> DeadlineState:
    """Replay the events (ValueError in Chinese if the sequence is impossible) and derive every date."""
    return _Derivation(replay(events, calendar, today), calendar, today).run()


def allowed_kinds(facts: Facts, calendar: WorkCalendar, today: dt.date) -> frozenset[EventKind]:
    """The kinds of event the replay would accept today after these facts.

    The state's transitions, less what the law allows once (补正, Art. 30; the extension, Art. 33), and
    视为放弃 only once the correction period is over (Art. 30). An event's own values (a date, a period,
    a reason) are still checked when it is recorded.
    """
    kinds = {kind for kind, states in ALLOWED.items() if facts.status in states}
    if facts.correction is not None:
        kinds.discard(EventKind.CORRECTION_REQUESTED)
    if facts.extension is not None:
        kinds.discard(EventKind.EXTENSION_APPROVED)
    if EventKind.ABANDONED in kinds and today <= abandon_after(facts.correction, calendar):
        kinds.discard(EventKind.ABANDONED)
    if facts.correction_sent is not None:
        kinds.discard(EventKind.CORRECTION_SUBMITTED)
        if not facts.correction_sent_late:
            kinds.discard(EventKind.ABANDONED)
    if all(p.delivered is not None for p in facts.open_pauses()):
        kinds.discard(EventKind.CONSULTATION_DELIVERED)
    if facts.fee is not None:
        kinds.discard(EventKind.FEE_NOTIFIED)
        if today <= lapse_after(facts.fee, calendar):
            kinds.discard(EventKind.FEE_UNPAID)
    return frozenset(kinds)


class _Derivation:
    """Turns replayed facts into dates and Chinese sentences; collects estimated years on the way."""

    def __init__(self, facts: Facts, calendar: WorkCalendar, today: dt.date):
        """Start with no dates, no sentences and no estimated years."""
        self.f, self.cal, self.today = facts, calendar, today
        self.missing: set[int] = set()
        self.lines: list[str] = []
        self.public: dict[int, str | None] = {}  # line index → the applicant's version (None: staff only)
        self.values: dict = {}
        self.estimated: dict[str, tuple[int, ...]] = {}

    def staff_line(self, text: str, public: str | None = None) -> None:
        """A line for staff; the applicant's page shows `public` in its place (nothing when None)."""
        self.public[len(self.lines)] = public
        self.lines.append(text)

    def public_lines(self) -> tuple[str, ...]:
        """The lines for the applicant: every line, with the staff-only ones replaced or left out."""
        shown = (self.public[i] if i in self.public else line for i, line in enumerate(self.lines))
        return tuple(line for line in shown if line)

    def add(self, start: dt.date, n: int, skip=()) -> dt.date:
        """n-th working day after start, remembering any estimated year."""
        result = self.cal.add_workdays(start, n, skip)
        self.missing.update(result.missing_years)
        return result.date

    def mark(self, name: str, start: dt.date, end: dt.date | None) -> None:
        """Note that the named date, counted from start, is an estimate if a year on the way is not held."""
        years = self.cal.estimated_years(start, end) if end is not None else ()
        if years:
            self.estimated[name] = years
        else:
            self.estimated.pop(name, None)

    def between(self, a: dt.date, b: dt.date, skip=()) -> int:
        """Working days in (a, b], remembering any estimated year."""
        result = self.cal.workdays_between(a, b, skip)
        self.missing.update(result.missing_years)
        return result.count

    def run(self) -> DeadlineState:
        """Derive in the order the law does: receipt, 补正, count, pauses, extension, delay, today."""
        f = self.f
        self.receipt()
        if f.receipt is not None:
            self.correction()
            if f.clock_start is not None:
                self.count()
        self.closing()
        if self.missing:
            self.lines.append(describe_missing(self.missing))
        return DeadlineState(state=f.status, receipt_date=f.receipt, clock_start=f.clock_start,
                             missing_years=tuple(sorted(self.missing)), explanation=tuple(self.lines),
                             public_explanation=self.public_lines(),
                             allowed=allowed_kinds(f, self.cal, self.today), estimated=dict(self.estimated),
                             **self.values)

    def receipt(self) -> None:
        """Art. 31: which day is the receipt date."""
        f = self.f
        # Passed on before confirmation (签收/退回): it arrived at the office that confirms it the day it was passed.
        arrived = f.passed[-1].date if f.passed else f.submitted.date if f.submitted is not None else None
        if arrived is not None:
            self.values["arrived_on"] = arrived
        if f.receipt is None:
            if f.submitted is not None:
                self.lines.append(f"{f.submitted.channel}提交于 {f.submitted.date}，待与申请人确认；"
                                  "确认之日为收到申请之日，答复期限自次日起算")
            self.passed_lines()
            return
        self.passed_lines()
        how = {EventKind.RECEIVED: "当面提交，以提交之日为收到申请之日",
               EventKind.CONFIRMED: "经与申请人确认，以确认之日为收到申请之日"}[f.receipt_event.kind]
        if f.receipt_event.channel == "邮寄":
            how = "邮寄提交，以签收之日为收到申请之日"
        elif f.receipt_event.kind == EventKind.CONFIRMED:
            how = f"{f.receipt_event.channel}提交，" + how
        self.lines.append(f"{how}：收到申请日期 {f.receipt}（当日不计）")
        if arrived is not None and f.receipt_event.kind == EventKind.CONFIRMED and f.receipt > arrived:
            self.values["confirmation_late"] = True
            why = f.receipt_event.reason.strip()
            self.staff_line(f"申请于 {arrived} 到达，{f.receipt} 才与申请人确认，晚于到达之日"
                            f"（{'原因：' + why if why else '未记录原因'}）",
                            public=f"申请于 {arrived} 到达，{f.receipt} 与您确认")

    def passed_lines(self) -> None:
        """签收/退回: each office the application was passed to before it was confirmed."""
        for p in self.f.passed:
            self.lines.append(f"{p.date} 转至{p.party}办理（尚未确认收到，由该机关与申请人确认）")

    def correction(self) -> None:
        """Art. 30: the 7-day notice window, the applicant's period, and the restart."""
        f = self.f
        notice_due = self.add(f.receipt, CORRECTION_NOTICE_DAYS)
        self.values["correction_notice_due"] = notice_due
        self.mark("correction_notice_due", f.receipt, notice_due)
        if f.correction is None:
            return
        req = f.correction
        late = req.date > notice_due
        self.values["correction_notice_late"] = late
        self.lines.append(f"{req.date} 发出补正告知书（应于收到申请后7个工作日内、即 {notice_due} 前告知"
                          f"{'，已逾期' if late else ''}）")
        if late:
            first = self.add(f.receipt, REPLY_DAYS)
            self.values["first_due_date"] = first
            self.mark("first_due_date", f.receipt, first)
            self.lines.append(f"补正告知逾期：原答复期限 {first}（自收到申请次日起第{REPLY_DAYS}个工作日）一并列明，"
                              "不因逾期告知而消失")
        due = req.until if req.until else self.add(req.date, req.workdays)
        self.values["correction_due"] = due
        if not req.until:
            self.mark("correction_due", req.date, due)
        period = "（补正告知书指定的日期）" if req.until else f"（告知之日起 {req.workdays} 个工作日）"
        self.lines.append(f"补正期限至 {due}{period}")
        after = max(due, req.told or due)
        self.values.update(correction_told=req.told, abandon_after=after)
        if req.told is not None and req.told != due:
            self.lines.append(f"已书面告知申请人的补正期限为 {req.told}；{after} 前不能视为放弃申请")
        if f.correction_sent is not None:
            self.values.update(correction_sent_on=f.correction_sent, correction_sent_late=f.correction_sent_late)
            self.lines.append(f"{f.correction_sent} 申请人通过门户在线提交补正"
                              + (f"（晚于补正期限 {after}）" if f.correction_sent_late else "（在补正期限内）")
                              + "；以双方确认之日为收到补正之日（第三十一条第（三）项）")
        if f.corrected_on is not None:
            self.values["corrected_on"] = f.corrected_on
            self.lines.append(f"{f.corrected_on} {'确认' if f.correction_sent else ''}收到补正后的申请，"
                              "答复期限自当日重新起算（当日不计）"
                              + ("；补正晚于补正期限" if (f.correction_sent_late if f.correction_sent else f.corrected_on > due)
                                 else ""))

    def count(self) -> None:
        """Art. 33: 20 working days, pauses skipped, then the extension and any Art. 35 delay."""
        f = self.f
        start = f.clock_start
        base = self.add(start, REPLY_DAYS)
        self.lines.append(f"自 {start + ONE_DAY} 起算第{REPLY_DAYS}个工作日为 {base}")
        pauses = self.pauses()
        closed = [(p.first, p.last) for p in pauses if p.last is not None]
        open_first = min((p.first for p in pauses if p.last is None), default=None)
        fee = self.fee()
        if fee is not None and fee.last is not None:
            closed.append((fee.first, fee.last))
        elif fee is not None and fee.lapsed_on is None:
            open_first = min(fee.first, open_first or fee.first)
        running = [p for p in pauses if p.is_open and p.last is not None and not p.lapsed]
        budget = REPLY_DAYS + (f.extension.workdays if f.extension else 0)

        def due_after(n: int) -> dt.date | None:
            day = self.add(start, n, closed)
            return None if open_first is not None and day >= open_first else day

        original = due_after(REPLY_DAYS)
        self.values["original_due_date"] = original
        self.mark("original_due_date", start, original)
        if (pauses or fee) and original is not None:
            if original != base:
                self.lines.append(f"扣除暂停计算的 {self.between(start, original) - REPLY_DAYS} 个工作日，"
                                  f"原答复期限顺延至 {original}")
            else:
                self.lines.append(f"暂停期间不占用答复期限内的工作日，原答复期限仍为 {original}")
        due = original
        if f.extension is not None:
            due = self.extension(original, due_after(budget))
            self.mark("extension_due", start, due)
        lawful = original if f.extension is not None and self.values["extension"].late else due
        if due is not None and any(p.first <= due for p in running):
            self.values["due_at_latest"] = True
            self.lines.append(f"征求意见尚未结束：按对方意见期限届满计算，答复期限最迟为 {due}；"
                              "提前收到意见的，答复期限相应提前")
        if open_first is not None and due is None:
            used = self.between(start, open_first - ONE_DAY, closed)
            self.values["remaining_when_paused"] = budget - used
            if fee is not None and fee.awaiting:
                self.lines.append(f"等待缴费期间暂停计算：暂停前已计 {used} 个工作日，尚余 {budget - used} 个工作日，"
                                  "缴费后的次一工作日起继续计算")
            else:
                self.lines.append(f"征求意见期间暂停计算：暂停前已计 {used} 个工作日，尚余 {budget - used} 个工作日，"
                                  "收到意见后的次一工作日起继续计算")
        self.mark("due_date", start, due)
        self.mark("lawful_due_date", start, lawful)
        statutory = due
        for delay in f.delays:
            if statutory is not None and delay.until <= statutory:
                raise ValueError(f"依条例第三十五条延迟答复的日期（{delay.until}）须晚于法定答复期限 {statutory}；"
                                 "在法定期限内答复无需延迟")
            late = lawful is not None and delay.date > lawful
            self.values["delay"] = Delay(delay.date, delay.until, delay.reason, late)
            self.lines.append(f"依条例第三十五条确定延迟答复期限为 {delay.until}"
                              f"（{delay.date} 决定，理由：{delay.reason}）")
            if late:
                self.lines.append(f"延迟答复决定晚于当时的答复期限 {lawful} 作出，属逾期决定，不改变法定答复期限")
            else:
                lawful = delay.until
                self.estimated.pop("lawful_due_date", None)
            due = delay.until
            self.estimated.pop("due_date", None)  # a date the office set, not counted
        if f.delays and fee is not None and fee.awaiting:
            due = None  # 收费管理办法第七条: while the fee is unpaid the reply date is unknown, delayed or not
            self.lines.append("等待缴费期间暂停计算：延迟答复期限待申请人缴费后继续计算")
        self.values["due_date"] = due
        self.values["lawful_due_date"] = lawful

    def pauses(self) -> list[Pause]:
        """Art. 32/34: each consultation, with the working days it paused, capped at the party's limit."""
        result = []
        for p in self.f.pauses:
            pause, sentence = derive_pause(p, self, self.today)
            result.append(pause)
            if pause.delivered is not None:
                self.mark(f"party_due:{pause.party}", pause.delivered, pause.party_due)
            self.staff_line(sentence, public=public_pause_sentence(pause))
        self.values["paused_days"] = tuple(result)
        return result

    def fee(self) -> FeeState | None:
        """收费管理办法第六条、第七条: the payment period and the pause from the notice to the payment."""
        if self.f.fee is None:
            return None
        state, sentence = derive_fee(self.f.fee, self, self.today)
        self.values["fee"] = state
        self.mark("payment_due", state.received, state.payment_due)
        self.lines.append(sentence)
        return state

    def extension(self, original: dt.date | None, extended: dt.date | None) -> dt.date | None:
        """Art. 33: one extension counted on from the original due date; late if decided after it."""
        ext = self.f.extension
        late = original is not None and ext.date > original
        self.values["extension"] = Extension(ext.date, ext.workdays, ext.reason, extended, late)
        head = f"经负责人批准延长 {ext.workdays} 个工作日（{ext.date} 决定，理由：{ext.reason or '未填写'}）"
        if original is None:
            self.lines.append(head + "，原答复期限待征求意见结束后确定")
        else:
            self.lines.append(head + f"，自原答复期限 {original} 起算至 {extended}")
        if late:
            self.lines.append(f"延期决定晚于原答复期限 {original} 作出，属逾期延期")
        return extended

    def closing(self) -> None:
        """The end of the story, or where today stands against the due date."""
        f, v, today = self.f, self.values, self.today
        due = v.get("due_date")
        end = f.end
        if end is not None and end.kind == EventKind.REPLIED:
            lawful = v.get("lawful_due_date") or due
            v.update(replied_on=end.date, outcome=end.outcome,
                     replied_late=None if lawful is None else end.date > lawful)
            if lawful is None:
                verdict = ""
            elif due is not None and end.date > due:
                verdict = f"，超过答复期限 {due}，属逾期答复"
            elif end.date > lawful:
                verdict = f"，超过法定答复期限 {lawful}，属逾期答复（逾期作出的延期或延迟决定不改变法定期限）"
            else:
                verdict = "，在答复期限内"
            self.lines.append(f"{end.date} 作出答复（{end.outcome or '未注明结果'}）{verdict}")
        elif end is not None and end.kind == EventKind.WITHDRAWN:
            self.lines.append(f"{end.date} 申请人撤回申请" + (f"（{end.reason}）" if end.reason else ""))
        elif end is not None and end.kind == EventKind.FEE_UNPAID:
            self.lines.append(f"缴费期限 {v['fee'].lapse_after} 届满未缴费，{end.date} 视为放弃申请"
                              "（收费管理办法第六条）")
        elif end is not None:
            self.lines.append(f"补正期限 {v['correction_due']} 届满未补正，{end.date} 视为放弃申请")
        elif f.status == Status.AWAITING_CORRECTION and f.correction_sent is not None:
            self.lines.append("等待工作人员确认在线提交的补正，确认之日起重新计算答复期限"
                              + ("；补正逾期提交，由本机关决定是否接受" if f.correction_sent_late else ""))
        elif f.status == Status.AWAITING_CORRECTION:
            self.lines.append(f"等待申请人补正，补正期限至 {v['correction_due']}")
            if today > v["abandon_after"]:
                self.lines.append("补正期限已过：申请人无正当理由逾期不补正的，视为放弃申请")
        elif f.status == Status.AWAITING_PAYMENT:
            self.lines.append(f"等待申请人缴纳信息处理费，缴费期限至 {v['fee'].lapse_after}")
            if today > v["fee"].lapse_after:
                self.lines.append("缴费期限已过：申请人逾期未缴纳的，视为放弃申请")
        elif due is not None and v.get("due_at_latest"):
            self.lines.append(f"截至 {today} 征求意见尚未结束，暂停计算，不计剩余工作日")
        elif due is not None:
            left = self.between(today, due)
            v.update(working_days_left=left, overdue=today > due)
            if today > due:
                self.lines.append(f"截至 {today} 已超过答复期限 {due}，逾期 {-left} 个工作日")
            elif today == due:
                self.lines.append(f"今天（{today}）是答复期限的最后一天")
            else:
                self.lines.append(f"截至 {today} 距答复期限 {due} 还有 {left} 个工作日")
