"""Attachment files: type checked by content, stored under a generated name, text extracted for search."""
import io
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from flask import current_app

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
    """Write the file under a generated name and return that name."""
    stored = f"{uuid.uuid4().hex}.{checked.extension}"
    (upload_dir() / stored).write_bytes(checked.data)
    return stored


def stored_path(stored_name: str) -> Path:
    """The path of a stored file (names are generated, never user input)."""
    return upload_dir() / PurePath(stored_name).name


def send_attachment(doc_id: int, attachment_id: int):
    """The download response for an entry's attachment: original name, checked type, no sniffing; or 404."""
    from flask import abort, send_file

    from ..extensions import db
    from ..models import Attachment

    item = db.session.get(Attachment, attachment_id)
    if item is None or item.document_id != doc_id:
        abort(404)
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
