"""Attachment files of catalog entries: checked by portal.core.uploads (name, type by content, archive
limits), their text extracted for search in a limited child process, stored under a generated name.

Storage follows the database transaction and orphans are swept (portal.core.uploads). What is refused
and what is kept without its text: a file whose zip directory exceeds the archive limits is refused
(core.uploads); a file that passes those checks but whose text cannot be read within the extraction
limits is kept (its metadata stays searchable) with a notice to staff, because the text serves only
search and an entry must not miss its publication deadline over it.
"""
import logging
from dataclasses import dataclass

from flask import abort, current_app, send_file
from sqlalchemy import select

from ..core.uploads import (  # noqa: F401  (the catalog's callers and tests name these here)
    DEFAULT_NAME,
    FILENAME_MAX,
    MB,
    SWEEPER,
    AttachmentError,
    Upload,
    check_upload,
    clean_filename,
    discard_file,
    save_file,
    stored_path,
    sweep_orphans,
    upload_dir,
)
from ..core import uploads
from ..extensions import db
from ..models import Attachment
from .extract import PARSED, Limits, clean
from .extract import extract_text as extract_in_child

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
ZIP_BASED = frozenset({"docx", "xlsx"})  # judged by their zip directory before any parser opens them
KINDS = "PDF、DOCX、XLSX、TXT 或图片文件"
EXTRACT_LIMIT = 200_000  # characters of attachment text kept for search


@dataclass(frozen=True)
class CheckedFile(Upload):
    """A file whose type was verified from its content, with its text for search and notices for staff."""

    text: str = ""


def check_file(filename: str, data: bytes, max_bytes: int | None = None) -> CheckedFile:
    """Verify that the content matches an allowed type (and an archive its limits) and read its text;
    refuse anything else with a Chinese message."""
    upload = check_upload(filename, data, ALLOWED, zip_based=ZIP_BASED, kinds=KINDS, max_bytes=max_bytes)
    name, ext, notices = upload.filename, upload.extension, list(upload.notices)
    if ext == "txt":
        # Decoding is bounded by the upload size: no parser, no child process.
        text = clean(data.decode("utf-8-sig")[:EXTRACT_LIMIT])
        return CheckedFile(name, ext, upload.mime_type, data, tuple(notices), text)
    text = ""
    if ext in PARSED:
        result = extract_in_child(ext, data, text_limits())
        if result.outcome != "ok":
            log.warning("attachment text not extracted (%s): %s", result.outcome, name)
            notices.append(result.notice(name))
        text = result.text
    return CheckedFile(name, ext, upload.mime_type, data, tuple(notices), text)


def text_limits() -> Limits:
    """The extraction limits from the settings (ATTACHMENT_TEXT_*), the defaults where unset."""
    config, default = current_app.config, Limits()
    return Limits(memory_mb=int(config.get("ATTACHMENT_TEXT_MEMORY_MB", default.memory_mb)),
                  seconds=float(config.get("ATTACHMENT_TEXT_SECONDS", default.seconds)),
                  max_chars=EXTRACT_LIMIT)


def extract_text(checked: CheckedFile) -> str:
    """Text of the attachment for search, read when it was checked (see check_file)."""
    return checked.text


def send_attachment(doc_id: int, attachment_id: int):
    """The download response for an entry's attachment: original name, checked type, no sniffing; or 404."""
    item = db.first_or_404(select(Attachment).filter_by(id=attachment_id, document_id=doc_id))
    path = stored_path(item.stored_name)
    if not path.is_file():
        abort(404)
    # Werkzeug adds "; charset=utf-8" to text/* itself: pass the bare type so it is not said twice.
    mimetype = item.mime_type.split(";", 1)[0].strip()
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=download_name(item))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def download_name(item: Attachment) -> str:
    """The name an entry's attachment is saved under (portal.core.uploads.download_name)."""
    return uploads.download_name(item.filename, item.stored_name)
