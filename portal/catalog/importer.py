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
from ..core.numbers import normalize_doc_number
from ..models.staff import User
from . import workflow
from .attachments import AttachmentError, check_file
from .fields import LABELS, check_fields
from .identity import find_existing, held_elsewhere
from .relations import IMPORT_ALIASES, IMPORT_FIELDS, NOT_REPEALED_LINE, AlreadyLinked, add_link, find_entries
from .rules import WorkflowError


@dataclass
class LineError:
    """One problem, located for the person fixing the file."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        name = LABELS.get(self.field) or IMPORT_FIELDS.get(self.field, self.field)
        label = f"{name}（{self.field}）" if self.field else "整行"
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
    """A line may update a published entry, but never publish over a draft or a withdrawn entry, nor name
    another office's entry by its 索引号."""
    existing = find_existing(values)
    if existing is None and (other := held_elsewhere(values.get("index_number"))) is not None:
        return [LineError(line, "index_number", f"索引号“{other.index_number}”是{other.office.name}的信息，"
                                                "不能导入到本机关；请在该机关导入，或删去索引号由本机关编号")]
    if existing is None or existing.is_public:
        return []
    field = "index_number" if values.get("index_number") else "doc_number" if values.get("doc_number") else "title"
    return [LineError(line, field, workflow.import_conflict(existing))]


def _references(record: dict) -> list[tuple[str, str]]:
    """The line's links as (field, 索引号 or 发文字号): a JSON list, or values separated by ; or | in CSV."""
    found = []
    for key, value in record.items():
        name = IMPORT_ALIASES.get((key or "").strip(), (key or "").strip())
        if name in IMPORT_FIELDS:
            found += [(name, reference) for reference in _attachment_names(value)]
    return found


def _line_keys(values: dict) -> set[str]:
    """What other lines of the file may name this line's entry by: its 索引号 and its 发文字号."""
    return {v for v in (values.get("index_number"), values.get("doc_number")) if v}


def _identity(line: int, values: dict) -> int | str:
    """Which entry a line writes: the existing one it updates (its id), or a new one (the line)."""
    complete = all(values.get(name) for name in ("title", "publisher", "published_date"))
    existing = find_existing(values) if complete or values.get("index_number") else None
    return existing.id if existing is not None else f"第 {line} 行"


def _reference_keys(reference: str) -> set[str]:
    """A reference as typed and as a normalised 发文字号 (石办[2024]6号 names 石办〔2024〕6号)."""
    return {reference, normalize_doc_number(reference) or reference}


def _named_in_file(reference: str, in_file: dict[str, set]) -> set:
    """The entries lines of this file write under the 索引号 or 发文字号 a reference names."""
    return set().union(*(in_file.get(key, set()) for key in _reference_keys(reference)))


def _file_keys(records: list) -> dict[str, set]:
    """索引号 or 发文字号 → the entries the file's valid lines write under it (for links between lines)."""
    in_file: dict[str, set] = {}
    for line, record in records:
        if "__error__" not in record:
            checked = check_fields(record)
            if not checked.errors:
                for key in _line_keys(checked.values):
                    in_file.setdefault(key, set()).add(_identity(line, checked.values))
    return in_file


def _reference_errors(line: int, values: dict, references: list[tuple[str, str]],
                      in_file: dict[str, set]) -> list[LineError]:
    """Each reference must name one entry, in the catalog or on another line of the file, not the line itself."""
    if not references:
        return []
    errors = []
    own = _identity(line, values)
    for name, reference in references:
        if name == "repealed_by" and values.get("validity") != "废止":
            errors.append(LineError(line, name, NOT_REPEALED_LINE))
            continue
        shown = reference[:64]
        keys = _reference_keys(reference)
        matches = {doc.id for doc in find_entries(reference)} | _named_in_file(reference, in_file)
        if own in matches or keys & _line_keys(values):
            errors.append(LineError(line, name, f"“{shown}”是本行信息自身，不能与自身关联"))
        elif not matches:
            errors.append(LineError(line, name, f"找不到索引号或发文字号为“{shown}”的信息"))
        elif len(matches) > 1:
            errors.append(LineError(line, name, f"“{shown}”对应多条信息，请改填索引号"))
    return errors


def _without_links_to_skipped(staged: list, in_file: dict[str, set], report: ImportReport) -> list:
    """Drop (with a line error) each line naming an entry that only a line with errors would have written: with
    --skip-invalid that line is not imported, so the link has nothing to point at. Repeated, as a dropped line
    may in turn be named by another."""
    while True:
        written = {_identity(line, values) for line, values, _files, _refs in staged}
        dropped = []
        for line, values, _files, references in staged:
            for name, reference in references:
                named = _named_in_file(reference, in_file)
                if named and not find_entries(reference) and not named & written:
                    report.errors.append(LineError(line, name, f"“{reference[:64]}”所在的行有错误，未导入，不能关联"))
                    dropped.append(line)
                    break
        if not dropped:
            return staged
        staged = [item for item in staged if item[0] not in dropped]


def _link_lines(staged: list[tuple[dict, list, list]], docs: list, actor) -> None:
    """After every line is written: link each entry to the ones its line names (an existing link is kept)."""
    for (_line, _values, _files, references), doc in zip(staged, docs):
        for name, reference in references:
            others = [d for d in find_entries(reference) if d.id != doc.id]
            if len(others) != 1:
                raise WorkflowError(f"“{reference}”对应的信息已变化，请重新导入")
            try:
                add_link(doc, others[0], name, actor)
            except AlreadyLinked:
                continue  # importing a file twice changes nothing


def import_file(path: Path, *, actor: User | str, skip_invalid: bool = False,
                max_bytes: int | None = None) -> ImportReport:
    """Import a catalog file in one transaction by `actor` (a staff user, or "命令行"); with errors nothing
    is written unless skip_invalid. A failure while writing rolls back every line and its files."""
    report = ImportReport()
    staged_lines = []
    records = read_records(path)
    # Only a file whose lines link entries pays for knowing what each line writes (a lookup per line).
    linking = any(_references(record) for _line, record in records if "__error__" not in record)
    in_file = _file_keys(records) if linking else {}
    for line, record in records:
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
        references = _references(record)
        line_errors += _reference_errors(line, checked.values, references, in_file)
        if not line_errors:
            line_errors += _unpublished_match(line, checked.values)
        report.errors.extend(line_errors)
        if not line_errors:
            staged_lines.append((line, checked.values, files, references))
    if linking:
        staged_lines = _without_links_to_skipped(staged_lines, in_file, report)
    bad_lines = len({e.line for e in report.errors})
    if report.errors and not skip_invalid:
        return report
    report.skipped = bad_lines
    docs = []
    with transaction():
        for _line, values, files, _refs in staged_lines:
            doc, created = workflow.record_published(values, files, actor=actor, action="import")
            report.created += created
            report.updated += not created
            docs.append(doc)
        _link_lines(staged_lines, docs, actor)
    workflow.finish(*docs)
    report.committed = True
    return report
