"""依申请公开办理: the counts for 经办人/负责人 and the queue, filtered and sorted by plain GET parameters."""
from dataclasses import dataclass, replace
from datetime import date

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import case, exists, func, or_, select
from werkzeug.datastructures import MultiDict

from ...accounts.auth import require_roles
from ...calendar.store import load_calendar
from ...calendar.workdays import WorkCalendar
from ...core.clock import office_today
from ...core.paging import page_number
from ...core.rendering import render
from ...extensions import db
from ...models import HANDLER, HEAD, InfoRequest, RequestEvent, User
from ...offices.scoping import members_condition, mine
from ..events import Channel, EventKind, Status
from ..correction_online import waiting_condition
from ..withdrawal import RECENT_DAYS, withdrawn_online_condition
from . import bp
from .rows import CLOCK_STATES, SOON_WORKDAYS, consultation_text, queue_rows, soon_limit

PER_PAGE = 50
OPEN = "open"
ALL = "all"
ONLINE_WITHDRAWN = "online_withdrawn"  # not a state: 已撤回 by the applicant on the portal, recently
ONLINE_WITHDRAWN_LABEL = f"申请人在线撤回（近{RECENT_DAYS}日）"
CORRECTION_SENT = "correction_sent"  # not a state: 待补正 with a correction sent online, waiting for confirmation
CORRECTION_SENT_LABEL = "在线补正待确认"
STATE_CHOICES = [(OPEN, "全部在办"), *[(s.value, s.value) for s in Status], (CORRECTION_SENT, CORRECTION_SENT_LABEL),
                 (ONLINE_WITHDRAWN, ONLINE_WITHDRAWN_LABEL), (ALL, "全部（含已办结）")]
DUE_CHOICES = [("", "不限"), ("soon", f"即将到期（{SOON_WORKDAYS}个工作日内）"), ("overdue", "已逾期"),
               ("consult_soon", f"征求意见期限即将届满（{SOON_WORKDAYS}个工作日内）"),
               ("consult_over", "征求意见期限已届满"), ("unconfirmed", "征求意见书送达待核实"),
               ("fee_over", "缴费期限已过（待缴费）"),
               ("provisional", "期限为暂定（节假日安排尚未载入）"), ("replied_late", "逾期答复（含已办结）")]
CHANNEL_CHOICES = [("", "不限"), *[(c.value, c.value) for c in Channel]]
SORTS = {"due": InfoRequest.due_date, "receipt": InfoRequest.receipt_date,
         "number": InfoRequest.tracking_number, "state": InfoRequest.state}
SORT_LABELS = {"due": "答复期限", "receipt": "收到日期", "number": "申请编号", "state": "状态"}
OPEN_STATES = [s.value for s in Status if s not in (Status.REPLIED, Status.WITHDRAWN, Status.ABANDONED)]


def due_condition(kind: str, today: date, calendar: WorkCalendar):
    """SQL for 即将到期 (today … 3 working days on) or 已逾期 (before today), among applications being handled;
    for an open consultation the same about its party's limit, or a receipt day still unknown (Art. 32/34);
    open applications with a date shown as 暂定; replies flagged 逾期答复 (judged against the statutory limit)."""
    running = InfoRequest.state.in_(CLOCK_STATES)
    consulting = InfoRequest.state == Status.CONSULTING.value
    if kind == "consult_soon":
        return consulting & InfoRequest.consultation_due.between(today, soon_limit(today, calendar))
    if kind == "consult_over":
        return consulting & (InfoRequest.consultation_due < today)
    if kind == "unconfirmed":
        return consulting & (InfoRequest.delivery_check_due < today)
    if kind == "fee_over":  # 收费管理办法第六条: unpaid past the 20 working days (and the day told), may be ended
        told_later = exists().where(RequestEvent.info_request_id == InfoRequest.id,
                                    RequestEvent.kind == EventKind.FEE_NOTIFIED.value, RequestEvent.told >= today)
        return (InfoRequest.state == Status.AWAITING_PAYMENT.value) & (InfoRequest.fee_due < today) & ~told_later
    if kind == "provisional":  # a date shown as 暂定: counted over a year the calendar does not hold
        return InfoRequest.state.in_(OPEN_STATES) & or_(
            InfoRequest.due_provisional, InfoRequest.correction_provisional, InfoRequest.consultation_provisional,
            InfoRequest.fee_provisional)
    if kind == "replied_late":
        return InfoRequest.replied_late.is_(True)
    if kind == "soon":
        return running & InfoRequest.due_date.between(today, soon_limit(today, calendar))
    return running & (InfoRequest.due_date < today)


def queue_counts(today: date, calendar: WorkCalendar) -> list[tuple[str, int, dict]]:
    """(label, count, queue parameters) for each tile of the dashboard."""
    by_state = dict(db.session.execute(
        select(InfoRequest.state, func.count()).where(mine(InfoRequest), InfoRequest.state.in_(OPEN_STATES))
        .group_by(InfoRequest.state)
    ).all())
    tiles = [(s.value, by_state.get(s.value, 0), {"state": s.value}) for s in (
        Status.AWAITING_CONFIRMATION, Status.IN_PROGRESS, Status.EXTENDED, Status.AWAITING_CORRECTION,
        Status.CONSULTING, Status.AWAITING_PAYMENT)]
    for kind, label in (("soon", "即将到期"), ("overdue", "已逾期"), ("fee_over", "缴费期限已过"),
                        ("provisional", "期限暂定")):
        count = db.session.scalar(select(func.count()).select_from(InfoRequest)
                                  .where(mine(InfoRequest), due_condition(kind, today, calendar)))
        tiles.append((label, count, {"due": kind}))
    withdrawn = db.session.scalar(select(func.count()).select_from(InfoRequest)
                                 .where(mine(InfoRequest), withdrawn_online_condition(today)))
    tiles.append((ONLINE_WITHDRAWN_LABEL, withdrawn, {"state": ONLINE_WITHDRAWN}))
    sent = db.session.scalar(select(func.count()).select_from(InfoRequest).where(mine(InfoRequest), waiting_condition()))
    tiles.append((CORRECTION_SENT_LABEL, sent, {"state": CORRECTION_SENT}))
    return tiles


@bp.app_context_processor
def inject_request_counts():
    """The 工作台 shows the counts to 经办人 and 负责人 (computed only when the template asks)."""
    def request_counts():
        """The tiles, or nothing for staff who do not handle applications."""
        if not (current_user.is_authenticated and current_user.has_role(HANDLER, HEAD)):
            return []
        return queue_counts(office_today(), load_calendar())

    def consultation_reminders():
        """Open consultations whose party's limit has passed, or whose receipt day is still unknown."""
        if not (current_user.is_authenticated and current_user.has_role(HANDLER, HEAD)):
            return []
        return reminders(office_today())

    return {"request_counts": request_counts, "consultation_reminders": consultation_reminders}


def reminders(today: date) -> list[tuple[InfoRequest, str]]:
    """(application, what to do) for the 工作台: a consulted party's limit passed, or delivery unconfirmed."""
    rows = db.session.scalars(select(InfoRequest).where(
        mine(InfoRequest), InfoRequest.state == Status.CONSULTING.value,
        (InfoRequest.consultation_due < today) | (InfoRequest.delivery_check_due < today),
    ).order_by(InfoRequest.consultation_due.asc().nulls_last(), InfoRequest.id).limit(PER_PAGE)).all()
    return [(r, consultation_text(r, today)) for r in rows]


@dataclass(frozen=True)
class QueueQuery:
    """The queue's filters and order, read from (and written back to) GET parameters."""

    state: str = OPEN
    due: str = ""
    channel: str = ""
    handler: str = ""
    sort: str = "due"
    order: str = "asc"
    page: int = 1

    @classmethod
    def from_args(cls, args: MultiDict, handler_ids: set[str]) -> "QueueQuery":
        """Unknown values fall back to the defaults rather than failing."""
        def pick(name, allowed, default):
            """The parameter if it is one of `allowed`, else the default."""
            value = args.get(name, default)
            return value if value in allowed else default

        return cls(
            state=pick("state", {v for v, _ in STATE_CHOICES}, OPEN),
            due=pick("due", {v for v, _ in DUE_CHOICES}, ""),
            channel=pick("channel", {v for v, _ in CHANNEL_CHOICES}, ""),
            handler=pick("handler", {"", "me", "none"} | handler_ids, ""),
            sort=pick("sort", set(SORTS), "due"),
            order=pick("order", {"asc", "desc"}, "asc"),
            page=page_number(args.get("page")),
        )

    def params(self, **changes) -> dict:
        """The non-default parameters, with changes applied (for links)."""
        changed = replace(self, **changes)
        defaults = QueueQuery()
        return {k: v for k, v in vars(changed).items() if v != getattr(defaults, k)}

    def sort_params(self, key: str) -> dict:
        """Parameters for a column heading: sort by it, or flip the order when it already sorts."""
        order = "desc" if self.sort == key and self.order == "asc" else "asc"
        return self.params(sort=key, order=order, page=1)


def find(query: QueueQuery, today: date, calendar: WorkCalendar, user_id: int | None):
    """The page of applications matching the query (a Flask-SQLAlchemy Pagination, as every list uses)."""
    conditions = [mine(InfoRequest)]
    if query.state == OPEN:
        if query.due != "replied_late":  # a late reply is finished: 全部在办 then looks among all
            conditions.append(InfoRequest.state.in_(OPEN_STATES))
    elif query.state == ONLINE_WITHDRAWN:
        conditions.append(withdrawn_online_condition(today))
    elif query.state == CORRECTION_SENT:
        conditions.append(waiting_condition())
    elif query.state != ALL:
        conditions.append(InfoRequest.state == query.state)
    if query.due:
        conditions.append(due_condition(query.due, today, calendar))
    if query.channel:
        conditions.append(InfoRequest.channel == query.channel)
    if query.handler == "me":
        conditions.append(InfoRequest.handler_id == user_id)
    elif query.handler == "none":
        conditions.append(InfoRequest.handler_id.is_(None))
    elif query.handler:
        conditions.append(InfoRequest.handler_id == int(query.handler))
    column, ascending = SORTS[query.sort], query.order == "asc"
    keys = [(column.asc() if ascending else column.desc()).nulls_last()]
    if query.sort == "due":
        # 待确认 has no due date yet, but its confirmation (the receipt day) is the first thing waiting:
        # in the urgency order those come first, the longest waiting first; the flipped order mirrors it.
        waiting = case((InfoRequest.state == Status.AWAITING_CONFIRMATION.value, 0), else_=1)
        arrived = InfoRequest.submitted_at
        keys = [waiting.asc() if ascending else waiting.desc(), *keys, arrived.asc() if ascending else arrived.desc()]
    return db.paginate(select(InfoRequest).where(*conditions).order_by(*keys, InfoRequest.id),
                       page=query.page, per_page=PER_PAGE, error_out=False, count=True)


def handlers() -> list[User]:
    """Active staff of the current office who may handle applications (经办人 or 负责人 there)."""
    users = db.session.scalars(select(User).where(User.active.is_(True), members_condition())
                               .order_by(User.display_name)).all()
    return [u for u in users if u.has_role(HANDLER, HEAD)]


@bp.get("/requests/")
@require_roles(HANDLER, HEAD)
def requests():
    """The counts and the queue; an htmx request gets only the results block (pushed to the address bar)."""
    today, calendar = office_today(), load_calendar()
    staff = handlers()
    query = QueueQuery.from_args(request.args, {str(u.id) for u in staff})
    page = find(query, today, calendar, current_user.id)

    def page_args(**changes) -> dict:
        """The query's parameters for a pager link (the pager asks for page "" to mean the first)."""
        return query.params(**changes | {"page": changes.get("page") or 1})

    return render("info_requests/staff/queue.html", "results", query=query,
                  rows=queue_rows(page.items, today, calendar), page=page, page_args=page_args,
                  counts=queue_counts(today, calendar), staff=staff, today=today,
                  state_choices=STATE_CHOICES, due_choices=DUE_CHOICES, channel_choices=CHANNEL_CHOICES,
                  sort_labels=SORT_LABELS, queue_url=lambda **p: url_for("admin.requests.requests", **p))
