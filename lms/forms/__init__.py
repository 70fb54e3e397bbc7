from lms.forms.base import Form
from lms.forms.fields import (
    NHSCheckboxesField,
    NHSCheckboxField,
    NHSDateField,
    NHSEmailField,
    NHSIntegerField,
    NHSPasswordField,
    NHSRadioField,
    NHSSelectField,
    NHSStringField,
    NHSTextAreaField,
)

__all__ = [
    "Form",
    "NHSCheckboxField",
    "NHSCheckboxesField",
    "NHSDateField",
    "NHSEmailField",
    "NHSIntegerField",
    "NHSPasswordField",
    "NHSRadioField",
    "NHSSelectField",
    "NHSStringField",
    "NHSTextAreaField",
]
