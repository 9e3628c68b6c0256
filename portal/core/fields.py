"""WTForms fields that forms of several packages share."""
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxGroup(SelectMultipleField):
    """Several choices as checkboxes (a fieldset of labelled boxes, no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
