"""依申请公开: the application, its applicant (personal data, kept apart), its events and letters."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime

CITIZEN = "公民"
ORGANISATION = "法人或其他组织"
APPLICANT_TYPES = (CITIZEN, ORGANISATION)
ORG_KINDS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
PROVIDE_FORMS = ("纸质", "电子邮件", "光盘/磁盘")
OBTAIN_METHODS = ("自行领取/当场阅读抄录", "邮寄", "快递", "电子邮件")
ID_TYPES = ("居民身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "护照", "其他")
# Letters addressed to someone else (the consulted third party or office): kept with the application,
# never shown to the applicant.
NOT_FOR_APPLICANT = frozenset({"征求意见书", "决定公开告知书"})


class InfoRequest(db.Model):
    """An application for information. `state` and `due_date` are derived from the events, never typed in."""

    __tablename__ = "info_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The office that answers it (chosen by the applicant; passed on by 签收/退回 before confirmation).
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(20))
    org_kind: Mapped[str | None] = mapped_column(String(20))  # counted by the annual report
    channel: Mapped[str] = mapped_column(String(10))
    # The request itself is personal data: never public, shown to staff only.
    description: Mapped[str] = mapped_column(Text)
    doc_title: Mapped[str] = mapped_column(String(300), default="")
    doc_number: Mapped[str] = mapped_column(String(64), default="")
    provide_forms: Mapped[str] = mapped_column(String(100), default="")
    obtain_methods: Mapped[str] = mapped_column(String(100), default="")
    submitted_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    # Derived from the events by portal.info_requests.records.refresh_state after every change.
    state: Mapped[str] = mapped_column(String(10), index=True)
    receipt_date: Mapped[date | None] = mapped_column(index=True)
    due_date: Mapped[date | None] = mapped_column(index=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    replied_on: Mapped[date | None] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(String(20), default="")
    ground: Mapped[str] = mapped_column(String(60), default="")
    # Open consultations (Art. 32/34), derived like the dates above: the earliest consulted party's limit
    # (15 working days from its receipt of the 征求意见书), and the earliest day after which a 征求意见书
    # with no recorded receipt day is flagged (5 working days from sending).
    consultation_due: Mapped[date | None] = mapped_column(index=True)
    delivery_check_due: Mapped[date | None] = mapped_column(index=True)
    # An unpaid 信息处理费: the last day to pay (收费管理办法第六条), derived like the dates above.
    fee_due: Mapped[date | None] = mapped_column(index=True)
    fee_provisional: Mapped[bool] = mapped_column(default=False)  # fee_due is an estimate (migration 0014)
    # Also derived: the 补正 deadline while one runs, which cached dates are estimates (a year the calendar
    # does not hold), and whether the reply came after the statutory limit (a late extension not counted).
    correction_due: Mapped[date | None] = mapped_column(index=True)
    correction_provisional: Mapped[bool] = mapped_column(default=False)
    consultation_provisional: Mapped[bool] = mapped_column(default=False)
    replied_late: Mapped[bool] = mapped_column(default=False)
    # The 经办人 handling it (assigned on the queue; the one who registers or confirms it by default).
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The day the applicant's personal data was removed at the end of its retention (info_requests.retention).
    personal_data_removed_on: Mapped[date | None]

    handler: Mapped["User | None"] = relationship()  # noqa: F821  (portal.models.staff)
    office: Mapped["Office"] = relationship()  # noqa: F821  (portal.models.office)
    applicant: Mapped["Applicant"] = relationship(back_populates="info_request", cascade="all, delete-orphan",
                                                  uselist=False)
    events: Mapped[list["RequestEvent"]] = relationship(
        back_populates="info_request", cascade="all, delete-orphan", order_by="RequestEvent.id")
    letters: Mapped[list["Letter"]] = relationship(
        back_populates="info_request", cascade="all, delete-orphan", order_by="Letter.id")


class Applicant(db.Model):
    """Who applied and how to reach them: personal data, in its own table, masked in lists."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(100))  # 姓名, or the organisation's 名称
    id_type: Mapped[str] = mapped_column(String(30), default="")
    id_number: Mapped[str] = mapped_column(String(40), default="")
    uscc: Mapped[str] = mapped_column(String(18), default="")  # 统一社会信用代码
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    agent_name: Mapped[str] = mapped_column(String(50), default="")  # 代理人, when someone applies for them

    info_request: Mapped[InfoRequest] = relationship(back_populates="applicant")


class RequestEvent(db.Model):
    """One thing that happened to an application, with the legal date it happened on."""

    __tablename__ = "request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    date: Mapped[date]
    channel: Mapped[str | None] = mapped_column(String(10))
    workdays: Mapped[int | None]
    until: Mapped[date | None]
    party: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")
    opinion: Mapped[str] = mapped_column(String(20), default="")  # a closed consultation: the party's opinion
    decision: Mapped[str] = mapped_column(String(20), default="")  # on a third party's objection (Art. 32)
    # A 收费通知 (or payment): the amount in 元, the basis (按件/按量) and the items or pages it was computed from.
    amount: Mapped[int | None]
    fee_basis: Mapped[str] = mapped_column(String(4), default="")
    fee_units: Mapped[int | None]
    ground: Mapped[str] = mapped_column(String(60), default="")
    # A 补正 request or a 收费通知: the latest deadline (补正期限, 缴费期限) the applicant was told in writing (the
    # letter, then any mail after a calendar change); 视为放弃 / 逾期未缴费 waits for it.
    told: Mapped[date | None]
    actor: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship(back_populates="events")


class Letter(db.Model):
    """A numbered letter to the applicant (接收回执, 补正告知书, 答复书 …), kept as issued."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship(back_populates="letters")

    @property
    def for_applicant(self) -> bool:
        """Whether the applicant sees it when tracking (a 征求意见书 goes to the consulted party)."""
        return self.kind not in NOT_FOR_APPLICANT

    __table_args__ = (UniqueConstraint("number"),)
