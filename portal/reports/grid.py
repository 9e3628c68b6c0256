"""The header grids of the report's tables, shared by the HTML page, the .docx and the CSV.

A grid row lists the header cells that start on it (with their spans) and the ids of every header
that applies to its data cells, so HTML can set `headers` and the .docx can merge the same cells.
"""
from dataclasses import dataclass

from . import lines as rl
from .layout import RESULT_KEYS, SECTION2, SECTION4_GROUPS, SECTION4_KEYS, TOTAL_LABEL, section4_label

LABEL_COLUMNS = 3  # section 三: 一/二/三/四 · （一）… · 1.… before the seven data columns


@dataclass(frozen=True)
class Head:
    """One header cell: an id for `headers`, its text and spans."""

    id: str
    label: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class GridRow:
    """One body row of section 三: its row key, the heads starting on it, and all heads covering it."""

    key: str
    heads: tuple[Head, ...]
    header_ids: tuple[str, ...]
    label_path: tuple[str, ...]


def _rid(key: str) -> str:
    return f"s3-r-{key}"


def section3_rows(fmt: str) -> list[GridRow]:
    """The body rows of section 三 with merged label cells as in the official layout."""
    rows = rl.rows_for(fmt)
    block = [r for r in rows if r.counted and r.key not in (rl.NEW, rl.CARRIED_IN, rl.CARRIED_OUT)]
    children = {r.key: [c for c in rows if c.parent == r.key] for r in rows if r.level == 1 and not r.counted}
    results = next(r for r in rows if r.key == rl.RESULTS)
    results_head = Head(_rid(results.key), results.label, rowspan=len(block))
    grid, parent_head, first_in_block = [], None, True
    for row in rows:
        if row.level == 0 and row.counted:
            grid.append(GridRow(row.key, (Head(_rid(row.key), row.label, colspan=LABEL_COLUMNS),),
                                (_rid(row.key),), (row.label,)))
            continue
        if not row.counted:
            if row.level == 1:
                parent_head = Head(_rid(row.key), row.label, rowspan=len(children[row.key]))
            continue
        heads = [results_head] if first_in_block else []
        first_in_block = False
        if row.level == 1:
            heads.append(Head(_rid(row.key), row.label, colspan=2))
            grid.append(GridRow(row.key, tuple(heads), (results_head.id, _rid(row.key)),
                                (results.label, row.label)))
            continue
        if row.key.endswith("-1"):
            heads.append(parent_head)
        heads.append(Head(_rid(row.key), row.label))
        grid.append(GridRow(row.key, tuple(heads), (results_head.id, parent_head.id, _rid(row.key)),
                            (results.label, parent_head.label, row.label)))
    return grid


APPLICANT = Head("s3-c-applicant", "申请人情况", colspan=7)
ORG = Head("s3-c-org", "法人或其他组织", colspan=5)


def section3_column_heads() -> list[tuple[Head, ...]]:
    """The three header rows above the data columns (the note cell comes first, separately)."""
    citizen = Head("s3-c-citizen", rl.COLUMN_LABELS["citizen"], rowspan=2)
    total = Head("s3-c-total", rl.COLUMN_LABELS["total"], rowspan=2)
    kinds = tuple(Head(f"s3-c-{key}", rl.COLUMN_LABELS[key]) for key in rl.ORG_COLUMNS)
    return [(APPLICANT,), (citizen, ORG, total), kinds]


def section3_column_ids(column: str) -> tuple[str, ...]:
    """The column headers that apply to a data column of section 三."""
    if column in rl.ORG_COLUMNS:
        return (APPLICANT.id, ORG.id, f"s3-c-{column}")
    return (APPLICANT.id, f"s3-c-{column}")


def section4_heads() -> list[tuple[Head, ...]]:
    """The three header rows of section 四 (行政复议 5 columns, 行政诉讼 10 columns)."""
    results = [(key, label) for key, _, label in RESULT_KEYS] + [("total", TOTAL_LABEL)]
    review = tuple(Head(f"s4-review-{key}", label, rowspan=2) for key, label in results)
    groups = tuple(Head(f"s4-{group}", label, colspan=5) for group, label in SECTION4_GROUPS[1:])
    split = tuple(Head(f"s4-{group}-{key}", label) for group, _ in SECTION4_GROUPS[1:] for key, label in results)
    return [(Head("s4-review", "行政复议", colspan=5), Head("s4-litigation", "行政诉讼", colspan=10)),
            review + groups, split]


def section4_header_ids(key: str) -> tuple[str, ...]:
    """The headers of one section 四 data cell (key like 'after.upheld')."""
    group, result = key.split(".")
    if group == "review":
        return ("s4-review", f"s4-review-{result}")
    return ("s4-litigation", f"s4-{group}", f"s4-{group}-{result}")


def place(rows: list[tuple[Head, ...]], start_col: int = 0) -> list[tuple[int, int, Head]]:
    """(row, column, head) positions as a table lays them out, skipping cells taken by earlier spans."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, heads in enumerate(rows):
        c = start_col
        for head in heads:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, head))
            taken.update((r + dr, c + dc) for dr in range(head.rowspan) for dc in range(head.colspan))
            c += head.colspan
    return placed


def report_layout(fmt: str) -> dict:
    """What the table templates need for a format: grids, header ids and cell keys."""
    return {
        "section2": SECTION2[fmt], "section2_width": 1 + max(len(g.headers) for g in SECTION2[fmt]),
        "section3_rows": section3_rows(fmt), "section3_heads": section3_column_heads(),
        "columns": rl.COLUMNS, "column_ids": {key: " ".join(section3_column_ids(key)) for key, _ in rl.COLUMNS},
        "note": rl.NOTE, "section4_heads": section4_heads(), "section4_keys": SECTION4_KEYS,
        "section4_ids": {key: " ".join(section4_header_ids(key)) for key in SECTION4_KEYS},
        "section4_labels": {key: section4_label(key) for key in SECTION4_KEYS},
    }
