"""The application form (条例 Art. 29): fields per applicant type, checked with messages in Chinese."""
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ...core.fields import CheckboxGroup
from ...core.uploads import AttachmentError
from ...core.validators import Phone, ResidentId, Uscc
from .. import correction_online, releases
from ...models import AGENT_LETTER, CITIZEN, ID_COPY, ID_TYPES, OBTAIN_METHODS, ORG_KINDS, ORGANISATION, PROVIDE_FORMS
from .proof_forms import ProofForm, agent_field, proof_field


def required(label: str):
    """DataRequired with a message that names the field."""
    return DataRequired(message=f"请填写{label}")


class ApplicationForm(ProofForm, FlaskForm):
    """What Art. 29 asks for, and nothing more (用途 is no longer required)."""

    applicant_type = RadioField("申请人类型", choices={CITIZEN: "公民", ORGANISATION: "法人或其他组织"},
                                default=CITIZEN, validators=[DataRequired(message="请选择申请人类型")])
    # 公民
    name = StringField("姓名", validators=[Optional(), Length(max=50, message="姓名不能超过50个字")])
    id_type = SelectField("证件类型", choices=list(ID_TYPES), default=ID_TYPES[0])
    id_number = StringField("证件号码", validators=[Optional(), Length(max=40, message="证件号码过长")])
    # 法人或其他组织
    org_name = StringField("名称", validators=[Optional(), Length(max=100, message="名称不能超过100个字")])
    uscc = StringField("统一社会信用代码", validators=[Optional(), Uscc()])
    org_kind = RadioField("组织类型", choices=list(ORG_KINDS), validators=[Optional()])
    legal_representative = StringField("法定代表人", validators=[Optional(), Length(max=50)])
    contact_person = StringField("联系人姓名", validators=[Optional(), Length(max=50)])
    # Proof of identity, as the office asks for it (proof_forms.py)
    agent_name = agent_field()
    id_proof = proof_field(ID_COPY)
    agent_proof = proof_field(AGENT_LETTER)
    # Contact
    phone = StringField("联系电话", validators=[required("联系电话"), Phone()])
    email = StringField("电子邮箱", validators=[Optional(), Length(max=120),
                                              Email(message="电子邮箱格式不正确，例如 name@example.com")])
    address = StringField("通信地址", validators=[Optional(), Length(max=200, message="地址不能超过200个字")])
    postcode = StringField("邮政编码", validators=[Optional(), Regexp(r"^\d{6}$", message="邮政编码应为6位数字")])
    # The information asked for
    description = TextAreaField("所需政府信息的内容描述", validators=[
        required("所需政府信息的内容描述"),
        Length(min=5, max=2000, message="内容描述请写5至2000个字，尽量写明信息的名称、时间、范围等特征"),
    ])
    doc_title = StringField("文件名称（如知道）", validators=[Optional(), Length(max=300)])
    doc_number = StringField("文号（如知道）", validators=[Optional(), Length(max=64)])
    provide_forms = CheckboxGroup("信息的提供形式", choices=list(PROVIDE_FORMS),
                                  validators=[DataRequired(message="请至少选择一种提供形式")])
    obtain_methods = CheckboxGroup("获取信息的方式", choices=list(OBTAIN_METHODS),
                                   validators=[DataRequired(message="请至少选择一种获取方式")])
    # A field people never see; bulk-submitting robots fill it in.
    website = StringField("请勿填写此项")

    def validate(self, extra_validators=None) -> bool:
        """Run the field checks, then the ones that depend on the applicant type and chosen methods."""
        ok = super().validate(extra_validators)
        problems = []
        if self.applicant_type.data == ORGANISATION:
            for field, label in ((self.org_name, "名称"), (self.uscc, "统一社会信用代码"),
                                 (self.org_kind, "组织类型"), (self.legal_representative, "法定代表人"),
                                 (self.contact_person, "联系人姓名")):
                if not field.data:
                    problems.append((field, f"请填写{label}" if field is not self.org_kind else "请选择组织类型"))
        else:
            if not self.name.data:
                problems.append((self.name, "请填写姓名"))
            if not self.id_number.data:
                problems.append((self.id_number, "请填写证件号码"))
            elif self.id_type.data == "居民身份证":
                try:
                    ResidentId()(self, self.id_number)
                except ValidationError as exc:
                    problems.append((self.id_number, str(exc)))
        methods = set(self.provide_forms.data or []) | set(self.obtain_methods.data or [])
        if "电子邮件" in methods and not self.email.data:
            problems.append((self.email, "选择了电子邮件方式，请填写电子邮箱"))
        if methods & {"邮寄", "快递"} and not self.address.data:
            problems.append((self.address, "选择了邮寄或快递，请填写通信地址"))
        for field, message in problems:
            field.errors = list(field.errors) + [message]
        return self.check_proofs(ok and not problems)

    @property
    def is_organisation(self) -> bool:
        """Whether the organisation's fields are the ones shown."""
        return self.applicant_type.data == ORGANISATION

    def request_fields(self) -> dict:
        """The application's own columns."""
        return {
            "applicant_type": self.applicant_type.data,
            "org_kind": self.org_kind.data if self.is_organisation else None,
            "description": self.description.data.strip(),
            "doc_title": (self.doc_title.data or "").strip(),
            "doc_number": (self.doc_number.data or "").strip(),
            "provide_forms": "、".join(self.provide_forms.data),
            "obtain_methods": "、".join(self.obtain_methods.data),
        }

    def applicant_fields(self) -> dict:
        """The applicant's personal data, for its own table."""
        contact = {"phone": self.phone.data, "email": (self.email.data or "").strip(),
                   "address": (self.address.data or "").strip(), "postcode": self.postcode.data or "",
                   "agent_name": (self.agent_name.data or "").strip()}
        if self.is_organisation:
            return contact | {"name": self.org_name.data.strip(), "uscc": self.uscc.data,
                              "legal_representative": self.legal_representative.data.strip(),
                              "contact_person": self.contact_person.data.strip()}
        return contact | {"name": self.name.data.strip(), "id_type": self.id_type.data,
                          "id_number": self.id_number.data.strip()}


class TrackForm(FlaskForm):
    """Tracking number and query code."""

    number = StringField("申请编号（查询号）", validators=[required("申请编号"), Length(max=20)])
    code = StringField("查询码", validators=[required("查询码"), Length(max=20)])


class WithdrawForm(FlaskForm):
    """撤回: an optional reason, then a second step that confirms (`confirm` set by the confirmation page)."""

    reason = TextAreaField("撤回理由", validators=[Optional(), Length(max=200, message="撤回理由不能超过200个字")],
                           description="不填写也可以撤回。本机关只用于了解情况。")
    confirm = StringField("确认")


class CorrectionForm(FlaskForm):
    """The corrected request: text (required) and files where the points ask for them."""

    text = TextAreaField("补正后的申请内容", validators=[
        DataRequired("请填写补正后的申请内容"),
        Length(min=correction_online.TEXT_MIN, max=correction_online.TEXT_MAX,
               message=f"补正内容请写{correction_online.TEXT_MIN}至{correction_online.TEXT_MAX}个字")],
        description="请按补正告知书写明的事项逐条补充或更正，例如写明所需文件的名称、年份、文号")
    files = MultipleFileField("补正材料（如需要）", description=f"补正告知书要求提供材料的，可附上：{releases.KINDS}；"
                                                       "可一次选择多个文件，每个不超过规定大小")

    def validate(self, extra_validators=None) -> bool:
        """The field checks, then each file by its content (releases.check_file: type, size, name), into `uploads`."""
        valid = super().validate(extra_validators)
        self.uploads, errors = [], []
        for upload in self.files.data or []:
            if not getattr(upload, "filename", ""):
                continue  # the browser sends an empty part when no file was chosen
            try:
                self.uploads.append(releases.check_file(upload.filename, upload.read()))
            except AttachmentError as exc:
                errors.append(str(exc))
        if len(self.uploads) > releases.max_files():
            errors.append(f"一次最多附上 {releases.max_files()} 个文件，请合并或压缩为 ZIP 后上传")
        if errors:
            self.files.errors = [*self.files.errors, *errors, "补正未提交，请改正后重新选择全部文件。"]
        return valid and not errors
