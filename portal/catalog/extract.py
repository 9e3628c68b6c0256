"""Attachment text for search, read by a child process that a hostile file cannot take the worker down with.

    result = extract_text("docx", data, Limits(memory_mb=512, seconds=20, max_chars=200_000))
    result.text      # "" unless result.outcome == "ok"
    result.notice    # the Chinese notice for staff when the file was kept without its text

The parsers (python-docx, openpyxl, pypdf) run in `python -I <this file>`: the child lowers its own
address-space limit (RLIMIT_AS) and CPU time before it reads the file, and the parent kills it when
the wall-clock limit passes. Running this file as a script imports nothing of the portal, so the child
starts in ~0.1 s. The module imports only the standard library at the top for the same reason.

Zip-based files (DOCX, XLSX) are checked before any of this by portal.core.uploads from their
zip directory; the limits here are the second wall, for what a directory cannot tell (a PDF's streams,
an XML that is slow rather than large).
"""
from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass

PARSED = ("pdf", "docx", "xlsx")  # the types whose text needs a parser (and so the child)

# How the child says what happened (0 is success, its text on stdout).
EXIT_UNREADABLE, EXIT_MEMORY = 2, 3

NOTICES = {
    "unreadable": "附件“{name}”已保存，但其中的文字无法读取（文件可能已损坏或加密），"
                  "检索时只能按标题、关键词等信息找到这条信息。",
    "memory": "附件“{name}”已保存，但提取其中文字所需的内存超过了 {memory_mb} MB 的限制，"
              "检索时只能按标题、关键词等信息找到这条信息。如需全文检索，请将文件拆分或另存为较小的 PDF 后重新上传。",
    "time": "附件“{name}”已保存，但提取其中文字超过了 {seconds} 秒的时间限制，"
            "检索时只能按标题、关键词等信息找到这条信息。如需全文检索，请将文件拆分或另存为较小的 PDF 后重新上传。",
}


@dataclass(frozen=True)
class Limits:
    """What one extraction may use: address space of the child, wall-clock seconds, characters kept."""

    memory_mb: int = 512
    seconds: float = 10  # with two files, still under gunicorn's default 30 s worker timeout
    max_chars: int = 200_000


@dataclass(frozen=True)
class Extraction:
    """The text read from a file, or why there is none ("ok", "unreadable", "memory", "time")."""

    text: str
    outcome: str = "ok"
    limits: Limits = Limits()

    def notice(self, name: str) -> str:
        """The notice for staff about the file `name` ("" when the text was read)."""
        if self.outcome == "ok":
            return ""
        return NOTICES[self.outcome].format(name=name, memory_mb=self.limits.memory_mb,
                                            seconds=f"{self.limits.seconds:g}")


def extract_text(extension: str, data: bytes, limits: Limits) -> Extraction:
    """Run the parser for `extension` on `data` in a limited child process; never raises for the file."""
    command = [sys.executable, "-I", os.path.abspath(__file__), extension,
               str(limits.memory_mb), str(max(1, int(limits.seconds) + 1)), str(limits.max_chars)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds,
                              env={"LANG": "C.UTF-8"}, check=False)
    except subprocess.TimeoutExpired:  # run() has killed and reaped the child
        return Extraction("", "time", limits)
    if done.returncode == 0:
        return Extraction(clean(done.stdout.decode("utf-8", "replace"))[:limits.max_chars])
    if done.returncode == EXIT_MEMORY or re.search(rb"MemoryError|memory allocation failed", done.stderr, re.I):
        return Extraction("", "memory", limits)
    if done.returncode in (-9, -24):  # SIGKILL / SIGXCPU: the CPU limit, the wall-clock backstop
        return Extraction("", "time", limits)
    return Extraction("", "unreadable", limits)


def clean(text: str) -> str:
    """Text as the database can store it: no NUL (PostgreSQL refuses it), no lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


# ---- the child ---------------------------------------------------------------------------------

def _docx(data: bytes, max_chars: int) -> str:
    """Paragraphs, then table cells, of a DOCX."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _xlsx(data: bytes, max_chars: int) -> str:
    """Cell values of every sheet, a line per row; stops reading once enough text is kept."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines, size = [], 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            line = " ".join(str(v) for v in row if v is not None)
            lines.append(line)
            size += len(line) + 1
            if size > max_chars:
                return "\n".join(lines)
    return "\n".join(lines)


def _pdf(data: bytes, max_chars: int) -> str:
    """Text of each page of a PDF; stops reading once enough text is kept."""
    from pypdf import PdfReader

    pages, size = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        pages.append(page.extract_text() or "")
        size += len(pages[-1]) + 1
        if size > max_chars:
            break
    return "\n".join(pages)


PARSERS = {"docx": _docx, "xlsx": _xlsx, "pdf": _pdf}


def _child(argv: list[str]) -> int:
    """Limit this process, read the file from stdin, write its text (UTF-8) to stdout."""
    extension, memory_mb, cpu_seconds, max_chars = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # a parser has no business writing files
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        data = sys.stdin.buffer.read()
        text = PARSERS[extension](data, max_chars)[:max_chars]
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(EXIT_MEMORY)  # nothing more can be allocated, not even a traceback
    except Exception as exc:  # a damaged file: say which error, for the parent's log
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:500])
        return EXIT_UNREADABLE
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
