"""The office's own settings, shown on the guide page and used in numbers and letters."""
from sqlalchemy import String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

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
