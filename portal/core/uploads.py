"""Uploaded files of every domain: name cleaned, type checked by content, archives judged before anything
inflates them, stored under a generated name outside the web root, and following the transaction.

Files follow the database transaction they were written in: a file written is removed again unless
that transaction commits, and a file discarded is removed only once it commits. So a failed import, a
refused upload or a rolled-back step leaves no file behind, and a rolled-back deletion keeps it. A
process killed between writing and committing (a worker timeout, SIGKILL) runs no hook: for that,
sweep_orphans() removes files no row names once they are older than any transaction can be.

A zip-based file whose directory exceeds the archive limits is refused: no office program writes such
a file, and the residents who download it would have their own programs inflate it.
"""
import logging
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePath

import filetype
from flask import Flask, abort, current_app, send_file
from sqlalchemy import event, select

from ..extensions import db
from ..models import Attachment, CorrectionFile, ProofFile, ReleasedFile
from .archives import ArchiveLimits, ArchiveRefused, check_archive
from .background import Worker

log = logging.getLogger(__name__)

FILENAME_MAX = Attachment.__table__.c.filename.type.length  # 255: what the column holds
DEFAULT_NAME = "附件"
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
MB = 1024 * 1024

ARCHIVE_MESSAGES = {
    "damaged": "附件“{name}”已损坏，无法作为 .{ext} 文件打开，已拒收。请用原程序打开、另存后重新上传。",
    "members": "附件“{name}”内含的文件超过 {limit} 个，不像正常的 .{ext} 文档，已拒收。",
    "member_size": "附件“{name}”中有一部分解压后超过 {limit} MB，不像正常的 .{ext} 文档"
                   "（可能是恶意构造的压缩文件），已拒收。请拆分文件或另存为 PDF 后上传。",
    "total_size": "附件“{name}”解压后超过 {limit} MB，不像正常的 .{ext} 文档"
                  "（可能是恶意构造的压缩文件），已拒收。请拆分文件或另存为 PDF 后上传。",
    "ratio": "附件“{name}”的压缩比异常（超过 {limit} 倍），不像正常的 .{ext} 文档"
             "（可能是恶意构造的压缩文件），已拒收。请用原程序打开、另存或另存为 PDF 后上传。",
}


class AttachmentError(ValueError):
    """An uploaded file was refused; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Upload:
    """A file whose type was verified from its content, with notices for staff (a shortened name)."""

    filename: str
    extension: str
    mime_type: str
    data: bytes
    notices: tuple[str, ...] = ()


def clean_filename(raw: str, limit: int = FILENAME_MAX) -> str:
    """A name safe to store and to send: NFC, no folders, no control or format characters (NUL, bidi
    overrides, zero-width), spaces collapsed, at most `limit` characters with its extension kept."""
    kept = []
    for c in unicodedata.normalize("NFC", raw or ""):
        category = unicodedata.category(c)
        if c in "\t\n\r\v\f" or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif category not in ("Cc", "Cf", "Cs"):
            kept.append(c)
    name = " ".join(PurePath("".join(kept).replace("\\", "/")).name.split()).rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16:  # no extension, or a sentence after a full stop: all of it is the stem
        stem, ext = name, ""
    stem = stem.strip(" .") or DEFAULT_NAME
    room = limit - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or DEFAULT_NAME[:room]
    return f"{stem}.{ext}" if ext else stem


def refuse_hidden_characters(filename: str) -> None:
    """Refuse (AttachmentError) a name with control or invisible format characters (NUL, line breaks, bidi
    overrides that make "exe.pdf" read as "fdp.exe") where the reader must trust the name as sent."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in filename or ""):
        raise AttachmentError(f"文件名“{clean_filename(filename)}”含有控制字符或不可见的格式字符，"
                              "请在电脑上重命名文件后重新选择。")


def check_upload(filename: str, data: bytes, allowed: dict[str, str], *, zip_based: frozenset[str], kinds: str,
                 max_bytes: int | None = None) -> Upload:
    """Verify that the content matches one of the `allowed` types (extension → MIME type; `kinds` names
    them for the message) and a zip-based one its archive limits; refuse anything else in Chinese."""
    name, notices = clean_filename(filename), []
    if name != clean_filename(filename, limit=len(filename or "") + len(DEFAULT_NAME) + 1):
        notices.append(f"附件名称超过 {FILENAME_MAX} 个字符，已缩短为“{name}”。")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed:
        raise AttachmentError(f"附件“{name}”的类型不受支持，请上传 {kinds}。")
    if not data:
        raise AttachmentError(f"附件“{name}”是空文件。")
    if max_bytes and len(data) > max_bytes:
        raise AttachmentError(f"附件“{name}”超过 {max_bytes // MB} MB 的大小限制。")
    expected = allowed[ext]
    if ext == "txt":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AttachmentError(f"附件“{name}”不是 UTF-8 编码的文本文件。") from exc
        return Upload(name, ext, expected + "; charset=utf-8", data, tuple(notices))
    kind = filetype.guess(data)
    if kind is None or kind.mime != expected:
        raise AttachmentError(f"附件“{name}”的内容与扩展名 .{ext} 不符，已拒收。")
    if ext in zip_based:
        _check_archive(name, ext, data)
    return Upload(name, ext, expected, data, tuple(notices))


def archive_limits() -> ArchiveLimits:
    """The archive limits from the settings (ARCHIVE_*), the defaults where unset."""
    config, default = current_app.config, ArchiveLimits()
    return ArchiveLimits(
        max_members=int(config.get("ARCHIVE_MAX_MEMBERS", default.max_members)),
        max_member_bytes=int(config.get("ARCHIVE_MAX_MEMBER_MB", default.max_member_bytes // MB)) * MB,
        max_total_bytes=int(config.get("ARCHIVE_MAX_UNZIPPED_MB", default.max_total_bytes // MB)) * MB,
        max_ratio=int(config.get("ARCHIVE_MAX_RATIO", default.max_ratio)))


def _check_archive(name: str, ext: str, data: bytes) -> None:
    """Refuse a zip-based file whose directory is damaged or exceeds a limit, before anything inflates it."""
    limits = archive_limits()
    try:
        check_archive(data, limits)
    except ArchiveRefused as exc:
        limit = {"members": limits.max_members, "member_size": limits.max_member_bytes // MB,
                 "total_size": limits.max_total_bytes // MB, "ratio": limits.max_ratio}.get(exc.reason, 0)
        log.warning("attachment refused by its zip directory (%s %s): %s", exc.reason, exc.value, name)
        raise AttachmentError(ARCHIVE_MESSAGES[exc.reason].format(name=name, ext=ext, limit=limit)) from None


def upload_dir() -> Path:
    """Where uploaded files live: outside static/, under instance/ by default."""
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_file(checked: Upload) -> str:
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


def download_name(filename: str, stored_name: str) -> str:
    """The name a download is saved under: the stored name cleaned again, so a name stored before names
    were cleaned (NUL, line breaks, bidi overrides) still gives a valid Content-Disposition header."""
    name = clean_filename(filename)
    suffix = PurePath(stored_name).suffix
    if name == DEFAULT_NAME or not name.lower().endswith(suffix.lower()):
        name = clean_filename(f"{name}{suffix}")
    return name


def send_stored(stored_name: str, filename: str, mime_type: str):
    """Send a stored file as a download under its own name (RFC 5987): never sniffed, never cached;
    the 404 page when the file is gone."""
    path = stored_path(stored_name)
    if not path.is_file():
        abort(404)
    mimetype = mime_type.split(";", 1)[0].strip()  # Werkzeug adds the charset of text/* itself
    response = send_file(path, mimetype=mimetype, as_attachment=True,
                         download_name=download_name(filename, stored_name), conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


# The columns that name stored files: a file none of them names is an orphan once old enough.
NAMED_BY = (Attachment.stored_name, ReleasedFile.stored_name, ProofFile.stored_name, CorrectionFile.stored_name)


def sweep_orphans(older_than: timedelta | None = None) -> list[str]:
    """Remove upload files that no row names and that are older than any transaction can be
    (UPLOAD_ORPHAN_HOURS, default 24): what a process killed between writing and committing left.

    Only files with a generated name are considered; the age is read before the rows, so a file written
    by a transaction still open is younger than the cut-off and stays. Returns the names removed."""
    hours = float(current_app.config.get("UPLOAD_ORPHAN_HOURS", 24))
    cutoff = time.time() - (older_than if older_than is not None else timedelta(hours=hours)).total_seconds()
    folder, old = upload_dir(), []
    for path in folder.iterdir():
        try:
            if STORED_NAME.match(path.name) and path.is_file() and path.stat().st_mtime < cutoff:
                old.append(path.name)
        except OSError:  # removed by a rollback meanwhile
            continue
    named = set()
    for at in range(0, len(old), 500):
        chunk = old[at:at + 500]
        for column in NAMED_BY:
            named.update(db.session.scalars(select(column).where(column.in_(chunk))))
    orphans = sorted(name for name in old if name not in named)
    _remove([folder / name for name in orphans])
    if orphans:
        log.warning("removed %d uploaded files that no row names (left by an interrupted upload)",
                    len(orphans))
    return orphans


def _sweep(app: Flask) -> bool:
    """The background sweep: once when a process starts serving, then every SWEEP_SECONDS."""
    sweep_orphans()
    db.session.rollback()  # end the read transaction; nothing was written
    return False


SWEEP_SECONDS = 6 * 3600
SWEEPER = Worker("uploads", _sweep, every=SWEEP_SECONDS)


def init_app(app: Flask) -> None:
    """Each serving process sweeps orphan upload files when it starts and every six hours."""
    SWEEPER.init_app(app)
