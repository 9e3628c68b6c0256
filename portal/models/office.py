"""The offices of the portal: each one's settings, shown on its guide page and used in its numbers, letters
and local limits. One installation serves one office (a 街道办事处) or a district's many (its 区政府办公室,
部门 and 街镇), each answering its own applications and publishing its own catalog and annual report.

`Office.current()` is the office a request is about: the one its URL names (/o/<code>/…, portal.offices),
else the portal's first office — the only one of a single-office installation.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, has_app_context
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select, text, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# Whether the online form asks for a copy of the 证件 (and, for an agent, the 授权委托书): the office decides.
PROOF_REQUIRED, PROOF_OPTIONAL, PROOF_NOT_ASKED = "必须提交", "可以提交", "不要求"
PROOF_CHOICES = (PROOF_REQUIRED, PROOF_OPTIONAL, PROOF_NOT_ASKED)

DEFAULT_OFFICE = {
    "name": "上海市普陀区石泉路街道办事处",
    # In URLs (/o/shiquanlu/…) when the portal serves several offices; letters and digits only.
    "code": "shiquanlu",
    # Before the year of its tracking numbers (WZ-2026-0001); the first office's is empty (2026-0001).
    "number_prefix": "",
    "description": "",
    "search_hint": "",
    "position": 0,
    "short_name": "石泉路街道",
    "org_code": "000014349",
    "index_pattern": "{org_code}/{year}-{seq:05d}",
    "disclosure_office": "石泉路街道党政办公室",
    "address": "上海市普陀区石泉路街道（示例地址，请在设置中修改）",
    "postcode": "200061",
    "hours": "周一至周五 上午9:00—11:30，下午13:30—17:00（法定节假日除外）",
    "phone": "021-00000000（示例电话）",
    "email": "gkb@example.gov.cn",
    "review_authority": "上海市普陀区人民政府",
    "letter_prefix": "石信公",
    "review_required": True,
    # The remedy paragraph of each 答复书 (portal.info_requests.reply_letters says which outcome gets which);
    # {复议机关} is replaced by review_authority when the letter is written.
    "remedy_review_first": (
        "如对本答复中不予公开的决定不服，应当自收到本答复之日起60日内先向{复议机关}申请行政复议；"
        "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼。"),
    "remedy_choice": (
        "如对本答复不服，可以自收到本答复之日起60日内向{复议机关}申请行政复议，"
        "也可以自收到本答复之日起6个月内依法向人民法院提起行政诉讼。"),
    "remedy_disclosed": (
        "如认为本机关提供的信息不是您申请的信息，或者告知的获取方式、途径有误，"
        "可以依法向{复议机关}申请行政复议或者向人民法院提起行政诉讼。"),
    # Local limits, the regulation's values by default: 条例第二十六条 (20 working days to publish) and the
    # shortest 补正 period the office gives (条例第三十条 asks only for a 合理的补正期限).
    "art26_workdays": 20,
    "correction_min_workdays": 5,
    # How to pay a 信息处理费 (收费管理办法第六条: the 收费通知 states 缴纳方式).
    "id_proof": PROOF_NOT_ASKED,
    "agent_proof": PROOF_NOT_ASKED,
    # Years after an application ends that its applicant's personal data is kept (portal.info_requests.retention).
    "retention_years": 3,
    # 条例第五十一条: where residents 投诉、举报 (the 上一级行政机关 or the 政府信息公开工作主管部门), on the guide.
    "complaint_authority": "上海市普陀区人民政府办公室（区政府信息公开工作主管部门）",
    "complaint_contact": "电话 021-00000000，地址 上海市普陀区（示例，请在设置中修改）",
    "fee_payment_text": (
        "请持本通知书到本机关政府信息公开受理窗口缴纳，或按本机关告知的非税收入缴款方式缴纳，"
        "本机关出具财政票据。缴费后请告知本机关。"),
    "organisation_text": (
        "本机关主动公开的政府信息按主题分类、公文种类、发布机构和年份组织，"
        "每条信息列明索引号、名称、内容概述、生成日期等要素，可在“法定主动公开内容”中浏览，"
        "或在检索框中按标题、文号、关键词及正文检索。"
    ),
}


class Office(db.Model):
    """One office of the portal. Its settings are edited by its 管理员; offices are added by the 区级管理员."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    number_prefix: Mapped[str] = mapped_column(String(6), unique=True, default="", server_default="")
    # For 选择受理机关: what information the office holds, and words that suggest it (shown to applicants).
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_hint: Mapped[str] = mapped_column(String(200), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")  # order in lists (then id)
    short_name: Mapped[str] = mapped_column(String(50))
    org_code: Mapped[str] = mapped_column(String(18))
    index_pattern: Mapped[str] = mapped_column(String(100))
    disclosure_office: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10))
    hours: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(100))
    review_authority: Mapped[str] = mapped_column(String(100))
    letter_prefix: Mapped[str] = mapped_column(String(20))
    organisation_text: Mapped[str] = mapped_column(Text)
    # 主动公开 entries need a 审核 other than their author before publication; off, an 编辑 publishes.
    review_required: Mapped[bool] = mapped_column(default=True, server_default=true())
    remedy_review_first: Mapped[str] = mapped_column(Text, default=DEFAULT_OFFICE["remedy_review_first"])
    remedy_choice: Mapped[str] = mapped_column(Text, default=DEFAULT_OFFICE["remedy_choice"])
    remedy_disclosed: Mapped[str] = mapped_column(Text, default=DEFAULT_OFFICE["remedy_disclosed"])
    art26_workdays: Mapped[int] = mapped_column(default=20, server_default="20")
    correction_min_workdays: Mapped[int] = mapped_column(default=5, server_default="5")
    fee_payment_text: Mapped[str] = mapped_column(Text, default=DEFAULT_OFFICE["fee_payment_text"])
    id_proof: Mapped[str] = mapped_column(String(10), default=PROOF_NOT_ASKED, server_default=PROOF_NOT_ASKED)
    agent_proof: Mapped[str] = mapped_column(String(10), default=PROOF_NOT_ASKED, server_default=PROOF_NOT_ASKED)
    retention_years: Mapped[int] = mapped_column(default=3, server_default="3")
    complaint_authority: Mapped[str] = mapped_column(String(100), default=DEFAULT_OFFICE["complaint_authority"])
    complaint_contact: Mapped[str] = mapped_column(String(200), default=DEFAULT_OFFICE["complaint_contact"])

    @classmethod
    def current(cls) -> "Office":
        """The office this request (or command) is about: the one its URL names, else the first office."""
        if has_app_context() and (office_id := g.get("office_id")) is not None:
            office = db.session.get(cls, office_id)
            if office is not None:
                return office
        office = cls.first()
        if has_app_context():
            g.office_id = office.id
        return office

    @classmethod
    def first(cls) -> "Office":
        """The portal's first office — the oldest (lowest id), which keeps the unprefixed tracking numbers and the
        URLs without /o/<code>/; its list position does not move it — saved from the defaults when there is none.

        A database made by the migrations has its row; one made by create_all (the tests) gets it here,
        in a savepoint of the caller's transaction (another transaction may create it at the same time).
        """
        office = db.session.scalar(select(cls).order_by(cls.id).limit(1))
        if office is not None:
            return office
        try:
            with db.session.begin_nested():
                office = cls(id=1, **DEFAULT_OFFICE)
                db.session.add(office)
                db.session.flush()
                advance_office_ids(db.session)
        except IntegrityError:
            office = db.session.get(cls, 1)
        return office

    @classmethod
    def ensure(cls) -> "Office":
        """The current office's saved row (the caller commits what it changes)."""
        return cls.current()

    @classmethod
    def listed(cls) -> list["Office"]:
        """Every office of the portal, in list order."""
        return list(db.session.scalars(select(cls).order_by(cls.position, cls.id)))

    @classmethod
    def several(cls) -> bool:
        """Whether the portal serves more than one office (then it shows offices, facets and choices)."""
        return len(db.session.scalars(select(cls.id).limit(2)).all()) > 1

    @classmethod
    def by_code(cls, code: str) -> "Office | None":
        """The office with this URL code, or None."""
        return db.session.scalar(select(cls).where(cls.code == (code or "").lower()))

    @contextmanager
    def acting(self) -> Iterator["Office"]:
        """Act for this office inside the block (Office.current() is it), as a request under /o/<code>/ does:
        for commands and services that work through every office in turn."""
        before = g.get("office_id")
        g.office_id = self.id
        try:
            yield self
        finally:
            if before is None:
                g.pop("office_id", None)
            else:
                g.office_id = before

    def tracking_number(self, year: int, seq: int) -> str:
        """An application's tracking number: unique across the portal's offices by the office's prefix."""
        prefix = f"{self.number_prefix}-" if self.number_prefix else ""
        return f"{prefix}{year}-{seq:04d}"

    def counter(self, name: str) -> str:
        """The name of one of this office's number sequences (索引号, tracking and letter numbers)."""
        return f"{self.id}:{name}"


def advance_office_ids(connection) -> None:
    """After a row was saved with its own id (the first office is id 1), move PostgreSQL's id sequence past
    it, or the next office added would be given that id again (SQLite takes the highest id by itself).
    `connection` is a session or (in a migration) a connection."""
    bind = connection.get_bind() if hasattr(connection, "get_bind") else connection
    if bind.dialect.name == "postgresql":
        connection.execute(text("SELECT setval(pg_get_serial_sequence('office', 'id'), "
                                "(SELECT COALESCE(MAX(id), 1) FROM office))"))


class OtherOffice(db.Model):
    """Another office an office often refers applicants to (条例第三十六条第（五）项): name and how to reach it."""

    __tablename__ = "other_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (UniqueConstraint("office_id", "name"),)

    @classmethod
    def listed(cls) -> list["OtherOffice"]:
        """Every office the current office lists, by name."""
        return list(db.session.scalars(db.select(cls).where(cls.office_id == Office.current().id)
                                       .order_by(cls.name, cls.id)))
