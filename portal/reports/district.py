"""The district's 汇总 table (for the 政务公开办 and the 区级管理员): section 三 of every office's report for a
year, one block per office and the district total, every column reconciled as in each office's report.

Each office's figures are those of its published report when it has one for the year (what it reported),
else computed now from its records (and said so). The total is the sum of the offices' blocks, cell by cell,
so each of its columns is the sum of the offices' columns; it then reconciles as each block does
(一 + 二 = 三(七) + 四, and the lines of 三 add up to （七）总计), checked on the sums, not assumed.
"""
import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Office
from ..models.reports import PUBLISHED, AnnualReport
from . import lines as rl
from .compute import COLUMN_KEYS, ColumnCheck, column_checks, compute_section3
from .grid import section3_rows

PUBLISHED_SOURCE = "已发布年度报告"
LIVE_SOURCE = "实时计算：年度报告尚未发布"
TOTAL_NAME = "全区合计"
TOTAL_SOURCE = "各机关之和"


@dataclass(frozen=True)
class Block:
    """One office's section 三 in the 汇总 table: its numbers, where they come from, its column checks."""

    name: str
    source: str  # where the numbers come from, in Chinese
    counts: dict[str, dict[str, int]]
    checks: list[ColumnCheck]
    problems: int = 0  # live figures only: applications whose records break the office's table

    @property
    def balanced(self) -> bool:
        """Whether every column of this block reconciles and no application breaks it."""
        return all(check.ok for check in self.checks) and not self.problems


@dataclass(frozen=True)
class DistrictSummary:
    """The year's 汇总 table: the offices' blocks, in list order, and the district total."""

    year: int
    format: str
    offices: list[Block]
    total: Block

    @property
    def blocks(self) -> list[Block]:
        """Every block, the total last."""
        return [*self.offices, self.total]

    @property
    def balanced(self) -> bool:
        """Whether every block, the total included, reconciles."""
        return all(block.balanced for block in self.blocks)


def counted_keys(fmt: str) -> list[str]:
    """The keys of the rows of section 三 that carry numbers, in table order."""
    return [row.key for row in section3_rows(fmt)]


def office_block(session: Session, office: Office, year: int, fmt: str) -> Block:
    """An office's section 三 for the year: its published report's numbers, else computed from its records."""
    report = session.scalar(select(AnnualReport).where(
        AnnualReport.office_id == office.id, AnnualReport.year == year, AnnualReport.status == PUBLISHED))
    if report is not None and report.is_published and report.published.get("format") == fmt:
        counts = summed(fmt, [report.published["figures"]["section3"]])  # the same numbers, as ints
        return Block(office.name, PUBLISHED_SOURCE, counts, column_checks(fmt, counts))
    table = compute_section3(session, year, fmt, office_id=office.id)
    counts = summed(fmt, [table.counts()])
    return Block(office.name, LIVE_SOURCE, counts, column_checks(fmt, counts), len(table.problems))


def summed(fmt: str, tables: list[dict]) -> dict[str, dict[str, int]]:
    """The cell-by-cell sum of several section 三 tables."""
    return {key: {column: sum(int(table[key][column]) for table in tables) for column in COLUMN_KEYS}
            for key in counted_keys(fmt)}


def district_summary(session: Session, year: int) -> DistrictSummary:
    """The 汇总 table of a year over every office of the portal."""
    fmt = rl.format_for_year(year)
    blocks = [office_block(session, office, year, fmt) for office in Office.listed()]
    total = summed(fmt, [block.counts for block in blocks])
    everyone = Block(TOTAL_NAME, TOTAL_SOURCE, total, column_checks(fmt, total),
                     sum(block.problems for block in blocks))
    return DistrictSummary(year, fmt, blocks, everyone)


def to_csv(summary: DistrictSummary) -> bytes:
    """The 汇总 table as CSV (UTF-8 with a BOM, for Excel): a block of rows per office, then the total."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{summary.year}年政府信息公开申请办理情况汇总表（各机关年度报告第三部分）"])
    writer.writerow(["机关", "数据来源", "项目", *(label for _, label in rl.COLUMNS)])
    rows = section3_rows(summary.format)
    for block in summary.blocks:
        for row in rows:
            writer.writerow([block.name, block.source, " ".join(row.label_path),
                             *(block.counts[row.key][column] for column in COLUMN_KEYS)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
