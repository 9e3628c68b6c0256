"""Forms of the staff shell: the office's settings and its list of other offices (Art. 36(五))."""
import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ..core.fields import WholeNumberField
from ..core.numbers import format_index_number
from ..core.validators import check_uscc
from ..info_requests.remedies import AUTHORITY
from ..models import PROOF_CHOICES, Office
from ..offices.services import taken

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


def check_names_authority(field) -> None:
    """A remedy text must contain the {复议机关} placeholder, so the letter names the 复议机关 of the settings."""
    field.data = (field.data or "").strip()
    if AUTHORITY not in field.data:
        raise ValidationError(f"须包含 {AUTHORITY}，答复书中会替换为行政复议机关的名称")


class OtherOfficeForm(FlaskForm):
    """Another office applicants are referred to (条例第三十六条第（五）项): name, address, phone."""

    name = StringField("机关名称", validators=[DataRequired(REQUIRED), Length(max=100)],
                       description="例如 上海市普陀区住房保障和房屋管理局")
    address = StringField("地址", validators=[Optional(), Length(max=200)])
    phone = StringField("电话", validators=[Optional(), Length(max=100)])

    def validate(self, extra_validators=None) -> bool:
        """At least one way to reach the office: the letter must give its 联系方式."""
        ok = super().validate(extra_validators)
        if not ((self.phone.data or "").strip() or (self.address.data or "").strip()):
            self.phone.errors = list(self.phone.errors) + ["请至少填写地址或电话，答复书需要告知该机关的联系方式"]
            return False
        return ok


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
                                   description="每份答复书的救济途径都写明该机关，例如 上海市普陀区人民政府")
    remedy_review_first = TextAreaField(
        "救济途径：不予公开、部分公开（复议前置）", validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="行政复议法第二十三条第一款第（四）项：须先申请行政复议（60日），对复议决定不服的再起诉（15日）。"
                    "用 {复议机关} 代表上面填写的行政复议机关")
    remedy_choice = TextAreaField(
        "救济途径：无法提供、不予处理、其他处理（含视为放弃）", validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="可以选择申请行政复议（60日）或者提起行政诉讼（行政诉讼法第四十六条，6个月）。用 {复议机关} 代表行政复议机关")
    remedy_disclosed = TextAreaField(
        "救济途径：予以公开、已经主动公开", validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="全部公开不是不利决定，只需简短提示。用 {复议机关} 代表行政复议机关")
    complaint_authority = StringField(
        "受理投诉、举报的机关", validators=[DataRequired(REQUIRED), Length(max=100)],
        description="条例第五十一条：上一级行政机关或者政府信息公开工作主管部门，写入公开指南，例如 上海市普陀区人民政府办公室")
    complaint_contact = StringField("该机关的联系方式", validators=[Optional(), Length(max=200)],
                                    description="电话、地址或网上投诉渠道，写入公开指南")
    letter_prefix = StringField("文书编号前缀", validators=[DataRequired(REQUIRED), Length(max=20)],
                                description="例如 石信公，文书编号形如 石信公〔2026〕答字第7号")
    organisation_text = TextAreaField("信息的分类与编排（公开指南）",
                                      validators=[DataRequired(REQUIRED), Length(max=5000)])
    art26_workdays = WholeNumberField(
        "主动公开期限（工作日）", validators=[InputRequired(REQUIRED)], low=1, high=20,
        description="条例第二十六条为自形成或者变更之日起20个工作日；本地规定更短期限（如15或10个工作日）的，填写本地期限")
    correction_min_workdays = WholeNumberField(
        "最短补正期限（工作日）", validators=[InputRequired(REQUIRED)], low=1, high=30,
        description="条例第三十条要求给予合理的补正期限；补正告知书给出的期限少于此数的，将不予发出")
    fee_payment_text = TextAreaField(
        "信息处理费缴纳方式", validators=[DataRequired(REQUIRED), Length(max=1000)],
        description="写入收费通知书（收费管理办法第六条：说明缴纳方式），例如缴费地点、非税收入缴款方式、票据")
    id_proof = RadioField("在线申请时提交身份证件复印件", choices=list(PROOF_CHOICES),
                          validators=[DataRequired("请选择一项")],
                          description="公民的居民身份证等证件，法人或其他组织的营业执照或登记证书；图片或 PDF")
    agent_proof = RadioField("由代理人申请时提交授权委托书", choices=list(PROOF_CHOICES),
                             validators=[DataRequired("请选择一项")])
    retention_years = WholeNumberField(
        "个人信息保存期限（年）", validators=[InputRequired(REQUIRED)], low=1, high=30,
        description="申请办结（答复、撤回或视为放弃）后保存申请人个人信息和身份证明材料的年数；期满后由运维人员执行"
                    " flask purge-personal-data 删除，保留年度报告所需的件数、结果和日期")
    review_required = BooleanField("主动公开信息发布前须经审核",
                                   description="开启时，编辑起草的信息须由未参与起草的审核人员发布；关闭后编辑可直接发布")

    def validate_org_code(self, field):
        """GB 11714 or GB 32100 check character; stores the normalised code; not another office's (its 索引号
        would repeat theirs)."""
        try:
            field.data = check_org_code(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        self._not_taken("org_code", field)

    def validate_name(self, field):
        """Not another office's name (residents and letters tell offices apart by it)."""
        self._not_taken("name", field)

    def validate_letter_prefix(self, field):
        """Not another office's 文书编号前缀 (its letter numbers would repeat theirs)."""
        self._not_taken("letter_prefix", field)

    def _not_taken(self, name: str, field) -> None:
        """Refuse a value another office of the portal holds, or issued numbers already carry."""
        problem = taken({name: (field.data or "").strip()}, Office.current()).get(name)
        if problem:
            raise ValidationError(problem)

    def validate_remedy_review_first(self, field):
        """Every answer names the 复议机关 (行政复议法第二十三条第二款 asks the office to say where to apply)."""
        check_names_authority(field)

    def validate_remedy_choice(self, field):
        """As above."""
        check_names_authority(field)

    def validate_remedy_disclosed(self, field):
        """As above."""
        check_names_authority(field)

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
        if "{org_code" not in pattern and Office.several():
            raise ValidationError("本门户服务多个机关：索引号格式必须包含 {org_code}，否则会与其他机关的索引号重复")
        try:
            sample = format_index_number(pattern, org_code=self.org_code.data or "000000000", year=2026, seq=1)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            raise ValidationError("索引号格式无效：只能使用 {org_code}、{year}、{seq}，"
                                  "流水号位数写作 {seq:05d}") from None
        if len(sample) > 64:
            raise ValidationError("按此格式生成的索引号超过64个字符")


class StandardItemForm(FlaskForm):
    """One row of the 基层政务公开标准目录: the 事项 is required, the other cells say how it is published."""

    matter = StringField("事项", validators=[DataRequired("请填写公开事项"), Length(max=200)],
                         description="例如 社会救助、政策文件、财政预决算")
    content = TextAreaField("公开内容", validators=[DataRequired("请填写公开内容"), Length(max=2000)])
    basis = TextAreaField("依据", validators=[DataRequired("请填写公开依据"), Length(max=2000)],
                          description="法律、法规、规章或规范性文件，例如 《中华人民共和国政府信息公开条例》第二十条")
    time_limit = StringField("时限", validators=[DataRequired("请填写公开时限"), Length(max=200)],
                             description="例如 自形成或者变更之日起20个工作日内")
    subject = StringField("主体", validators=[DataRequired("请填写公开主体"), Length(max=200)],
                          description="负责公开的机关或内设机构")
    channel = StringField("渠道", validators=[DataRequired("请填写公开渠道"), Length(max=300)],
                          description="例如 政府网站、政务公开栏、受理服务窗口")
    audience = StringField("对象", validators=[DataRequired("请填写公开对象"), Length(max=100)],
                           description="全社会或特定群体")
    method = StringField("方式", validators=[DataRequired("请填写公开方式"), Length(max=100)],
                         description="主动公开或依申请公开")


class DistrictOfficeForm(FlaskForm):
    """What the 区级管理员 sets for an office (portal.offices.services.FIELDS); the service checks the rest."""

    name = StringField("机关名称", validators=[Length(max=100)], description="例如 上海市普陀区万里街道办事处")
    short_name = StringField("简称", validators=[Length(max=50)], description="留空则与机关名称相同")
    code = StringField("网址代码", validators=[Length(max=20)],
                       description="该机关页面的网址 /o/代码/，小写字母、数字或连字符，例如 wanli")
    number_prefix = StringField("申请编号前缀", validators=[Length(max=6)],
                                description="申请编号以它开头，例如 WL（WL-2026-0001）；大写字母或数字")
    org_code = StringField("机构代码", validators=[Length(max=18)], description="9 位组织机构代码或 18 位统一社会信用代码，用于索引号")
    letter_prefix = StringField("文书编号前缀", validators=[Length(max=20)], description="例如 万信公")
    description = TextAreaField("掌握的信息（受理机关说明）", validators=[Length(max=2000)],
                                description="申请人选择受理机关时看到的说明")
    search_hint = StringField("检索提示", validators=[Length(max=200)], description="提示申请人的关键词，例如 低保、拆迁")
    position = WholeNumberField("排列顺序", validators=[Optional()], low=0, high=9999, description="数字小的排在前面")
