"""WTForms fields that forms of several packages share."""
from wtforms import SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from .inputs import parse_int

# The two Chinese messages of every DateField: left blank, and typed but not a real YYYY-MM-DD date.
DATE_MESSAGE = "请填写日期，格式为 YYYY-MM-DD"
BAD_DATE_MESSAGE = "日期无效，格式应为 YYYY-MM-DD，例如 2026-03-05"


class CheckboxGroup(SelectMultipleField):
    """Several choices as checkboxes (a fieldset of labelled boxes, no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WholeNumberField(StringField):
    """A whole number typed in ASCII digits within low…high (core.inputs.parse_int), else a Chinese error.

    WTForms' IntegerField takes int() of the text: it accepts full-width "１２" and "٣" silently, answers "²"
    or "①" in English, and leaves a 31-digit number to whatever comes next. Here `data` is the int (None
    when blank or refused) and the page shows back exactly what was typed. Blank is left to the validators
    (InputRequired or Optional).
    """

    def __init__(self, label=None, validators=None, *, low: int, high: int, message: str = "", **kwargs):
        """Bounds inclusive; the message defaults to 请填写{low}至{high}之间的整数."""
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)
        self.low, self.high = low, high
        self.message = message or f"请填写{low}至{high}之间的整数"

    def process_formdata(self, valuelist):
        """Read the typed text; anything but a bounded ASCII whole number is a form error, never a 500."""
        self.data = None
        text = valuelist[0].strip() if valuelist and valuelist[0] else ""
        if text:
            self.data = parse_int(text, self.low, self.high)
            if self.data is None:
                raise ValueError(self.message)

    def _value(self) -> str:
        """What the input shows: the text typed, else the stored or default number."""
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)
