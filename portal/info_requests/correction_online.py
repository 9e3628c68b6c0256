"""补正 online (条例 Art. 30, 31(三)): the applicant sends the corrected request on the tracking page; staff confirm it.

Sending records CORRECTION_SUBMITTED at once (the text and files kept in OnlineCorrection) and mails a
补正接收回执; the application stays 待补正. Its receipt date is the day staff confirm it with the applicant
(the same 待确认 rule as a new online application): the confirmation records CORRECTED_RECEIVED on that day,
from which the new 20 working days run, and mails a 补正确认书 with the new reply date. A correction sent
after the 补正 period is kept and marked late; staff then record 视为放弃, or confirm it with the good reason
(corrections.py holds the rules the engine applies).
"""
import secrets
from dataclasses import dataclass
from datetime import date

from flask import abort, send_file
from sqlalchemy import exists, select

from ..core import audit
from ..core.clock import office_today
from ..core.templating import cn_date
from ..core.uploads import Upload, discard_file, download_name, save_file, stored_path
from ..extensions import db
from ..models import CorrectionFile, InfoRequest, Letter, OnlineCorrection, Office, User
from . import events as ev
from .corrections import check_confirmed
from .deadlines import DeadlineState
from .letters import REGULATION, compose, contact_line, due_phrase, make_letter
from .records import deadline_of
from .releases import max_files
from .steps import step

TEXT_MIN, TEXT_MAX = 5, 2000
SENT_NOTE = "申请人通过门户在线提交补正"
CONFIRMED_NOTE = "确认在线提交的补正"

audit.label_actions({"submit_correction": "申请人在线提交补正", "confirm_correction": "确认在线补正"})


def points_of(info_request: InfoRequest) -> str:
    """The points the 补正告知书 asked to correct (kept as the CORRECTION_REQUESTED event's note)."""
    row = next((e for e in reversed(info_request.events) if e.kind == ev.EventKind.CORRECTION_REQUESTED), None)
    return row.note if row is not None else ""


def sent_correction(info_request: InfoRequest) -> OnlineCorrection | None:
    """The correction the applicant sent online, if any."""
    return db.session.scalar(select(OnlineCorrection).filter_by(info_request_id=info_request.id))


def remove_correction(info_request: InfoRequest, removed: str) -> int:
    """Blank the text sent online and delete its files (gone once the caller's transaction commits), for the
    purge at the 个人信息保存期限 (retention.py); returns how many files went."""
    correction = sent_correction(info_request)
    if correction is None:
        return 0
    correction.text = removed
    rows = list(correction.files)
    for row in rows:
        discard_file(row.stored_name)
        db.session.delete(row)
    return len(rows)


def may_send(deadline: DeadlineState) -> bool:
    """Whether the engine would take an online correction today (待补正, none sent yet)."""
    return ev.EventKind.CORRECTION_SUBMITTED in deadline.allowed


def waiting(deadline: DeadlineState) -> bool:
    """A correction was sent online and waits for confirmation."""
    return deadline.state == ev.Status.AWAITING_CORRECTION and deadline.correction_sent_on is not None


def waiting_condition():
    """SQL for applications whose online correction waits for staff to confirm it (the queue's filter)."""
    return exists(select(OnlineCorrection.id).where(OnlineCorrection.info_request_id == InfoRequest.id)) & (
        InfoRequest.state == ev.Status.AWAITING_CORRECTION.value)


def check_correction(text: str, files: list[Upload]) -> str:
    """The text cleaned; refused in Chinese when empty, too short or too long, or with too many files."""
    text = (text or "").strip()
    if not text:
        raise ValueError("请填写补正后的申请内容")
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise ValueError(f"补正内容请写{TEXT_MIN}至{TEXT_MAX}个字")
    if len(files) > max_files():
        raise ValueError(f"一次最多附上 {max_files()} 个文件，请合并或压缩为 ZIP 后上传")
    return text


def receipt_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState,
                   files: int) -> Letter:
    """补正接收回执: sent, waiting for confirmation (Art. 31(三)); late ones are told staff will decide."""
    paragraphs = [
        f"您于{cn_date(day)}通过本机关政府信息公开门户提交了补正后的申请（申请编号：{info_request.tracking_number}"
        + (f"，附件 {files} 个" if files else "") + "）。",
        f"根据{REGULATION}第三十一条第（三）项，通过互联网提交的，以双方确认之日为收到之日。工作人员将与您确认，"
        "答复期限自确认收到补正后的申请之日起重新计算（20个工作日，当日不计入），确认后本机关将另行告知您答复期限。",
    ]
    if deadline.correction_sent_late:
        paragraphs.append(f"您的补正晚于补正期限（{cn_date(deadline.abandon_after)}）提交。"
                          "本机关将审查是否有正当理由；无正当理由逾期补正的，视为放弃申请（第三十条）。")
    paragraphs.append(contact_line(office))
    return make_letter("补正接收回执", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))


def confirmed_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState) -> Letter:
    """补正确认书: the correction is received on the confirmation day; the new reply date (暂定 if estimated)."""
    paragraphs = [
        f"您于{cn_date(deadline.correction_sent_on)}通过门户提交的补正后的申请（申请编号：{info_request.tracking_number}），"
        f"本机关已于{cn_date(day)}与您确认收到。",
        f"根据{REGULATION}第三十条、第三十三条，答复期限自收到补正后的申请之日起重新计算，"
        f"本机关将于{due_phrase(deadline.due_date, deadline)}前予以答复；需要延长答复期限的，将书面告知您。",
        contact_line(office),
    ]
    return make_letter("补正确认书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))


def submit_correction(info_request: InfoRequest, text: str, files: list[Upload]) -> OnlineCorrection:
    """The applicant sends the corrected request today: event, text and files kept, 补正接收回执 mailed.

    Refused (ValueError in Chinese, nothing kept, no file left behind) when the application no longer
    waits for a correction, one was already sent, or the input is not acceptable."""
    text = check_correction(text, files)
    today, office = office_today(), info_request.office
    with step(info_request, None) as s:
        s.record(ev.correction_submitted(today), note=SENT_NOTE)
        deadline = s.deadline()
        row = OnlineCorrection(info_request_id=info_request.id, text=text, sent_on=today,
                               late=deadline.correction_sent_late)
        for upload in files:
            row.files.append(CorrectionFile(public_id=secrets.token_hex(16), filename=upload.filename,
                                            stored_name=save_file(upload), mime_type=upload.mime_type,
                                            size=len(upload.data)))
        db.session.add(row)
        s.issue(receipt_letter(info_request, office, today, deadline, len(files)),
                subject=f"【{office.short_name}】补正后的申请已收到（{info_request.tracking_number}）")
        s.audit("submit_correction", "申请人在线提交补正" + ("（晚于补正期限）" if row.late else "")
                + (f"，附件 {len(files)} 个" if files else ""))
    return row


def confirm_correction(info_request: InfoRequest, on: date, user: User, *, reason: str = "") -> InfoRequest:
    """Staff confirm the online correction on `on`: received that day, the 20 working days restart, 补正确认书 mailed.

    Refused in Chinese for a date before the day it was sent, or a late one without the good reason."""
    reason = (reason or "").strip()
    deadline = deadline_of(info_request)
    if not waiting(deadline):
        raise ValueError("没有等待确认的在线补正")
    check_confirmed(deadline.correction_sent_on, deadline.correction_sent_late, on, reason)
    with step(info_request, user) as s:
        s.record(ev.corrected_received(on, reason), note=CONFIRMED_NOTE)
        s.issue(confirmed_letter(info_request, info_request.office, on, s.deadline()))
        s.audit("confirm_correction", f"确认收到在线提交的补正（{on}），答复期限重新起算"
                + (f"；逾期补正，接受理由：{reason}" if reason else ""))
    return info_request


@dataclass(frozen=True)
class Correction:
    """What the pages show about 补正: the points, the deadline told, and any correction sent online."""

    points: str
    due: date | None
    estimated: bool
    sent: OnlineCorrection | None
    may_send: bool
    waiting: bool
    late: bool


def correction_of(info_request: InfoRequest, deadline: DeadlineState) -> Correction | None:
    """The 补正 panel's facts, or None when no 补正 was ever asked for."""
    if deadline.correction_due is None:
        return None
    told_later = deadline.abandon_after not in (None, deadline.correction_due)
    return Correction(points_of(info_request), deadline.abandon_after or deadline.correction_due,
                      deadline.is_estimated("correction_due") and not told_later, sent_correction(info_request),
                      may_send(deadline), waiting(deadline), deadline.correction_sent_late)


def correction_file_or_404(info_request: InfoRequest, public_id: str) -> CorrectionFile:
    """The application's correction file with this public id, or the 404 page."""
    return db.one_or_404(select(CorrectionFile).join(OnlineCorrection).where(
        OnlineCorrection.info_request_id == info_request.id, CorrectionFile.public_id == public_id))


def send_correction_file(item: CorrectionFile):
    """The file as a download under its own name: never shown inline, sniffed or cached."""
    path = stored_path(item.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=item.mime_type.split(";", 1)[0].strip(), as_attachment=True,
                         download_name=download_name(item.filename, item.stored_name), conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response
