"""Delivering the information released (条例 Art. 40): files attached to a 予以公开 or 部分公开 reply, downloaded
from the tracking page or through a mailed link, each download logged; paper handed over, recorded.

Files pass the same checks as catalog attachments (portal.core.uploads: type by content, safe names,
size, zip directory limits) and are stored the same way (outside the web root, under a generated name,
removed again if the reply's transaction rolls back, swept if a killed process left one). The applicant
names a file only by its random public id, and only from a browser session that gave the query code or
with a mailed token (kept as a hash, valid RELEASE_LINK_DAYS).
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort, current_app
from sqlalchemy import select

from ..core import audit
from ..core.clock import OFFICE_TZ, office_today, utcnow
from ..core.db import transaction
from ..core.templating import cn_date
from ..core.uploads import (
    MB,
    Upload,
    check_upload,
    refuse_hidden_characters,
    save_file,
    send_stored,
    stored_path,
)
from ..core.urls import external_url
from ..extensions import db
from ..models import (
    HANDOVER_METHODS,
    SHIPPED,
    Handover,
    InfoRequest,
    ReleaseDownload,
    ReleasedFile,
    ReleaseLink,
    User,
)
from . import outcomes as rl

OBJECT = "info_request"  # the audit rows file under the application (as portal.info_requests.steps)
EMAIL = "电子邮件"

# extension → MIME type a released file may have; the content must agree.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "txt": "text/plain",
    "zip": "application/zip",
}
ZIP_BASED = frozenset({"docx", "xlsx", "pptx", "zip"})  # judged by their zip directory: a bomb is refused
KINDS = "PDF、Word（DOCX）、Excel（XLSX）、PowerPoint（PPTX）、TXT、图片（JPG、PNG、GIF）或 ZIP 压缩文件"

audit.label_actions({"record_handover": "登记信息交付"})


def discloses(outcome: str, ground: str = "") -> bool:
    """Whether a reply hands information over (予以公开, or the disclosable part of 部分公开); 已经主动公开 points
    to where it is published instead."""
    return outcome in (rl.DISCLOSED, rl.PARTLY_DISCLOSED) and ground != rl.ALREADY_PUBLISHED


def max_file_bytes() -> int:
    """The largest released file (RELEASE_MAX_FILE_MB)."""
    return int(current_app.config["RELEASE_MAX_FILE_MB"]) * MB


def max_files() -> int:
    """How many files one reply may release (RELEASE_MAX_FILES)."""
    return int(current_app.config["RELEASE_MAX_FILES"])


def check_file(filename: str, data: bytes) -> Upload:
    """One released file checked by its content (AttachmentError, in Chinese, if refused).

    Stricter than a catalog attachment on one point: a name with control or invisible format characters
    (NUL, line breaks, bidi overrides that make "exe.pdf" read as "fdp.exe") is refused, not silently
    cleaned, because the applicant is to trust the name the office gave the file."""
    refuse_hidden_characters(filename)
    return check_upload(filename, data, ALLOWED, zip_based=ZIP_BASED, kinds=KINDS, max_bytes=max_file_bytes())


def check_released(outcome: str, ground: str, files: list[Upload]) -> None:
    """Refuse (in Chinese) files on a reply that releases nothing, or more files than allowed."""
    if files and not discloses(outcome, ground):
        raise ValueError("只有予以公开或部分公开的答复可以附上公开的政府信息文件；"
                         "已经主动公开的，请在答复说明中写明获取的方式和途径")
    if len(files) > max_files():
        raise ValueError(f"一次答复最多附上 {max_files()} 个文件，请合并或压缩为 ZIP 后上传")


def attach(info_request: InfoRequest, files: list[Upload]) -> list[ReleasedFile]:
    """Store the files with the application (in the caller's transaction: a rollback removes them)."""
    rows = []
    for upload in files:
        row = ReleasedFile(public_id=secrets.token_hex(16), info_request_id=info_request.id,
                           filename=upload.filename, stored_name=save_file(upload),
                           mime_type=upload.mime_type, size=len(upload.data))
        db.session.add(row)
        rows.append(row)
    return rows


def size_text(size: int) -> str:
    """A file size as residents read it: 820 字节, 35 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < MB:
        return f"{size / 1024:.0f} KB"
    return f"{size / MB:.1f} MB"


def released_paragraph(files: list[ReleasedFile], outcome: str) -> str:
    """What the 答复书 says about the files released: each by name and size, and where to download them."""
    listed = "；".join(f"{n}. {f.filename}（{size_text(f.size)}）" for n, f in enumerate(files, start=1))
    part = "（已对不予公开的内容作区分处理）" if outcome == rl.PARTLY_DISCLOSED else ""
    return (f"本机关公开的政府信息{part}共 {len(files)} 个文件：{listed}。"
            "您可以凭申请编号和查询码在本机关政府信息公开门户“依申请公开—查询申请”中下载。")


def wants_mail(info_request: InfoRequest) -> bool:
    """Whether the applicant asked for the information by e-mail (and gave an address to send the link to)."""
    asked = EMAIL in (info_request.obtain_methods or "").split("、") + (info_request.provide_forms or "").split("、")
    return asked and bool((info_request.applicant.email or "").strip())


def _hash(token: str) -> str:
    """The stored form of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def mail_link(info_request: InfoRequest, files: list[ReleasedFile], now: datetime | None = None) -> str:
    """For an applicant who asked for e-mail: a new download link (its token stored as a hash) and the
    paragraph the reply mail carries; "" when there is nothing to send."""
    if not files or not wants_mail(info_request):
        return ""
    token, days = secrets.token_urlsafe(32), int(current_app.config["RELEASE_LINK_DAYS"])
    expires = (now or utcnow()) + timedelta(days=days)
    db.session.add(ReleaseLink(info_request_id=info_request.id, token_hash=_hash(token), expires_at=expires))
    until = expires.astimezone(OFFICE_TZ)
    return (f"公开的政府信息请通过以下链接下载（{days} 日内有效，至 {cn_date(until.date())} {until:%H:%M}）：\n"
            f"{external_url('apply.released_by_link', token=token)}\n"
            "该链接仅供您本人使用，请勿转发。链接失效后，您仍可凭申请编号和查询码在门户“依申请公开—查询申请”中下载。")


@dataclass(frozen=True)
class LinkCheck:
    """A mailed link looked up: its application when valid, else why not ("unknown" or "expired")."""

    info_request: InfoRequest | None
    problem: str = ""


def find_link(token: str, now: datetime | None = None) -> LinkCheck:
    """The application a mailed token opens, if the token is known and not expired."""
    link = db.session.scalar(select(ReleaseLink).filter_by(token_hash=_hash(token or "")))
    if link is None:
        return LinkCheck(None, "unknown")
    if link.expires_at <= (now or utcnow()):
        return LinkCheck(None, "expired")
    return LinkCheck(link.info_request)


def files_of(info_request: InfoRequest) -> list[ReleasedFile]:
    """The files released to this applicant, oldest first."""
    return list(db.session.scalars(select(ReleasedFile).filter_by(info_request_id=info_request.id)
                                   .order_by(ReleasedFile.id)))


def handovers_of(info_request: InfoRequest) -> list[Handover]:
    """How the information was handed over on paper or disc, in the order recorded."""
    return list(db.session.scalars(select(Handover).filter_by(info_request_id=info_request.id).order_by(Handover.id)))


def released_file_or_404(info_request: InfoRequest, public_id: str) -> ReleasedFile:
    """The application's released file with this public id, or the 404 page."""
    return db.one_or_404(select(ReleasedFile).filter_by(info_request_id=info_request.id, public_id=public_id))


def send_released(item: ReleasedFile, via: str):
    """Log the download, then send the file: saved under its own name (RFC 5987), never sniffed or cached."""
    if not stored_path(item.stored_name).is_file():
        abort(404)
    with transaction():
        db.session.add(ReleaseDownload(released_file_id=item.id, via=via))
    return send_stored(item.stored_name, item.filename, item.mime_type)


def record_handover(info_request: InfoRequest, user: User, *, method: str, on: date, tracking_number: str = "",
                    note: str = "") -> Handover:
    """Record how and when the information reached the applicant (posted with its tracking number,
    collected, read at the office), audited; refused in Chinese when it cannot be so."""
    tracking_number, note = (tracking_number or "").strip(), (note or "").strip()
    if not discloses(info_request.outcome, info_request.ground) or info_request.replied_on is None:
        raise ValueError("只有予以公开或部分公开的答复才需要登记信息的交付")
    if method not in HANDOVER_METHODS:
        raise ValueError("请选择交付方式")
    if on > office_today():
        raise ValueError("交付日期不能晚于今天")
    if on < info_request.replied_on:
        raise ValueError(f"交付日期不能早于答复日期 {info_request.replied_on.isoformat()}")
    if method in SHIPPED and not tracking_number:
        raise ValueError(f"{method}的，请填写邮件或快递单号")
    with transaction():
        handover = Handover(info_request_id=info_request.id, method=method, on=on,
                            tracking_number=tracking_number if method in SHIPPED else "", note=note,
                            actor=user.name)
        db.session.add(handover)
        shipped = f"，单号 {handover.tracking_number}" if handover.tracking_number else ""
        audit.record("record_handover", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：登记信息交付（{method}，{on.isoformat()}{shipped}）",
                     after={"method": method, "on": on, "tracking_number": handover.tracking_number}, actor=user)
    return handover


def handover_text(handover: Handover) -> str:
    """A handover in words, for the timeline and the tracking page."""
    parts = [f"方式：{handover.method}"]
    if handover.tracking_number:
        parts.append(f"邮件或快递单号：{handover.tracking_number}")
    if handover.note:
        parts.append(handover.note)
    return "；".join(parts)


@dataclass(frozen=True)
class Released:
    """What an application released: its files and the handovers of paper or disc, with their texts."""

    files: list[ReleasedFile]
    handovers: list[Handover]
    size = staticmethod(size_text)
    handover_text = staticmethod(handover_text)


def released_of(info_request: InfoRequest) -> Released:
    """The files and handovers of an application (both empty before a reply that released information)."""
    return Released(files_of(info_request), handovers_of(info_request))


def timeline_rows(info_request: InfoRequest) -> list[tuple]:
    """(date, label, details, actor, recorded_at) for each download and handover, for the staff timeline."""
    rows = []
    for item in files_of(info_request):
        for download in item.downloads:
            rows.append((download.at.astimezone(OFFICE_TZ).date(), "申请人下载公开的信息",
                         f"{item.filename}（通过{download.via}）", "申请人", download.at))
    for handover in handovers_of(info_request):
        rows.append((handover.on, "登记信息交付", handover_text(handover), handover.actor, handover.recorded_at))
    return rows
