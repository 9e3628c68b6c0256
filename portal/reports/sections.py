"""Sections 一, 二 and 四 of the annual report, and the whole report's figures in one value.

行政规范性文件 (section 二): 公文种类 does not say whether a document is normative, so an entry counts
as one when ANY of these holds (see NormativeRule):
1. its 关键词 include "规范性文件" or "行政规范性文件" (staff mark it when publishing), or
2. its 发文字号 carries a registration mark "规〔" (e.g. 普府规〔2021〕1号: Shanghai and most provinces
   number registered normative documents so), or
3. its 公文种类 is in a configured set (REPORT_NORMATIVE_DOC_TYPES, empty by default).
Only published entries count. 本年制发 = 成文日期 (else 发布日期) in the year; 本年废止 = 废止日期 in the
year; 现行有效 = made by 31 Dec and not repealed by then (an entry marked 失效/废止 without a date
cannot be placed in time and is not counted as in force).
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import Document
from ..models.reports import LITIGATION, REVIEW, ReviewCase
from .compute import Section3, compute_section3, year_bounds
from .layout import RESULT_KEYS, SECTION2, SECTION4_KEYS
from .lines import FORMAT_2019, format_for_year

NORMATIVE_KEYWORDS = ("规范性文件", "行政规范性文件")
KEYWORD_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class NormativeRule:
    """Which catalog entries count as 行政规范性文件 (see the module docstring)."""

    keywords: tuple[str, ...] = NORMATIVE_KEYWORDS
    number_mark: str = "规〔"
    doc_types: frozenset[str] = frozenset()

    def matches(self, keywords: str, doc_number: str | None, doc_type: str) -> bool:
        """Whether one entry is a 规范性文件 under this rule."""
        words = set(KEYWORD_SPLIT.split(keywords or ""))
        return bool(words & set(self.keywords)) or (self.number_mark and self.number_mark in (doc_number or "")) \
            or doc_type in self.doc_types


def normative_cells(session: Session, year: int, fmt: str, rule: NormativeRule, *,
                    office_id: int) -> dict[str, list[int]]:
    """The computed 规范性文件 cells of section 二 of one office: document ids per cell key."""
    start, end = year_bounds(year)
    conditions = [Document.keywords.contains(word) for word in rule.keywords]
    if rule.number_mark:
        conditions.append(Document.doc_number.contains(rule.number_mark))
    if rule.doc_types:
        conditions.append(Document.doc_type.in_(rule.doc_types))
    rows = session.execute(
        select(Document.id, Document.keywords, Document.doc_number, Document.doc_type, Document.written_date,
               Document.published_date, Document.validity, Document.repealed_date)
        .where(Document.office_id == office_id, Document.status == "published", or_(*conditions))
        .order_by(Document.id)
    ).all()
    cells: dict[str, list[int]] = {key: [] for key in ("made", "repealed", "effective", "published", "total")}
    for r in rows:
        if not rule.matches(r.keywords, r.doc_number, r.doc_type):
            continue
        made = r.written_date or r.published_date
        if made and start <= made <= end:
            cells["made"].append(r.id)
        if r.repealed_date and start <= r.repealed_date <= end:
            cells["repealed"].append(r.id)
        in_force = r.repealed_date > end if r.repealed_date else r.validity == "有效"
        if made and made <= end and in_force:
            cells["effective"].append(r.id)
        if r.published_date and start <= r.published_date <= end:
            cells["published"].append(r.id)
        if r.published_date and r.published_date <= end:
            cells["total"].append(r.id)
    wanted = ("made", "published", "total") if fmt == FORMAT_2019 else ("made", "repealed", "effective")
    return {f"normative.{key}": cells[key] for key in wanted}


def published_in_year(session: Session, year: int, *, office_id: int) -> list[int]:
    """Ids of the office's 主动公开 entries published in the year (section 一's "全年主动公开政府信息N件")."""
    start, end = year_bounds(year)
    return list(session.scalars(
        select(Document.id).where(Document.office_id == office_id, Document.status == "published",
                                  Document.disclosure_method == "主动公开",
                                  Document.published_date >= start, Document.published_date <= end)
        .order_by(Document.id)))


def section4_cells(session: Session, year: int, *, office_id: int) -> dict[str, list[int]]:
    """The office's 行政复议 and 行政诉讼 cases of the year: case ids per section 四 cell key."""
    cells: dict[str, list[int]] = {key: [] for key in SECTION4_KEYS}
    by_result = {result: key for key, result, _ in RESULT_KEYS}
    for case in session.scalars(select(ReviewCase).where(ReviewCase.office_id == office_id, ReviewCase.year == year)
                                  .order_by(ReviewCase.id)):
        if case.kind == REVIEW:
            group = "review"
        elif case.kind == LITIGATION:
            group = "after" if case.after_review else "direct"
        else:
            continue
        cells[f"{group}.{by_result.get(case.result, 'pending')}"].append(case.id)
        cells[f"{group}.total"].append(case.id)
    return cells


@dataclass
class Computed:
    """Everything the portal computes for one year's report; `figures` gives the numbers to show or freeze."""

    year: int
    format: str
    published_ids: list[int]
    section2: dict[str, list[int]]
    section3: Section3
    section4: dict[str, list[int]]
    manual: dict[str, str] = field(default_factory=dict)

    def figures(self) -> dict:
        """The report's numbers as plain JSON-able values (what a published report keeps)."""
        section2 = {}
        for group in SECTION2[self.format]:
            for _, keys in group.rows:
                for key in keys:
                    section2[key] = str(len(self.section2[key])) if key in self.section2 \
                        else (self.manual.get(key) or "0")
        return {"year": self.year, "format": self.format, "published_count": len(self.published_ids),
                "section2": section2, "section3": self.section3.counts(),
                "section4": {key: len(ids) for key, ids in self.section4.items()}}


def compute_report(session: Session, year: int, fmt: str | None = None, manual: dict | None = None,
                   rule: NormativeRule | None = None, *, office_id: int) -> Computed:
    """Compute sections 一 (figures), 二, 三 and 四 of one office's report for a year from its records."""
    fmt = fmt or format_for_year(year)
    return Computed(year, fmt, published_in_year(session, year, office_id=office_id),
                    normative_cells(session, year, fmt, rule or NormativeRule(), office_id=office_id),
                    compute_section3(session, year, fmt, office_id=office_id),
                    section4_cells(session, year, office_id=office_id), dict(manual or {}))


def overview_text(office_name: str, figures: dict) -> str:
    """A first draft of 一、总体情况 from the year's figures; staff rewrite it as they see fit."""
    s3, s4 = figures["section3"], figures["section4"]
    total = {key: s3[key]["total"] for key in ("new", "carried_in", "total", "carried_out")}
    return (
        f"{figures['year']}年，{office_name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"全年主动公开政府信息{figures['published_count']}件。"
        f"全年受理依申请公开{total['new']}件，上年结转{total['carried_in']}件，"
        f"本年度办结{total['total']}件，结转下年度继续办理{total['carried_out']}件。"
        f"本年度发生政府信息公开行政复议{s4['review.total']}件、"
        f"行政诉讼{s4['direct.total'] + s4['after.total']}件。"
    )
