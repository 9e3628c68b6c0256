"""Section 三 of the annual report, computed from the applications, with its reconciliation.

Counting rules (DOMAIN.md, "The annual report"), for year Y:
- 一 本年新收: receipt date in Y;
- 二 上年结转: received before Y and not finished by 31 Dec of Y-1;
- 三 办理结果: finished in Y (reply date, or the date it was withdrawn / 视为放弃), on the row of its
  outcome and ground (portal.reports.lines.row_for);
- 四 结转下年度: received by 31 Dec of Y and not finished by then.
An application never received (待确认, or withdrawn before confirmation) is not counted at all.
Every cell keeps the ids it counts; every column must satisfy 一 + 二 = 三(七) + 四 and the lines of
三 must add up to （七）总计 — a break names the applications that cause it.

A report is one office's: only the applications that office received are counted (its `office_id`, given by
the caller, never read from the request here).
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..models import CITIZEN, InfoRequest, RequestEvent
from . import lines as rl

COLUMN_KEYS = tuple(key for key, _ in rl.COLUMNS)
PERSON_COLUMNS = COLUMN_KEYS[:-1]  # every column but 总计


@dataclass(frozen=True)
class Problem:
    """An application whose record breaks the report, and why (in Chinese, for staff)."""

    info_request_id: int
    tracking_number: str
    message: str


@dataclass(frozen=True)
class ColumnCheck:
    """The reconciliation of one column: 一 + 二 = 三(七) + 四, and the lines of 三 add up to (七)."""

    column: str
    label: str
    new: int
    carried_in: int
    results: int
    carried_out: int
    lines: int

    @property
    def ok(self) -> bool:
        """Whether this column reconciles."""
        return self.new + self.carried_in == self.results + self.carried_out and self.lines == self.results


@dataclass
class Section3:
    """The table of section 三: ids per (row key, column key), the checks and the problems."""

    year: int
    format: str
    cells: dict[str, dict[str, list[int]]]
    checks: list[ColumnCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> tuple[rl.Row, ...]:
        """The format's rows, in order."""
        return rl.rows_for(self.format)

    def ids(self, row: str, column: str = "total") -> list[int]:
        """The applications one cell counts."""
        return self.cells.get(row, {}).get(column, [])

    def count(self, row: str, column: str = "total") -> int:
        """The number in one cell."""
        return len(self.ids(row, column))

    @property
    def balanced(self) -> bool:
        """Whether every column reconciles and no application breaks the table."""
        return all(check.ok for check in self.checks) and not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        """The numbers only, for freezing into a published report."""
        return {row.key: {col: self.count(row.key, col) for col in COLUMN_KEYS}
                for row in self.rows if row.counted}


@dataclass(frozen=True)
class _App:
    """What the report needs of one application."""

    id: int
    tracking_number: str
    column: str
    receipt: date | None
    finished: date | None
    outcome: str
    ground: str
    withdrawn: bool
    kind_unknown: bool = False


def year_bounds(year: int) -> tuple[date, date]:
    """1 January and 31 December of a year."""
    return date(year, 1, 1), date(year, 12, 31)


def column_of(applicant_type: str, org_kind: str | None) -> str:
    """The applicant column: 自然人 for a 公民, else the organisation's kind (unknown kinds under 其他)."""
    if applicant_type == CITIZEN:
        return "citizen"
    return rl.ORG_KIND_COLUMNS.get(org_kind or "", "other_org")


def _load(session: Session, office_id: int, start: date) -> list[_App]:
    """The office's applications that can touch the year: not finished before it (old ones are filtered below)."""
    rows = session.execute(
        select(InfoRequest.id, InfoRequest.tracking_number, InfoRequest.applicant_type, InfoRequest.org_kind,
               InfoRequest.receipt_date, InfoRequest.replied_on, InfoRequest.outcome, InfoRequest.ground)
        .where(InfoRequest.office_id == office_id,
               or_(InfoRequest.replied_on.is_(None), InfoRequest.replied_on >= start))
        .order_by(InfoRequest.id)
    ).all()
    ends: dict[int, tuple[str, date]] = {}
    for request_id, kind, day in session.execute(
        select(RequestEvent.info_request_id, RequestEvent.kind, RequestEvent.date)
        .join(InfoRequest, InfoRequest.id == RequestEvent.info_request_id)
        .where(InfoRequest.office_id == office_id, RequestEvent.kind.in_(tuple(rl.ENDING_LINES)))
        .order_by(RequestEvent.id)
    ):
        ends[request_id] = (kind, day)
    apps = []
    for r in rows:
        finished, outcome, ground, withdrawn = r.replied_on, r.outcome, r.ground, False
        if finished is None and r.id in ends:
            kind, finished = ends[r.id]
            outcome, ground = rl.ENDING_LINES[kind]
            withdrawn = kind == "withdrawn"
        unknown = r.applicant_type != CITIZEN and r.org_kind not in rl.ORG_KIND_COLUMNS
        apps.append(_App(r.id, r.tracking_number, column_of(r.applicant_type, r.org_kind), r.receipt_date,
                         finished, outcome or "", ground or "", withdrawn, unknown))
    return apps


def compute_section3(session: Session, year: int, fmt: str | None = None, *, office_id: int) -> Section3:
    """Count one office's applications of the year into section 三 and reconcile every column."""
    fmt = fmt or rl.format_for_year(year)
    start, end = year_bounds(year)
    table = Section3(year, fmt, {row.key: {col: [] for col in COLUMN_KEYS} for row in rl.rows_for(fmt)
                                 if row.counted})
    for app in _load(session, office_id, start):
        _place(table, app, start, end)
    for row in table.cells.values():
        row["total"] = sorted(i for col in PERSON_COLUMNS for i in row[col])
    table.checks = column_checks(fmt, table.counts())
    return table


def _place(table: Section3, app: _App, start: date, end: date) -> None:
    """Put one application on the left (一/二) and right (三/四) of the table, noting what is wrong."""
    if app.receipt is None and (app.finished is None or app.withdrawn):
        return  # never received: not an application the report counts
    left = right = None
    if app.receipt is not None and start <= app.receipt <= end:
        left = rl.NEW
    elif app.receipt is not None and app.receipt < start and (app.finished is None or app.finished >= start):
        left = rl.CARRIED_IN
    line = None
    if app.finished is not None and start <= app.finished <= end:
        right = rl.TOTAL
        line = rl.row_for(table.format, app.outcome, app.ground)
    elif app.receipt is not None and app.receipt <= end and (app.finished is None or app.finished > end):
        right = rl.CARRIED_OUT
    if left is None and right is None:
        return  # finished before the year, or received after it
    for key in (left, right, line.key if line else None):
        if key:
            table.cells[key][app.column].append(app.id)
    problem = _problem(app, left, right, line)
    if problem:
        table.problems.append(Problem(app.id, app.tracking_number, problem))
    if app.kind_unknown:
        table.notes.append(Problem(app.id, app.tracking_number, "法人或其他组织未注明组织类型，已计入“其他”列"))


def _problem(app: _App, left: str | None, right: str | None, line: rl.Row | None) -> str:
    """Why one application breaks the table, or '' when it does not."""
    if app.receipt is None:
        return f"{app.finished} 已办结，但没有收到申请日期，无法计入本年新收或上年结转"
    if app.finished is not None and app.finished < app.receipt:
        return f"办结日期 {app.finished} 早于收到申请日期 {app.receipt}"
    if right == rl.TOTAL and line is None:
        ground = f"，理由“{app.ground}”" if app.ground else "，未注明理由"
        return f"答复结果“{app.outcome or '未注明'}”{ground}不属于本年报格式的任何一行"
    if (left is None) != (right is None):
        return "收到申请日期与办结日期不能勾稽"
    return ""


def column_checks(fmt: str, counts: dict[str, dict[str, int]]) -> list[ColumnCheck]:
    """The figures of each column that must agree, from a table's numbers (computed, published or summed)."""
    lined = [row.key for row in rl.rows_for(fmt) if row.counted and row.parent and row.key != rl.TOTAL]
    return [ColumnCheck(column, label, counts[rl.NEW][column], counts[rl.CARRIED_IN][column],
                        counts[rl.TOTAL][column], counts[rl.CARRIED_OUT][column],
                        sum(counts[key][column] for key in lined))
            for column, label in rl.COLUMNS]
