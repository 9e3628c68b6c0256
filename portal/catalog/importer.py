"""Loading a catalog from JSON Lines or CSV: every problem reported by line and field, all or nothing.

Each line is published through the catalog's one write path (portal.catalog.workflow.record_published),
so every entry created or changed has its event and audit row, all in one transaction per file.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.db import transaction
from ..models.staff import User
from . import workflow
from .attachments import AttachmentError, check_file
from .fields import LABELS, check_fields
from .identity import find_existing


@dataclass
class LineError:
    """One problem, located for the person fixing the file."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        label = f"{LABELS.get(self.field, self.field)}（{self.field}）" if self.field else "整行"
        return f"第 {self.line} 行，{label}：{self.reason}"


@dataclass
class ImportReport:
    """What an import did: counts, and the errors that stopped or skipped lines."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[LineError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # files kept with a caveat (no text, name shortened)
    committed: bool = False


def read_records(path: Path) -> list[tuple[int, dict]]:
    """Read (line number, record) pairs; UTF-8 with or without BOM (Excel's CSV export has one)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("文件不是 UTF-8 编码。请在 Excel 中选择“CSV UTF-8（逗号分隔）”另存为后再导入。") from None
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return _json_lines(text)
    return _csv_rows(text)


def _json_lines(text: str) -> list[tuple[int, dict]]:
    """One JSON object per line; a line that is not one becomes an error record."""
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            value = {"__error__": f"不是有效的 JSON（第 {exc.colno} 列附近）"}
        if not isinstance(value, dict):
            value = {"__error__": "每行应为一个 JSON 对象"}
        records.append((number, value))
    return records


def _csv_rows(text: str) -> list[tuple[int, dict]]:
    """CSV with a header row; the line number is where the record starts (quoted fields may span lines)."""
    reader = csv.DictReader(io.StringIO(text))
    records, start = [], 2
    for row in reader:
        if None in row:
            row = {k: v for k, v in row.items() if k is not None} | {"__error__": "列数多于表头"}
        if any((v or "").strip() for k, v in row.items() if k != "__error__"):
            records.append((start, row))
        start = reader.line_num + 1
    return records


def _attachment_names(value) -> list[str]:
    """Attachments are a JSON list, or names separated by ; or | in a CSV cell."""
    if not value:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).replace("|", ";").split(";") if part.strip()]


def _unpublished_match(line: int, values: dict) -> list[LineError]:
    """A line may update a published entry, but never publish over a draft or a withdrawn entry."""
    existing = find_existing(values)
    if existing is None or existing.is_public:
        return []
    field = "index_number" if values.get("index_number") else "doc_number" if values.get("doc_number") else "title"
    return [LineError(line, field, workflow.import_conflict(existing))]


def import_file(path: Path, *, actor: User | str, skip_invalid: bool = False,
                max_bytes: int | None = None) -> ImportReport:
    """Import a catalog file in one transaction by `actor` (a staff user, or "命令行"); with errors nothing
    is written unless skip_invalid. A failure while writing rolls back every line and its files."""
    report = ImportReport()
    staged_lines = []
    for line, record in read_records(path):
        if "__error__" in record:
            report.errors.append(LineError(line, "", record.pop("__error__")))
            continue
        checked = check_fields(record)
        line_errors = [LineError(line, name, reason) for name, reason in checked.errors]
        files = []
        for name in _attachment_names(record.get("attachments") or record.get("附件")):
            target = (path.parent / name).resolve()
            if not target.is_relative_to(path.parent.resolve()) or not target.is_file():
                line_errors.append(LineError(line, "attachments", f"找不到附件文件“{name}”"))
                continue
            try:
                files.append(check_file(target.name, target.read_bytes(), max_bytes))
            except AttachmentError as exc:
                line_errors.append(LineError(line, "attachments", str(exc)))
            else:
                report.notices.extend(f"第 {line} 行：{notice}" for notice in files[-1].notices)
        if not line_errors:
            line_errors += _unpublished_match(line, checked.values)
        report.errors.extend(line_errors)
        if not line_errors:
            staged_lines.append((checked.values, files))
    bad_lines = len({e.line for e in report.errors})
    if report.errors and not skip_invalid:
        return report
    report.skipped = bad_lines
    docs = []
    with transaction():
        for values, files in staged_lines:
            doc, created = workflow.record_published(values, files, actor=actor, action="import")
            report.created += created
            report.updated += not created
            docs.append(doc)
    workflow.finish(*docs)
    report.committed = True
    return report
