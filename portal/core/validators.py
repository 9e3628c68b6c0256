"""Checks on applicants' identifiers and contact details, with Chinese messages; plus WTForms wrappers.

Each check_* returns the normalized value (full-width characters folded, spaces removed, letters
upper-cased) or raises ValueError with a message written for the applicant. Nothing is escaped here:
Jinja escapes on output.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from wtforms.validators import ValidationError

from .clock import office_today

# GB 11643-1999: weights 2^(17-i) mod 11 and the check characters for remainders 0..10.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# First two digits: provinces (GB/T 2260), and 81/82/83 for 港澳台居民居住证.
ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)

# GB 32100-2015: 31 characters (no I, O, Z, S, V) and the weights of positions 1..17.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# 010 and 02x area codes have three digits, all others four; a local number never starts with 0.
LANDLINE_RE = re.compile(
    r"^(0(?:[12]\d|[3-9]\d{2}))-?([1-9]\d{6,7})(?:(?:-|转|#|ext\.?|分机)(\d{1,6}))?$", re.IGNORECASE
)
# A local 8-digit number without its area code (6212 3456): the applicant's own city's, as people write it.
# It never starts with 0 (an area code) or 1 (mobiles and service numbers such as 110, 12345).
LOCAL_RE = re.compile(r"^([2-9]\d{7})(?:(?:-|转|#|ext\.?|分机)(\d{1,6}))?$", re.IGNORECASE)


def _fold(s: str) -> str:
    """Full-width to half-width, no spaces, upper case: what a phone keyboard may have typed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or "")).upper()


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def check_resident_id(s: str, today: dt.date | None = None) -> str:
    """A valid 18-character 居民身份证 number, normalized (X upper-case); ValueError otherwise."""
    value = _fold(s)
    if len(value) == 15 and value.isdigit():
        raise ValueError("请填写18位居民身份证号码（15位旧号码已停止使用）")
    if len(value) != 18:
        raise ValueError("居民身份证号码应为18位")
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise ValueError("居民身份证号码前17位应为数字，最后一位为数字或字母X")
    if value[:2] not in ID_PROVINCES:
        raise ValueError("居民身份证号码的前两位地区码无效，请核对")
    today = today or office_today()
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth < dt.date(1900, 1, 1) or birth > today:
        raise ValueError("居民身份证号码中的出生日期（第7至14位）无效，请核对")
    if resident_id_check_char(value[:17]) != value[17]:
        raise ValueError("居民身份证号码校验位不符，请核对是否有输错的数字")
    return value


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def check_uscc(s: str) -> str:
    """A valid 18-character 统一社会信用代码, normalized; ValueError otherwise."""
    value = _fold(s)
    if len(value) != 18:
        raise ValueError("统一社会信用代码应为18位")
    bad = sorted({c for c in value if c not in USCC_CHARS})
    if bad:
        raise ValueError(f"统一社会信用代码只包含数字和大写字母（不含 I、O、Z、S、V），"
                         f"其中“{''.join(bad)}”无效")
    if uscc_check_char(value[:17]) != value[17]:
        raise ValueError("统一社会信用代码校验位不符，请核对是否有输错的字符")
    return value


def check_phone(s: str) -> str:
    """A mainland mobile (13812345678), a landline with area code (021-12345678[-801]) or a local 8-digit
    landline without it (62123456), normalized."""
    value = re.sub(r"[()（）]", "", _fold(s))
    mobile = MOBILE_RE.match(value.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = LANDLINE_RE.match(value)
    if landline:
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    local = LOCAL_RE.match(value)
    if local:
        number, extension = local.groups()
        return number + (f"-{extension}" if extension else "")
    raise ValueError("请填写11位手机号码，或固定电话（8位号码，可带区号，如 62123456 或 021-62123456）")


class _Check:
    """A WTForms validator around a check_* function: empty input is left to Optional/DataRequired."""

    check = staticmethod(lambda value: value)

    def __init__(self, message: str | None = None):
        """An optional message replaces the specific one."""
        self.message = message

    def __call__(self, form, field):
        """Validate, and store the normalized value back on the field."""
        if not field.data:
            return
        try:
            field.data = self.check(field.data)
        except ValueError as exc:
            raise ValidationError(self.message or str(exc)) from None


class ResidentId(_Check):
    """WTForms: a 居民身份证 number (GB 11643)."""

    check = staticmethod(check_resident_id)


class Uscc(_Check):
    """WTForms: a 统一社会信用代码 (GB 32100)."""

    check = staticmethod(check_uscc)


class Phone(_Check):
    """WTForms: a mainland mobile or landline number."""

    check = staticmethod(check_phone)
