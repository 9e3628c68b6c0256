"""The application form's proof of identity (proofs.py): the agent's name and the file fields, asked for
as the office's settings say, each file checked by its content when the form validates."""
from flask_wtf.file import MultipleFileField
from wtforms import StringField
from wtforms.validators import Length, Optional

from ...models import AGENT_LETTER, ID_COPY, PROOF_NOT_ASKED, PROOF_REQUIRED, Office
from .. import proofs

RESELECT = "表单未能提交，已选择的文件没有保存：请改正后重新选择文件。"


def agent_field() -> StringField:
    """The 代理人's name (made in the form's body, so it sits where the form puts it)."""
    return StringField("代理人姓名", validators=[Optional(), Length(max=50, message="代理人姓名不能超过50个字")],
                       description="由他人代为申请的，填写代理人的姓名；本人申请的不填")


def proof_field(kind: str) -> MultipleFileField:
    """A file field for one kind of proof."""
    return MultipleFileField(proofs.WHAT[kind])


class ProofForm:
    """Mixed into the application form (with its agent_name, id_proof and agent_proof fields, its validate()
    ending in check_proofs): the office's settings decide which files are asked for and which are required; checked files end in
    `proof_uploads` as (kind, Upload). A browser never keeps a chosen file, so a form returned with any
    error asks for the files again (the typed text stays)."""

    def proofs_asked(self) -> dict:
        """For the template: the office's setting per kind, and the hint per kind for this applicant type."""
        office = Office.current()
        return {kind: {"setting": proofs.asked(office, kind), "hint": proofs.hint(kind, self.applicant_type.data)}
                for kind in (ID_COPY, AGENT_LETTER)}

    def _proof_fields(self) -> dict:
        """The file field of each kind."""
        return {ID_COPY: self.id_proof, AGENT_LETTER: self.agent_proof}

    def check_proofs(self, valid: bool) -> bool:
        """After the form's own checks (`valid`, their verdict): the files of each kind asked for."""
        office, by_agent = Office.current(), bool((self.agent_name.data or "").strip())
        self.proof_uploads, refused, chosen = [], False, []
        for kind, field in self._proof_fields().items():
            files = [(f.filename, f.read()) for f in field.data or [] if getattr(f, "filename", "")]
            if files and proofs.needed(office, kind, by_agent=by_agent) != PROOF_NOT_ASKED:
                chosen.append(field)
            try:
                self.proof_uploads += [(kind, upload) for upload in
                                       proofs.check_files(office, kind, files, by_agent=by_agent)]
            except ValueError as exc:
                field.errors = [*field.errors, *str(exc).split("\n")]
                refused = True
        if not valid or refused:
            for field in chosen:
                field.errors = [*field.errors, RESELECT]
        return valid and not refused

    def is_required(self, kind: str) -> bool:
        """Whether the field of this kind is marked （必填）: the 授权委托书 is required only of an agent."""
        return kind == ID_COPY and Office.current().id_proof == PROOF_REQUIRED
