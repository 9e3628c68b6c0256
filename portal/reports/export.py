"""The report as plain text (the catalog entry's body), CSV (UTF-8 with BOM, for Excel) and .docx.

All three read the same snapshot dict (`snapshot`): what a published report freezes and a draft
shows live — title, format, the three written sections and the figures of portal.reports.sections.
"""
import csv
import io

from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from . import lines as rl
from .grid import LABEL_COLUMNS, Head, place, section3_column_heads, section3_rows, section4_heads
from .layout import CONTENT_HEADER, SECTION2, SECTION4_KEYS, SECTION_TITLES, section4_label

COLUMN_KEYS = tuple(key for key, _ in rl.COLUMNS)
TEXT_SECTIONS = {0: "one", 4: "five", 5: "six"}


def report_title(office_name: str, year: int) -> str:
    """E.g. 上海市普陀区石泉路街道办事处2025年政府信息公开工作年度报告."""
    return f"{office_name}{year}年政府信息公开工作年度报告"


def snapshot(year: int, fmt: str, office_name: str, texts: dict, figures: dict) -> dict:
    """Everything a report shows, as JSON-able values (texts: one / five / six)."""
    return {"year": year, "format": fmt, "office": office_name, "title": report_title(office_name, year),
            "one": texts.get("one", ""), "five": texts.get("five", ""), "six": texts.get("six", ""),
            "figures": figures}


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a written section."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def section2_lines(report: dict) -> list[str]:
    """Section 二 as readable lines."""
    values, lines = report["figures"]["section2"], []
    for group in SECTION2[report["format"]]:
        for label, keys in group.rows:
            cells = "，".join(f"{header}{values[key]}" for header, key in zip(group.headers, keys))
            lines.append(f"{group.title} {label}：{cells}")
    return lines


def section3_lines(report: dict) -> list[str]:
    """Section 三 as readable lines, one per table row."""
    counts, lines = report["figures"]["section3"], []
    for row in section3_rows(report["format"]):
        cells = "，".join(f"{label}{counts[row.key][key]}" for key, label in rl.COLUMNS)
        lines.append(f"{' '.join(row.label_path)}：{cells}")
    return lines


def section4_lines(report: dict) -> list[str]:
    """Section 四 as readable lines."""
    values = report["figures"]["section4"]
    return ["，".join(f"{section4_label(key)}{values[key]}" for key in SECTION4_KEYS)]


def to_text(report: dict) -> str:
    """The whole report as text: the catalog entry's body, so search finds its words and figures."""
    tables = {1: section2_lines, 2: section3_lines, 3: section4_lines}
    out = []
    for n, title in enumerate(SECTION_TITLES):
        out.append(title)
        out.extend(paragraphs(report[TEXT_SECTIONS[n]]) if n in TEXT_SECTIONS else tables[n](report))
    return "\n".join(out)


def to_csv(report: dict) -> bytes:
    """The three tables as CSV blocks, UTF-8 with a BOM so Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    figures = report["figures"]
    writer.writerow([report["title"]])
    writer.writerow([SECTION_TITLES[1]])
    for group in SECTION2[report["format"]]:
        writer.writerow([group.title, CONTENT_HEADER, *group.headers])
        for label, keys in group.rows:
            writer.writerow(["", label, *(figures["section2"][key] for key in keys)])
    writer.writerow([])
    writer.writerow([SECTION_TITLES[2], rl.NOTE])
    writer.writerow(["项目", "", "", *(label for _, label in rl.COLUMNS)])
    for row in section3_rows(report["format"]):
        path = list(row.label_path) + [""] * (LABEL_COLUMNS - len(row.label_path))
        writer.writerow([*path, *(figures["section3"][row.key][key] for key in COLUMN_KEYS)])
    writer.writerow([])
    writer.writerow([SECTION_TITLES[3]])
    writer.writerow([section4_label(key) for key in SECTION4_KEYS])
    writer.writerow([figures["section4"][key] for key in SECTION4_KEYS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _font(run_or_style, name: str, size: float, bold: bool = False) -> None:
    """Set a Chinese font (python-docx sets only the Latin one unless eastAsia is given)."""
    font = run_or_style.font
    font.name, font.size, font.bold = name, Pt(size), bold
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _grid_table(doc, columns: int, heads: list[tuple[int, int, Head]], body: list[list[str]], head_rows: int):
    """A bordered table: header cells merged per their spans, then body rows of plain text."""
    table = doc.add_table(rows=head_rows + len(body), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, c, head in heads:
        cell = table.cell(r, c)
        if head.rowspan > 1 or head.colspan > 1:
            cell = cell.merge(table.cell(r + head.rowspan - 1, c + head.colspan - 1))
        cell.text = head.label
    for r, values in enumerate(body, start=head_rows):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    _font(run, "宋体", 9)
    return table


def _section2_docx(doc, report: dict) -> None:
    """Section 二: one table, a block per 第二十条 item; short rows span the remaining width."""
    groups = SECTION2[report["format"]]
    width = 1 + max(len(group.headers) for group in groups)
    heads, r = [], 0
    for group in groups:
        heads.append((r, 0, Head("", group.title, colspan=width)))
        for label, values in [(CONTENT_HEADER, group.headers)] + [
                (label, [report["figures"]["section2"][key] for key in keys]) for label, keys in group.rows]:
            r += 1
            heads.append((r, 0, Head("", label)))
            last = len(values) - 1
            heads.extend((r, c + 1, Head("", str(value), colspan=width - 1 - last if c == last else 1))
                         for c, value in enumerate(values))
        r += 1
    _grid_table(doc, width, heads, [], r)


def _section3_docx(doc, report: dict) -> None:
    """Section 三 in the official layout: the note cell, 申请人情况 headers, merged row labels."""
    note = Head("", rl.NOTE, rowspan=3, colspan=LABEL_COLUMNS)
    head_rows = section3_column_heads()
    heads = place([(note, *head_rows[0]), *head_rows[1:]])
    rows = section3_rows(report["format"])
    heads += [(r + 3, c, head) for r, c, head in place([row.heads for row in rows])]
    body = [[None] * LABEL_COLUMNS + [report["figures"]["section3"][row.key][key] for key in COLUMN_KEYS]
            for row in rows]
    _grid_table(doc, LABEL_COLUMNS + len(COLUMN_KEYS), heads, body, 3)


def _section4_docx(doc, report: dict) -> None:
    """Section 四: 行政复议 and 行政诉讼, one row of 15 numbers."""
    body = [[report["figures"]["section4"][key] for key in SECTION4_KEYS]]
    _grid_table(doc, len(SECTION4_KEYS), place(section4_heads()), body, 3)


def to_docx(report: dict) -> bytes:
    """The report in the usual layout: centred title, the six sections, the tables with their labels."""
    doc = DocxDocument()
    _font(doc.styles["Normal"], "仿宋", 14)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report["title"]), "宋体", 20, bold=True)
    tables = {1: _section2_docx, 2: _section3_docx, 3: _section4_docx}
    for n, heading in enumerate(SECTION_TITLES):
        _font(doc.add_paragraph().add_run(heading), "黑体", 15)
        if n in TEXT_SECTIONS:
            for text in paragraphs(report[TEXT_SECTIONS[n]]) or ["无。"]:
                paragraph = doc.add_paragraph(text)
                paragraph.paragraph_format.first_line_indent = Pt(28)
        else:
            tables[n](doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
