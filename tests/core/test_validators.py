"""Identifier and phone checks. ID numbers are generated here with computed check digits, never copied."""
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.validators import Optional

from portal.core.masking import mask_id, mask_phone
from portal.core.validators import (
    Phone,
    ResidentId,
    Uscc,
    check_phone,
    check_resident_id,
    check_uscc,
    resident_id_check_char,
    uscc_check_char,
)

TODAY = date(2026, 9, 24)


def make_id(region="310107", birth="19850612", seq="021", check=None):
    """A synthetic 居民身份证 number with its GB 11643 check digit (or a forced wrong one)."""
    body = region + birth + seq
    return body + (check or resident_id_check_char(body))


def id_ending_in_x():
    """A synthetic number whose check character is X."""
    for n in range(1000):
        body = f"31010719850612{n:03d}"
        if resident_id_check_char(body) == "X":
            return body + "X"
    raise AssertionError("no X check digit found")


def with_wrong_check(code):
    """The same code with a different, therefore wrong, last character."""
    return code[:17] + ("0" if code[-1] != "0" else "1")


def make_uscc(body="91310107MA1G8K2L3"):
    """A synthetic 统一社会信用代码 with its GB 32100 check character."""
    return body + uscc_check_char(body)


def test_gb11643_check_digit_matches_the_standard_weights():
    # Weighted sum of 11010519491231002 is 167; 167 mod 11 = 2 → check character X.
    assert resident_id_check_char("11010519491231002") == "X"


def test_valid_resident_id_is_returned_unchanged():
    number = make_id()
    assert check_resident_id(number, TODAY) == number


def test_lowercase_x_check_digit_is_normalized_to_uppercase():
    number = id_ending_in_x()
    assert check_resident_id(number.lower(), TODAY) == number


def test_full_width_digits_and_spaces_are_folded():
    number = make_id()
    typed = " ".join(number[i:i + 6] for i in range(0, 18, 6)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))
    assert check_resident_id(typed, TODAY) == number


def test_resident_id_with_wrong_check_digit_is_refused():
    with pytest.raises(ValueError, match="校验位"):
        check_resident_id(with_wrong_check(make_id()), TODAY)


def test_resident_id_with_impossible_birth_date_is_refused():
    with pytest.raises(ValueError, match="出生日期"):
        check_resident_id(make_id(birth="19850230"), TODAY)


def test_resident_id_born_after_today_is_refused():
    with pytest.raises(ValueError, match="出生日期"):
        check_resident_id(make_id(birth="20261001"), TODAY)


def test_resident_id_with_unknown_province_is_refused():
    with pytest.raises(ValueError, match="地区码"):
        check_resident_id(make_id(region="990101"), TODAY)


def test_old_15_digit_number_is_refused_with_an_explanation():
    with pytest.raises(ValueError, match="18位"):
        check_resident_id("310107850612021", TODAY)


def test_gb32100_example_code_is_valid():
    assert check_uscc("91350100M000100Y43") == "91350100M000100Y43"


def test_generated_uscc_is_valid_and_normalized():
    code = make_uscc()
    assert check_uscc(" " + code.lower() + " ") == code


def test_uscc_with_wrong_check_character_is_refused():
    with pytest.raises(ValueError, match="校验位"):
        check_uscc(with_wrong_check(make_uscc()))


def test_uscc_with_letters_outside_the_charset_is_refused():
    with pytest.raises(ValueError, match="I"):
        check_uscc("91310107IA1G8K2L3X")


def test_uscc_of_wrong_length_is_refused():
    with pytest.raises(ValueError, match="18位"):
        check_uscc("91310107MA1G8K2L")


@pytest.mark.parametrize("typed, normalized", [
    ("13812345678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("021-12345678", "021-12345678"),
    ("02112345678", "021-12345678"),
    ("(010)62345678", "010-62345678"),
    ("0571-8888888", "0571-8888888"),
    ("021-12345678-801", "021-12345678-801"),
    ("021-12345678转801", "021-12345678-801"),
    ("6212 3456", "62123456"),
    ("62123456", "62123456"),
    ("６２１２３４５６", "62123456"),
    ("010-62123456", "010-62123456"),
    ("0571 8765 4321", "0571-87654321"),
    ("62123456-801", "62123456-801"),
])
def test_mobile_and_landline_numbers_are_accepted_and_normalized(typed, normalized):
    assert check_phone(typed) == normalized


@pytest.mark.parametrize("typed", ["12345678", "1381234567", "12812345678", "021-0234567", "0211234567890", "电话",
                                   "02123456", "6212345", "621234567"])
def test_malformed_phone_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="手机号码"):
        check_phone(typed)


def test_masks_keep_only_the_ends():
    assert mask_id("31010119900307123X") == "3101**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-12345678-801") == "021-****5678"
    assert mask_phone("62123456") == mask_phone("62123456-801") == "****3456"  # a local number without area code


class ApplicantForm(Form):
    """A form using the wrappers as the application form will."""

    id_number = StringField(validators=[Optional(), ResidentId()])
    credit_code = StringField(validators=[Optional(), Uscc()])
    phone = StringField(validators=[Optional(), Phone()])


def test_form_wrappers_normalize_valid_input():
    number = id_ending_in_x()
    form = ApplicantForm(MultiDict({"id_number": number.lower(), "credit_code": make_uscc().lower(),
                                    "phone": "021 1234 5678"}))
    assert form.validate(), form.errors
    assert form.id_number.data == number and form.phone.data == "021-12345678"


def test_form_wrappers_report_the_chinese_message():
    form = ApplicantForm(MultiDict({"id_number": with_wrong_check(make_id()), "credit_code": "123",
                                    "phone": "123"}))
    assert not form.validate()
    assert "校验位" in form.id_number.errors[0]
    assert form.credit_code.errors == ["统一社会信用代码应为18位"]
    assert "手机号码" in form.phone.errors[0]


@pytest.mark.parametrize("number, masked", [
    ("31010719800101123X", "3101**********123X"),
    ("12345678", "12****78"),
    ("E12345678", "E1*****78"),
    ("H1234567890", "H1*******90"),
    ("12345", "*****"),
    ("", ""),
])
def test_masked_identifier_never_shows_more_than_half_of_it(number, masked):
    assert mask_id(number) == masked
    assert sum(ch != "*" for ch in mask_id(number)) <= len(number) / 2
