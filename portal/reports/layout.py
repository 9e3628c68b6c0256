"""The fixed parts of the report: section titles and the tables of sections 二 and 四, per format.

Section 三's rows live in portal.reports.lines (on the reply outcomes of portal.info_requests). Cell keys are stable
ASCII names used in the stored figures, the draft form and URLs.
"""
from dataclasses import dataclass

from .lines import FORMAT_2019, FORMAT_2021


SECTION_TITLES = (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
)


@dataclass(frozen=True)
class Group:
    """One block of section 二: the 第二十条 item, its column headers after 信息内容, and its rows."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (信息内容, cell keys in header order)


DECISIONS = "本年处理决定数量"
PREVIOUS, CHANGE = "上一年项目数量", "本年增/减"

SECTION2 = {
    FORMAT_2021: (
        Group("item1", "第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), (
            ("规章", ("rules.made", "rules.repealed", "rules.effective")),
            ("行政规范性文件", ("normative.made", "normative.repealed", "normative.effective")),
        )),
        Group("item5", "第二十条第（五）项", (DECISIONS,), (("行政许可", ("licensing.decisions",)),)),
        Group("item6", "第二十条第（六）项", (DECISIONS,), (
            ("行政处罚", ("penalty.decisions",)), ("行政强制", ("enforcement.decisions",)))),
        Group("item8", "第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", ("fees.amount",)),)),
    ),
    FORMAT_2019: (
        Group("item1", "第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), (
            ("规章", ("rules.made", "rules.published", "rules.total")),
            ("规范性文件", ("normative.made", "normative.published", "normative.total")),
        )),
        Group("item5", "第二十条第（五）项", (PREVIOUS, CHANGE, "处理决定数量"), (
            ("行政许可", ("licensing.previous", "licensing.change", "licensing.decisions")),
            ("其他对外管理服务事项", ("services.previous", "services.change", "services.decisions")),
        )),
        Group("item6", "第二十条第（六）项", (PREVIOUS, CHANGE, "处理决定数量"), (
            ("行政处罚", ("penalty.previous", "penalty.change", "penalty.decisions")),
            ("行政强制", ("enforcement.previous", "enforcement.change", "enforcement.decisions")),
        )),
        Group("item8", "第二十条第（八）项", (PREVIOUS, CHANGE), (
            ("行政事业性收费", ("fees.previous", "fees.change")),)),
        Group("item9", "第二十条第（九）项", ("采购项目数量", "采购总金额"), (
            ("政府集中采购", ("procurement.items", "procurement.amount")),)),
    ),
}
CONTENT_HEADER = "信息内容"

# Cells the portal computes from the catalog; every other cell of section 二 is entered by hand.
COMPUTED_CELLS = frozenset({"normative.made", "normative.repealed", "normative.effective",
                            "normative.published", "normative.total"})
NORMATIVE_LABELS = {"normative.made": "规范性文件·本年制发", "normative.repealed": "规范性文件·本年废止",
                    "normative.effective": "规范性文件·现行有效", "normative.published": "规范性文件·本年新公开",
                    "normative.total": "规范性文件·对外公开总数"}
AMOUNT_CELLS = frozenset({"fees.amount", "procurement.amount"})  # money: decimals allowed


def manual_cells(fmt: str) -> list[tuple[str, str]]:
    """(key, readable label) of every hand-entered cell of a format, in table order."""
    cells = []
    for group in SECTION2[fmt]:
        for label, keys in group.rows:
            for header, key in zip(group.headers, keys):
                if key not in COMPUTED_CELLS:
                    cells.append((key, f"{label}：{header}"))
    return cells


def value_kind(key: str) -> str:
    """How a hand-entered cell is checked: 'amount' (decimal), 'change' (may be negative) or 'count'."""
    if key in AMOUNT_CELLS:
        return "amount"
    return "change" if key.endswith(".change") else "count"


# Section 四: 行政复议 (5 columns) and 行政诉讼 split by 未经复议直接起诉 / 复议后起诉 (5 each).
RESULT_KEYS = (("upheld", "维持", "结果维持"), ("corrected", "纠正", "结果纠正"),
               ("other", "其他", "其他结果"), ("pending", "尚未审结", "尚未审结"))
TOTAL_LABEL = "总计"
SECTION4_GROUPS = (("review", "行政复议"), ("direct", "未经复议直接起诉"), ("after", "复议后起诉"))
SECTION4_KEYS = tuple(f"{group}.{key}" for group, _ in SECTION4_GROUPS for key in
                      [k for k, _, _ in RESULT_KEYS] + ["total"])


def section4_label(key: str) -> str:
    """A readable name for one section 四 cell, e.g. 行政诉讼·复议后起诉·结果纠正."""
    group, result = key.split(".")
    head = dict(SECTION4_GROUPS)[group]
    head = head if group == "review" else f"行政诉讼·{head}"
    label = TOTAL_LABEL if result == "total" else next(lab for k, _, lab in RESULT_KEYS if k == result)
    return f"{head}·{label}"
