"""Forms of the staff shell: the office's settings."""
import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from ..core.numbers import format_index_number
from ..core.validators import check_uscc

REQUIRED = "请填写此项"
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_org_code(value: str) -> str:
    """A 9-character 组织机构代码 (GB 11714 check character) or an 18-character 统一社会信用代码."""
    code = re.sub(r"[\s-]", "", value or "").upper()
    if len(code) == 18:
        return check_uscc(code)
    if len(code) != 9:
        raise ValueError("机构代码应为9位组织机构代码或18位统一社会信用代码")
    if any(c not in ORG_CODE_CHARS for c in code[:8]):
        raise ValueError("组织机构代码前8位只能是数字或大写字母")
    check = 11 - sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(code[:8], ORG_CODE_WEIGHTS)) % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    if code[8] != expected:
        raise ValueError("组织机构代码校验位不符，请核对是否有输错的字符")
    return code


class OfficeForm(FlaskForm):
    """The office's settings (guide page, 索引号, letters)."""

    name = StringField("机关名称", validators=[DataRequired(REQUIRED), Length(max=100)])
    short_name = StringField("简称", validators=[DataRequired(REQUIRED), Length(max=50)],
                             description="用于邮件标题等，例如 石泉路街道")
    org_code = StringField("机构代码", validators=[DataRequired(REQUIRED), Length(max=30)],
                           description="9位组织机构代码或18位统一社会信用代码，用于生成索引号")
    index_pattern = StringField("索引号格式", validators=[DataRequired(REQUIRED), Length(max=100)],
                                description="可用 {org_code}（机构代码）、{year}（年份）、{seq:05d}（5位流水号）；"
                                            "修改只影响今后生成的索引号")
    disclosure_office = StringField("政府信息公开工作机构", validators=[DataRequired(REQUIRED), Length(max=100)])
    address = StringField("办公地址", validators=[DataRequired(REQUIRED), Length(max=200)])
    postcode = StringField("邮政编码", validators=[DataRequired(REQUIRED), Length(max=10)])
    hours = StringField("办公时间", validators=[DataRequired(REQUIRED), Length(max=200)])
    phone = StringField("咨询电话", validators=[DataRequired(REQUIRED), Length(max=100)])
    email = StringField("电子邮箱", validators=[DataRequired(REQUIRED), Length(max=100),
                                              Email("请填写有效的电子邮箱地址", check_deliverability=False)])
    review_authority = StringField("行政复议机关", validators=[DataRequired(REQUIRED), Length(max=100)],
                                   description="写入不予公开等答复书的救济途径，例如 上海市普陀区人民政府")
    letter_prefix = StringField("文书编号前缀", validators=[DataRequired(REQUIRED), Length(max=20)],
                                description="例如 石信公，文书编号形如 石信公〔2026〕答字第7号")
    organisation_text = TextAreaField("信息的分类与编排（公开指南）",
                                      validators=[DataRequired(REQUIRED), Length(max=5000)])
    review_required = BooleanField("主动公开信息发布前须经审核",
                                   description="开启时，编辑起草的信息须由未参与起草的审核人员发布；关闭后编辑可直接发布")

    def validate_org_code(self, field):
        """GB 11714 or GB 32100 check character; stores the normalised code."""
        try:
            field.data = check_org_code(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate_postcode(self, field):
        """Six digits."""
        field.data = (field.data or "").strip()
        if not re.fullmatch(r"\d{6}", field.data):
            raise ValidationError("邮政编码应为6位数字")

    def validate_index_pattern(self, field):
        """The pattern must format with org_code/year/seq and contain the year and the serial."""
        pattern = (field.data or "").strip()
        field.data = pattern
        if "{year" not in pattern or "{seq" not in pattern:
            raise ValidationError("索引号格式必须包含 {year} 和 {seq}，否则索引号会重复")
        try:
            sample = format_index_number(pattern, org_code=self.org_code.data or "000000000", year=2026, seq=1)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            raise ValidationError("索引号格式无效：只能使用 {org_code}、{year}、{seq}，"
                                  "流水号位数写作 {seq:05d}") from None
        if len(sample) > 64:
            raise ValidationError("按此格式生成的索引号超过64个字符")
