"""The shared whole-number form field: read as core.inputs.parse_int reads numbers, refused in Chinese."""
import pytest
from flask_wtf import FlaskForm
from wtforms.validators import InputRequired, Optional

from portal.core.fields import WholeNumberField
from tests.core.test_inputs import HUGE, NOT_ASCII_DIGITS


class Days(FlaskForm):
    """A required number of days, 1 to 20, and an optional one."""

    class Meta:
        csrf = False

    days = WholeNumberField("天数", validators=[InputRequired("请填写天数")], low=1, high=20)
    extra = WholeNumberField("另加", validators=[Optional()], low=0, high=5, message="另加天数应为0至5")


def submit(app, **data) -> Days:
    """The form bound to a POST of these values, validated."""
    with app.test_request_context(method="POST", data=data):
        form = Days()
        form.validate()
        return form


@pytest.mark.parametrize("raw", [*NOT_ASCII_DIGITS, *HUGE, "0", "21", "-1", "+3", "1.5", "1e1", "十"])
def test_anything_but_ascii_digits_within_bounds_is_a_chinese_error_and_shown_as_typed(app, raw):
    form = submit(app, days=raw)
    assert form.days.errors == ["请填写1至20之间的整数"] and form.days.data is None
    assert form.days._value() == raw


def test_a_number_is_read_with_spaces_around_and_blank_is_left_to_the_validators(app):
    form = submit(app, days=" 12 ", extra="")
    assert form.days.data == 12 and not form.days.errors and form.extra.data is None and not form.extra.errors
    assert submit(app, days="").days.errors == ["请填写天数"]
    assert submit(app, days="3", extra="６").extra.errors == ["另加天数应为0至5"]


def test_an_unsubmitted_form_shows_the_default_or_the_stored_number(app):
    with app.test_request_context():
        form = Days(formdata=None, days=7)
        assert form.days._value() == "7" and form.extra._value() == ""
