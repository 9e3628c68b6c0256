"""The office's own settings, shown on the guide page and used in numbers, letters and local limits."""
from sqlalchemy import String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# Whether the online form asks for a copy of the 证件 (and, for an agent, the 授权委托书): the office decides.
PROOF_REQUIRED, PROOF_OPTIONAL, PROOF_NOT_ASKED = "必须提交", "可以提交", "不要求"
PROOF_CHOICES = (PROOF_REQUIRED, PROOF_OPTIONAL, PROOF_NOT_ASKED)

DEFAULT_OFFICE = {
    "name": "上海市普陀区石泉路街道办事处",
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
    """One row: the office running this portal. Edited by the 管理员."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
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
        """The office's settings; the defaults (unsaved) until a 管理员 saves them."""
        return db.session.get(cls, 1) or cls(id=1, **DEFAULT_OFFICE)

    @classmethod
    def ensure(cls) -> "Office":
        """The saved office row, created from the defaults when missing (caller commits)."""
        office = db.session.get(cls, 1)
        if office is None:
            office = cls(id=1, **DEFAULT_OFFICE)
            db.session.add(office)
        return office


class OtherOffice(db.Model):
    """Another office this one often refers applicants to (条例第三十六条第（五）项): name and how to reach it."""

    __tablename__ = "other_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")

    @classmethod
    def listed(cls) -> list["OtherOffice"]:
        """Every listed office, by name."""
        return list(db.session.scalars(db.select(cls).order_by(cls.name, cls.id)))
