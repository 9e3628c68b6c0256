"""The annual report (政府信息公开工作年度报告) and the 行政复议/行政诉讼 cases it counts."""
import json
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .catalog import Document
from .types import AwareDateTime

DRAFT = "draft"
PUBLISHED = "published"
REPORT_STATUSES = (DRAFT, PUBLISHED)

REVIEW = "行政复议"
LITIGATION = "行政诉讼"
CASE_KINDS = (REVIEW, LITIGATION)
CASE_RESULTS = ("维持", "纠正", "其他", "尚未审结")


class AnnualReport(db.Model):
    """One year's report: staff-written sections, hand-entered figures, and what was published.

    Computed tables are never stored for the draft (they are recomputed from the records); at publish
    time the whole report is frozen into `published_json`, which is what the public page shows.
    """

    __tablename__ = "annual_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    year: Mapped[int]
    format: Mapped[str] = mapped_column(String(4))  # "2021" or "2019" (试行)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT, index=True)
    section_one: Mapped[str] = mapped_column(Text, default="")  # 一、总体情况
    section_five: Mapped[str] = mapped_column(Text, default="")  # 五、存在的主要问题及改进情况
    section_six: Mapped[str] = mapped_column(Text, default="")  # 六、其他需要报告的事项
    # Section 二 figures the portal does not hold (行政许可, 行政处罚 …): {cell key: text of a number}.
    manual_json: Mapped[str] = mapped_column(Text, default="{}")
    published_json: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow, onupdate=utcnow)

    document: Mapped[Document | None] = relationship()
    office = relationship("Office")

    __table_args__ = (UniqueConstraint("office_id", "year"),)

    @property
    def manual(self) -> dict[str, str]:
        """The hand-entered section 二 figures."""
        return json.loads(self.manual_json or "{}")

    @manual.setter
    def manual(self, values: dict[str, str]) -> None:
        self.manual_json = json.dumps(values, ensure_ascii=False, sort_keys=True)

    @property
    def published(self) -> dict:
        """The report as published (texts and figures), or {} before the first publication."""
        return json.loads(self.published_json) if self.published_json else {}

    @property
    def is_published(self) -> bool:
        """Whether residents can read it."""
        return self.status == PUBLISHED and bool(self.published_json)


class ReviewCase(db.Model):
    """A 行政复议 or 行政诉讼 about information disclosure, counted in section 四 of `year`'s report."""

    __tablename__ = "review_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # 行政复议 / 行政诉讼
    info_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("info_request.id", ondelete="SET NULL"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    result: Mapped[str] = mapped_column(String(10), default="尚未审结")
    after_review: Mapped[bool] = mapped_column(default=False)  # 行政诉讼 only: 复议后起诉
    decided_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
