"""Forms for delivering released information: the files on the reply form, and a handover on paper."""
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.fields import BAD_DATE_MESSAGE, DATE_MESSAGE
from ...core.uploads import AttachmentError
from ...models import HANDOVER_METHODS
from .. import releases


def released_field() -> MultipleFileField:
    """The reply form's file field (made in the form's body, so it sits where the form puts it)."""
    return MultipleFileField(
        "公开的政府信息文件", description=f"予以公开、部分公开的，可附上公开的信息（部分公开的附区分处理后的文本）："
                                   f"{releases.KINDS}，可一次选择多个文件；申请人在查询页面下载，答复书列明文件名称和大小")


class ReleasedFilesForm:
    """Mixed into the reply form (with its `released = released_field()`): each file checked by its
    content when the form validates, into `released_files`.

    A refused file becomes an error on the field (the typed text stays; a browser never keeps a chosen
    file, so the message asks for the files again)."""

    def validate(self, extra_validators=None) -> bool:
        """The form's own checks, then each file by its content."""
        valid = super().validate(extra_validators)
        self.released_files = []
        errors = []
        for upload in self.released.data or []:
            if not getattr(upload, "filename", ""):
                continue  # the browser sends an empty part when no file was chosen
            try:
                self.released_files.append(releases.check_file(upload.filename, upload.read()))
            except AttachmentError as exc:
                errors.append(str(exc))
        if errors:
            self.released.errors = [*self.released.errors, *errors, "文件未保存，请改正后重新选择全部文件。"]
        return valid and not errors


class HandoverForm(FlaskForm):
    """How and when information on paper or a disc reached the applicant."""

    method = RadioField("交付方式", choices=[SelectChoice(m, m) for m in HANDOVER_METHODS], default="邮寄",
                        validators=[DataRequired("请选择交付方式")])
    on = DateField("交付日期", validators=[InputRequired(DATE_MESSAGE)],
                   invalid_value_message=BAD_DATE_MESSAGE,
                   description="邮寄、快递填寄出之日；自行领取、当场阅读填申请人领取或阅读之日")
    tracking_number = StringField("邮件或快递单号", validators=[Optional(), Length(max=40, message="单号不能超过40个字符")],
                                  description="邮寄、快递的必填")
    note = TextAreaField("说明", validators=[Optional(), Length(max=500)],
                         description="申请人查询时可以看到，例如：光盘一张；申请人本人签收")
