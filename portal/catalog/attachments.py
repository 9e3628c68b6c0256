"""Attachment files: type checked by content, stored under a generated name, text extracted for search.

Files follow the database transaction they were written in: a file written is removed again unless
that transaction commits, and a file discarded is removed only once it commits. So a failed import, a
refused upload or a crash before the commit leaves no file behind, and a rolled-back deletion keeps it.
"""
import io
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from flask import abort, current_app, send_file
from sqlalchemy import event, select

from ..extensions import db
from ..models import Attachment

log = logging.getLogger(__name__)

# extension → MIME type accepted for it; the content must agree.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "txt": "text/plain",
}
EXTRACT_LIMIT = 200_000  # characters of attachment text kept for search


class AttachmentError(ValueError):
    """An attachment was refused; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class CheckedFile:
    """A file whose type was verified from its content."""

    filename: str
    extension: str
    mime_type: str
    data: bytes


def check_file(filename: str, data: bytes, max_bytes: int | None = None) -> CheckedFile:
    """Verify that the content matches an allowed type; refuse anything else with a Chinese message."""
    name = PurePath(filename.replace("\\", "/")).name.strip() or "附件"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise AttachmentError(f"附件“{name}”的类型不受支持，请上传 PDF、DOCX、XLSX、TXT 或图片文件。")
    if not data:
        raise AttachmentError(f"附件“{name}”是空文件。")
    if max_bytes and len(data) > max_bytes:
        raise AttachmentError(f"附件“{name}”超过 {max_bytes // (1024 * 1024)} MB 的大小限制。")
    expected = ALLOWED[ext]
    if ext == "txt":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AttachmentError(f"附件“{name}”不是 UTF-8 编码的文本文件。") from exc
        return CheckedFile(name, ext, expected + "; charset=utf-8", data)
    kind = filetype.guess(data)
    if kind is None or kind.mime != expected:
        raise AttachmentError(f"附件“{name}”的内容与扩展名 .{ext} 不符，已拒收。")
    return CheckedFile(name, ext, expected, data)


def upload_dir() -> Path:
    """Where attachment files live: outside static/, under instance/ by default."""
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_file(checked: CheckedFile) -> str:
    """Write the file under a generated name and return that name; it stays only if the transaction commits."""
    stored = f"{uuid.uuid4().hex}.{checked.extension}"
    path = upload_dir() / stored
    _until_commit(WRITTEN).append(path)
    path.write_bytes(checked.data)
    return stored


def discard_file(stored_name: str) -> None:
    """Remove a stored file once the current transaction commits (kept if it rolls back)."""
    _until_commit(DISCARDED).append(stored_path(stored_name))


def stored_path(stored_name: str) -> Path:
    """The path of a stored file (names are generated, never user input)."""
    return upload_dir() / PurePath(stored_name).name


# session.info keys: the files the open transaction wrote, and those it will remove.
WRITTEN, DISCARDED = "catalog.files_written", "catalog.files_discarded"


def _until_commit(key: str) -> list[Path]:
    """The session's list of files for `key`, kept until its transaction ends (one is begun if none is)."""
    session = db.session()
    if not session.in_transaction():
        session.begin()
    return session.info.setdefault(key, [])


@event.listens_for(db.session, "after_commit")
def _keep_written_files(session) -> None:
    """The transaction is durable: the files it wrote stay, the files it discarded go."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction decides
    session.info.pop(WRITTEN, None)
    _remove(session.info.pop(DISCARDED, []))


@event.listens_for(db.session, "after_transaction_end")
def _drop_uncommitted_files(session, transaction) -> None:
    """A transaction that ends without committing (rollback, close) takes the files it wrote with it."""
    if transaction.parent is None:
        _remove(session.info.pop(WRITTEN, []))
        session.info.pop(DISCARDED, None)


def _remove(paths: list[Path]) -> None:
    """Remove files; one already gone is not an error, one that cannot be removed is logged."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove attachment file %s", path, exc_info=True)


def send_attachment(doc_id: int, attachment_id: int):
    """The download response for an entry's attachment: original name, checked type, no sniffing; or 404."""
    item = db.first_or_404(select(Attachment).filter_by(id=attachment_id, document_id=doc_id))
    path = stored_path(item.stored_name)
    if not path.is_file():
        abort(404)
    # Werkzeug adds "; charset=utf-8" to text/* itself: pass the bare type so it is not said twice.
    mimetype = item.mime_type.split(";", 1)[0].strip()
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=item.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def extract_text(checked: CheckedFile) -> str:
    """Text of the attachment for search; a file we cannot read yields no text, not an error."""
    try:
        if checked.extension == "txt":
            text = checked.data.decode("utf-8-sig")
        elif checked.extension == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(checked.data))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        elif checked.extension == "docx":
            import docx

            document = docx.Document(io.BytesIO(checked.data))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                parts.extend(cell.text for row in table.rows for cell in row.cells)
            text = "\n".join(parts)
        elif checked.extension == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True)
            text = "\n".join(
                " ".join(str(v) for v in row if v is not None)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        else:
            text = ""
    except Exception:  # a damaged file still gets attached; only its text is missing
        log.warning("could not extract text from %s", checked.filename, exc_info=True)
        text = ""
    return text[:EXTRACT_LIMIT]
