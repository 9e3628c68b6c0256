"""The rows and columns of the annual report's section 三, and the row each finished application counts under.

Labels follow 国办公开办函〔2021〕30号 (and the 2019 试行 format for reports up to 2020) to the character;
the outcomes and grounds themselves are those of portal.info_requests.outcomes.

Counting conventions:
- a reply "已经主动公开" (the information is already published; the applicant is told where) counts
  as （一）予以公开, whether stored as that outcome or as 予以公开 with that ground;
- an application 视为放弃 (no correction in time, Art. 30) counts under （六）其他处理 /
  申请人无正当理由逾期不补正…; a withdrawal counts under （六）其他处理 / 其他;
- an application 视为放弃 for an unpaid 信息处理费 (收费管理办法第六条) counts under （六）其他处理 /
  申请人逾期未按收费通知要求缴纳费用….
"""
from dataclasses import dataclass

from ..info_requests.outcomes import (
    DISCLOSED,
    GROUNDS,
    NOT_PROCESSED,
    OTHER,
    OTHER_GROUND,
    OUTCOMES,
    OVERDUE_CORRECTION,
    PARTLY_DISCLOSED,
    REFUSED,
    UNABLE,
    UNPAID_FEE,
    normalize,
)

# What an application that ended without a reply counts as (event kind → outcome, ground).
ABANDONED_LINE = (OTHER, OVERDUE_CORRECTION)
WITHDRAWN_LINE = (OTHER, OTHER_GROUND)
UNPAID_LINE = (OTHER, UNPAID_FEE)
ENDING_LINES = {"withdrawn": WITHDRAWN_LINE, "abandoned": ABANDONED_LINE, "fee_unpaid": UNPAID_LINE}

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMATS = (FORMAT_2021, FORMAT_2019)


def format_for_year(year: int) -> str:
    """Reports for 2019 and 2020 used the 试行 format (国办公开办函〔2019〕60号); later years the 2021 one."""
    return FORMAT_2019 if year <= 2020 else FORMAT_2021


@dataclass(frozen=True)
class Row:
    """One row of section 三: a stable key (used in URLs), its label, and what it counts.

    `level` 0 is a 一/二/三/四 line, 1 a （一）… line, 2 a numbered sub-line. `counted` is False for
    the heading lines (三、本年度办理结果, （三）不予公开 …) that carry no numbers in the format.
    """

    key: str
    label: str
    level: int
    outcome: str = ""
    ground: str = ""
    counted: bool = True
    parent: str = ""


NEW = "new"
CARRIED_IN = "carried_in"
RESULTS = "results"
TOTAL = "total"
CARRIED_OUT = "carried_out"

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
CHINESE_ORDINALS = "一二三四五六七"
OUTCOME_KEYS = {DISCLOSED: "disclosed", PARTLY_DISCLOSED: "partial", REFUSED: "refused", UNABLE: "unable",
                NOT_PROCESSED: "not_processed", OTHER: "other"}
OUTCOME_LABELS = {PARTLY_DISCLOSED: "部分公开（区分处理的，只计这一情形，不计其他情形）"}


def _rows(fmt: str) -> tuple[Row, ...]:
    """Every row of section 三 in the format's order."""
    rows = [Row(NEW, "一、本年新收政府信息公开申请数量", 0),
            Row(CARRIED_IN, "二、上年结转政府信息公开申请数量", 0),
            Row(RESULTS, "三、本年度办理结果", 0, counted=False)]
    for n, outcome in enumerate(OUTCOMES):
        key = OUTCOME_KEYS[outcome]
        label = f"（{CHINESE_ORDINALS[n]}）{OUTCOME_LABELS.get(outcome, outcome)}"
        grounds = GROUNDS.get(outcome, ())
        if not grounds or (fmt == FORMAT_2019 and outcome == OTHER):
            rows.append(Row(key, label, 1, outcome=outcome, parent=RESULTS))
            continue
        rows.append(Row(key, label, 1, outcome=outcome, counted=False, parent=RESULTS))
        rows.extend(Row(f"{key}-{i}", f"{i}.{ground}", 2, outcome=outcome, ground=ground, parent=key)
                    for i, ground in enumerate(grounds, start=1))
    rows.append(Row(TOTAL, "（七）总计", 1, parent=RESULTS))
    rows.append(Row(CARRIED_OUT, "四、结转下年度继续办理", 0))
    return tuple(rows)


ROWS = {FORMAT_2021: _rows(FORMAT_2021), FORMAT_2019: _rows(FORMAT_2019)}


def rows_for(fmt: str) -> tuple[Row, ...]:
    """The rows of section 三 for a format ("2021" or "2019")."""
    return ROWS[fmt]


def row_by_key(fmt: str, key: str) -> Row | None:
    """The row with this key in a format, or None."""
    return next((row for row in ROWS[fmt] if row.key == key), None)


def row_for(fmt: str, outcome: str, ground: str = "") -> Row | None:
    """The counted row a finished application belongs on; None if the outcome/ground is not in the format."""
    outcome, ground = normalize(outcome, ground)
    for row in ROWS[fmt]:
        if not row.counted or row.outcome != outcome:
            continue
        if not row.ground or row.ground == ground:
            return row
    return None


# Columns of section 三: applicant kinds (InfoRequest.applicant_type / org_kind), then the total.
COLUMNS = (("citizen", "自然人"), ("business", "商业企业"), ("research", "科研机构"),
           ("charity", "社会公益组织"), ("legal", "法律服务机构"), ("other_org", "其他"), ("total", "总计"))
COLUMN_LABELS = dict(COLUMNS)
ORG_KIND_COLUMNS = {"商业企业": "business", "科研机构": "research", "社会公益组织": "charity",
                    "法律服务机构": "legal", "其他": "other_org"}
ORG_COLUMNS = tuple(ORG_KIND_COLUMNS.values())
