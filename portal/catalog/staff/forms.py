"""Forms of the publishing area: the entry with every metadata field, and the workflow steps.

The entry form checks its fields with portal.catalog.fields.check_fields, the importer's checks, so a
file import and the form accept and normalise the same values (发文字号, 主题分类, dates).
"""
from datetime import date

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ...core.clock import office_today
from ...core.fields import BAD_DATE_MESSAGE
from ...core.inputs import parse_int
from ...models import TIMELINESS, VALIDITIES, Office
from ..attachments import AttachmentError, check_file
from ..fields import check_fields
from ..identity import duplicate_message, duplicate_of
from ..relations import ROLE_CHOICES
from ..themes import DOC_TYPES, theme_tree

REQUIRED = "请填写此项"
CHOOSE = "请从列表中选择"
# check_fields states these reasons about the import's 发布日期; the form's 发布日期 is today.
LATER_THAN_TODAY = "成文日期不能晚于今天"


def options(values, blank: str | None = None) -> list[SelectChoice]:
    """Options whose label is their value, after an optional empty "please choose" option."""
    return ([SelectChoice("", blank)] if blank else []) + [SelectChoice(v) for v in values]


def category_choices() -> list[SelectChoice]:
    """主题分类 as option groups: each top class (as a whole) and its sub-classes."""
    choices = [SelectChoice("", "请选择主题分类")]
    for top, subs in theme_tree().items():
        choices.append(SelectChoice(top, f"{top}（不细分）", optgroup=top))
        choices += [SelectChoice(f"{top}\\{sub}", sub, optgroup=top) for sub in subs]
    return choices


class VersionSeen:
    """Forms that carry the entry's version as the user saw it, so a stale form is refused, not merged."""

    @property
    def version_seen(self) -> int | None:
        """The entry's version when the form was opened (None on a new entry, or when it is not a number)."""
        return parse_int(self.version.data)


class EntryForm(VersionSeen, FlaskForm):
    """One 主动公开 entry: every field of DOMAIN.md except 索引号 and 发布日期, which the workflow sets."""

    title = StringField("名称", validators=[InputRequired(REQUIRED), Length(max=300)])
    doc_number = StringField("发文字号", validators=[Optional(), Length(max=64)],
                             description="例如 石办〔2026〕3号；写成 [2026]、【2026】或 第003号 的会自动规范")
    publisher = StringField("发布机构", validators=[InputRequired(REQUIRED), Length(max=100)])
    written_date = DateField("成文日期", validators=[InputRequired(REQUIRED)], invalid_value_message=BAD_DATE_MESSAGE,
                             description="第二十六条：应自成文之日起 20 个工作日内公开")
    category = SelectField("主题分类", validators=[InputRequired(REQUIRED)], invalid_choice_message=CHOOSE)
    doc_type = SelectField("公文种类", choices=options(DOC_TYPES, "请选择公文种类"),
                           validators=[InputRequired(REQUIRED)], invalid_choice_message=CHOOSE)
    validity = SelectField("有效性", choices=options(VALIDITIES), default="有效",
                           invalid_choice_message=CHOOSE)
    repealed_date = DateField("废止日期", validators=[Optional()], invalid_value_message=BAD_DATE_MESSAGE,
                              description="仅在有效性为“废止”时填写")
    disclosure_method = StringField("公开方式", default="主动公开", validators=[Optional(), Length(max=20)])
    disclosure_scope = StringField("公开范围", default="面向全社会", validators=[Optional(), Length(max=50)])
    timeliness = SelectField("时效", choices=options(TIMELINESS), default="常年公开",
                             invalid_choice_message=CHOOSE)
    keywords = StringField("关键词", validators=[Optional(), Length(max=300)],
                           description="多个关键词用空格或逗号分隔，便于检索")
    summary = TextAreaField("内容概述", validators=[Optional(), Length(max=2000)])
    body = TextAreaField("正文", validators=[Optional(), Length(max=200_000)])
    attachments = MultipleFileField("附件", description="可一次选择多个文件：PDF、DOCX、XLSX、TXT 或图片（JPG、PNG、GIF）")
    version = HiddenField()

    def __init__(self, *args, entry_id: int | None = None, **kwargs):
        """Fill the 主题分类 options from the theme tree; `entry_id` is the entry being edited, if any."""
        super().__init__(*args, **kwargs)
        self.entry_id = entry_id
        self.category.choices = category_choices()
        self.written_date.description = f"第二十六条：应自成文之日起 {Office.current().art26_workdays} 个工作日内公开"
        self.values: dict = {}
        self.files: list = []

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the importer's checks, then each attachment by its content."""
        valid = super().validate(extra_validators)
        checked = check_fields(self._raw())
        for name, reason in checked.errors:
            if name == "published_date":
                name, reason = "written_date", LATER_THAN_TODAY
            field = getattr(self, name, None)
            if field is not None and not field.errors:
                field.errors = [*field.errors, reason]
                valid = False
        self.values = {k: v for k, v in checked.values.items() if k not in ("published_date", "index_number")}
        self.files = self._check_files()
        return valid and not self.attachments.errors

    def validate_doc_number(self, field):
        """The importer takes 发文字号 + 发布机构 for one entry: refuse a number another entry already has."""
        other = duplicate_of(field.data, self.publisher.data, self.entry_id)
        if other is not None:
            raise ValidationError(duplicate_message(other))

    def _raw(self) -> dict:
        """The typed values as text, as an import file would give them; 发布日期 is today."""
        raw = {name: self[name].data for name in (
            "title", "doc_number", "publisher", "category", "doc_type", "validity", "disclosure_method",
            "disclosure_scope", "timeliness", "keywords", "summary", "body")}
        for name in ("written_date", "repealed_date"):
            value = self[name].data
            raw[name] = value.isoformat() if isinstance(value, date) else ""
        raw["published_date"] = office_today().isoformat()
        return raw

    def _check_files(self) -> list:
        """Uploaded files checked by content; a refusal becomes an error on the field, in Chinese."""
        checked, limit = [], current_app.config.get("MAX_CONTENT_LENGTH")
        for upload in self.attachments.data or []:
            if not getattr(upload, "filename", ""):
                continue  # the browser sends an empty part when no file was chosen
            try:
                checked.append(check_file(upload.filename, upload.read(), limit))
            except AttachmentError as exc:
                self.attachments.errors = [*self.attachments.errors, str(exc)]
        return checked


class StepForm(VersionSeen, FlaskForm):
    """A workflow button: the CSRF token and the version of the entry the user saw."""

    version = HiddenField()


class ReasonForm(StepForm):
    """退回修改 or 标为失效, with an optional note."""

    reason = StringField("说明", validators=[Optional(), Length(max=500)])


class WithdrawForm(StepForm):
    """撤回: the reason is required (it stays in the history)."""

    reason = StringField("撤回原因", validators=[InputRequired("请填写撤回原因"), Length(max=500)])


class RepealForm(StepForm):
    """废止: from which date, and why."""

    repealed_date = DateField("废止日期", validators=[InputRequired("请填写废止日期")],
                              invalid_value_message=BAD_DATE_MESSAGE)
    reason = StringField("废止说明", validators=[Optional(), Length(max=500)],
                         description="例如 被石办〔2026〕5号文件废止")

    def validate_repealed_date(self, field):
        """A 废止日期 in the future is a plan, not a fact: record it when it happens."""
        if field.data and field.data > office_today():
            raise ValidationError("废止日期不能晚于今天")


# The form behind each workflow button; each is rendered and read with its action as prefix, so
# several on one page keep distinct ids.
STEP_FORMS = {"submit": StepForm, "return": ReasonForm, "publish": StepForm, "repeal": RepealForm,
              "expire": ReasonForm, "withdraw": WithdrawForm, "delete_attachment": StepForm}


def step_form(action: str, **kwargs) -> StepForm:
    """The form of one workflow step, prefixed with its action."""
    return STEP_FORMS[action](prefix=action, **kwargs)


class RelationForm(FlaskForm):
    """关联信息: the other entry by 索引号 or 发文字号, and how it relates to this one."""

    role = SelectField("关联类型", choices=[SelectChoice("", "请选择关联类型")]
                       + [SelectChoice(value, label) for value, label in ROLE_CHOICES.items()],
                       validators=[InputRequired("请选择关联类型")], invalid_choice_message=CHOOSE)
    reference = StringField("所关联信息的索引号或发文字号", validators=[InputRequired(REQUIRED), Length(max=64)],
                            description="例如 000014349/2026-00003 或 石办〔2026〕3号；草稿尚无索引号，可填发文字号")


class UnrelateForm(FlaskForm):
    """取消关联: only the CSRF token."""
