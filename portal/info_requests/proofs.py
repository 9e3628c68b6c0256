"""Proof of identity on an online application (条例第二十九条: 申请人的身份证明): a copy of the 证件 and, for
an agent (代理人), the 授权委托书, asked for as the office's settings say (必须提交 / 可以提交 / 不要求).

Files pass the checks every upload passes (portal.core.uploads: type by content, safe names, size) and are
kept the same way: outside the web root under a generated name, removed again if the application's
transaction rolls back, swept if a killed process left one. A name with control or invisible characters
is refused, as for released files. Staff see them only after revealing the applicant (each view of a
file logged); they are removed with the applicant's personal data (retention.py).
"""
import secrets

from flask import current_app
from sqlalchemy import select

from ..core import audit
from ..core.uploads import MB, AttachmentError, Upload, check_upload, discard_file, refuse_hidden_characters, save_file
from ..extensions import db
from ..models import (
    AGENT_LETTER,
    CITIZEN,
    ID_COPY,
    PROOF_NOT_ASKED,
    PROOF_REQUIRED,
    InfoRequest,
    Office,
    ProofFile,
)

# extension → MIME type a proof file may have; the content must agree.
ALLOWED = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
KINDS = "PDF 或图片（JPG、PNG）"
WHAT = {ID_COPY: "身份证件复印件", AGENT_LETTER: "授权委托书"}
audit.label_actions({"view_proof": "查看身份证明材料"})
HINTS = {
    (ID_COPY, CITIZEN): "居民身份证等证件的复印件或照片（正反面可分两个文件）",
    (ID_COPY, ""): "营业执照或登记证书的复印件或照片",
    (AGENT_LETTER, ""): "由代理人申请的，上传申请人签名或盖章的授权委托书",
}


def max_file_bytes() -> int:
    """The largest proof file (PROOF_MAX_FILE_MB)."""
    return int(current_app.config["PROOF_MAX_FILE_MB"]) * MB


def max_files() -> int:
    """How many files of one kind an application may carry (PROOF_MAX_FILES)."""
    return int(current_app.config["PROOF_MAX_FILES"])


def hint(kind: str, applicant_type: str) -> str:
    """What to upload, for the form: by kind and, for the 证件, by applicant type; with the types and size."""
    text = HINTS.get((kind, applicant_type)) or HINTS[(kind, "")]
    return f"{text}；{KINDS}，每个文件不超过 {max_file_bytes() // MB} MB，最多 {max_files()} 个"


def asked(office: Office, kind: str) -> str:
    """The office's setting for this kind: 必须提交, 可以提交 or 不要求."""
    return office.id_proof if kind == ID_COPY else office.agent_proof


def needed(office: Office, kind: str, *, by_agent: bool) -> str:
    """What this applicant must do: the 授权委托书 is asked only of an application made by an agent."""
    if kind == AGENT_LETTER and not by_agent:
        return PROOF_NOT_ASKED
    return asked(office, kind)


def check_file(filename: str, data: bytes) -> Upload:
    """One proof file checked by its name and content (AttachmentError, in Chinese, if refused)."""
    refuse_hidden_characters(filename)
    return check_upload(filename, data, ALLOWED, zip_based=frozenset(), kinds=KINDS, max_bytes=max_file_bytes())


def check_files(office: Office, kind: str, files: list[tuple[str, bytes]], *, by_agent: bool) -> list[Upload]:
    """The files of one kind checked against the office's setting; ValueError (Chinese, one line per
    problem) when one is missing, too many or refused. Files of a kind not asked for are ignored."""
    setting = needed(office, kind, by_agent=by_agent)
    if setting == PROOF_NOT_ASKED:
        return []
    problems, checked = [], []
    if not files and setting == PROOF_REQUIRED:
        who = "由代理人申请的，" if kind == AGENT_LETTER else ""
        problems.append(f"{who}本机关要求提交{WHAT[kind]}，请选择文件（{KINDS}）")
    if len(files) > max_files():
        problems.append(f"{WHAT[kind]}最多上传 {max_files()} 个文件")
    for filename, data in files:
        try:
            checked.append(check_file(filename, data))
        except AttachmentError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("\n".join(problems))
    return checked


def attach(info_request: InfoRequest, proofs: list[tuple[str, Upload]]) -> list[ProofFile]:
    """Store (kind, file) pairs with the application, in the caller's transaction (a rollback removes them)."""
    rows = []
    for kind, upload in proofs:
        row = ProofFile(public_id=secrets.token_hex(16), info_request=info_request, kind=kind,
                        filename=upload.filename, stored_name=save_file(upload), mime_type=upload.mime_type,
                        size=len(upload.data))
        db.session.add(row)
        rows.append(row)
    return rows


def files_of(info_request: InfoRequest) -> list[ProofFile]:
    """The application's proof files: the 证件 first, then the 授权委托书, each in the order sent."""
    rows = db.session.scalars(select(ProofFile).filter_by(info_request_id=info_request.id).order_by(ProofFile.id))
    return sorted(rows, key=lambda row: row.kind != ID_COPY)


def proof_or_404(info_request: InfoRequest, public_id: str) -> ProofFile:
    """The application's proof file with this public id, or the 404 page."""
    return db.one_or_404(select(ProofFile).filter_by(info_request_id=info_request.id, public_id=public_id))


def remove_all(info_request: InfoRequest) -> int:
    """Delete the application's proof rows, their files going once the caller's transaction commits."""
    rows = files_of(info_request)
    for row in rows:
        discard_file(row.stored_name)
        db.session.delete(row)
    return len(rows)
