"""基层政务公开标准目录: the office's table of what it publishes, by whom, when and how; edited by the 管理员."""
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .office import Office

# Column name → heading, in the order of the table (国办发〔2019〕54号's 标准目录 columns).
STANDARD_COLUMNS = {
    "matter": "事项", "content": "公开内容", "basis": "依据", "time_limit": "时限",
    "subject": "主体", "channel": "渠道", "audience": "对象", "method": "方式",
}


class StandardCatalogItem(db.Model):
    """One row of the 标准目录; `position` orders the rows (1 first)."""

    __tablename__ = "standard_catalog_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    position: Mapped[int] = mapped_column(index=True)
    matter: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(Text, default="")
    time_limit: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(300), default="")
    audience: Mapped[str] = mapped_column(String(100), default="")
    method: Mapped[str] = mapped_column(String(100), default="")

    @classmethod
    def ordered(cls) -> list["StandardCatalogItem"]:
        """Every row of the current office's table, in table order."""
        return list(db.session.scalars(db.select(cls).where(cls.office_id == Office.current().id)
                                       .order_by(cls.position, cls.id)))
