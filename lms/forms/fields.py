"""WTForms fields that render themselves with the matching NHS.UK frontend macro.

Each field fills the macro's params (id, name, value, label, hint, errorMessage) from itself,
so templates call ``{{ form.email(hint="...") }}`` and never repeat field or error markup.
"""
from datetime import date

from markupsafe import Markup
from wtforms import fields, validators

from lms.components import render_component
from lms.forms.filters import clean_line, clean_text

def _merge(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class NHSFieldMixin:
    component = "input"
    is_page_heading = False

    def __init__(self, label=None, validators=None, hint=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.hint = hint

    @property
    def anchor_id(self) -> str:
        return self.id

    def base_params(self) -> dict:
        return {"id": self.id, "name": self.name, "label": {"text": str(self.label.text)}, **self.hint_and_error()}

    def hint_and_error(self) -> dict:
        params = {}
        if self.hint:
            params["hint"] = {"text": self.hint}
        if self.errors:
            params["errorMessage"] = {"text": self.errors[0]}
        return params

    def value_params(self) -> dict:
        value = self._value() if hasattr(self, "_value") else self.data
        return {"value": value} if value not in (None, "") else {}

    def __call__(self, **extra) -> Markup:
        params = _merge({**self.base_params(), **self.value_params()}, extra)
        return render_component(self.component, params)


class NHSStringField(NHSFieldMixin, fields.StringField):
    def __init__(self, *args, **kwargs):
        kwargs["filters"] = [clean_line, *kwargs.get("filters", []), _strip]
        super().__init__(*args, **kwargs)


class NHSEmailField(NHSStringField):
    def base_params(self) -> dict:
        return {**super().base_params(), "type": "email", "autocomplete": "email", "spellcheck": False}


class NHSIntegerField(NHSFieldMixin, fields.IntegerField):
    def base_params(self) -> dict:
        return {**super().base_params(), "inputmode": "numeric", "width": "5"}

    def value_params(self) -> dict:
        if self.raw_data:
            return {"value": self.raw_data[0]}
        return {"value": str(self.data)} if self.data is not None else {}


class NHSPasswordField(NHSFieldMixin, fields.PasswordField):
    component = "passwordInput"

    def value_params(self) -> dict:
        return {}  # never echo a password back


class NHSTextAreaField(NHSFieldMixin, fields.TextAreaField):
    component = "textarea"

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        kwargs["filters"] = [clean_text, *kwargs.get("filters", [])]
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def __call__(self, **extra) -> Markup:
        if self.max_length:
            self.component = "characterCount"
            extra = {"maxlength": self.max_length, **extra}
        return super().__call__(**extra)


class _ChoiceMixin(NHSFieldMixin):
    def item_params(self) -> list[dict]:
        current = self.data if isinstance(self.data, (list, tuple, set)) else [self.data]
        current = {str(value) for value in current if value is not None}
        return [
            {"value": str(value), "text": str(label), "checked": str(value) in current}
            for value, label in self.choices
        ]

    def base_params(self) -> dict:
        params = super().base_params()
        label = params.pop("label")
        params["fieldset"] = {"legend": {"text": label["text"], "size": "s"}}
        params["idPrefix"] = self.id
        params["items"] = self.item_params()
        return params

    @property
    def anchor_id(self) -> str:
        # The error summary links to the first option, as the NHS.UK pattern asks.
        return self.id

    def value_params(self) -> dict:
        return {}


class NHSRadioField(_ChoiceMixin, fields.RadioField):
    component = "radios"


class NHSCheckboxesField(_ChoiceMixin, fields.SelectMultipleField):
    component = "checkboxes"

    def pre_validate(self, form):
        values = {str(value) for value, _ in self.choices}
        for item in self.data or []:
            if str(item) not in values:
                raise validators.ValidationError("Select from the options given")


class NHSCheckboxField(NHSFieldMixin, fields.BooleanField):
    """A single checkbox (for example consent), rendered as a one-item checkboxes component."""

    component = "checkboxes"

    def __init__(self, label=None, validators=None, hint=None, legend=None, **kwargs):
        super().__init__(label, validators, hint=hint, **kwargs)
        self.legend = legend

    def base_params(self) -> dict:
        params = {
            "idPrefix": self.id,
            "name": self.name,
            "items": [{"value": "y", "text": str(self.label.text), "checked": bool(self.data)}],
        }
        if self.legend:
            params["fieldset"] = {"legend": {"text": self.legend, "size": "s"}}
        return {**params, **self.hint_and_error()}

    def value_params(self) -> dict:
        return {}


class NHSSelectField(NHSFieldMixin, fields.SelectField):
    component = "select"

    def base_params(self) -> dict:
        params = super().base_params()
        current = "" if self.data is None else str(self.data)
        params["items"] = [
            {"value": str(value), "text": str(label), "selected": str(value) == current}
            for value, label in self.choices
        ]
        return params

    def value_params(self) -> dict:
        return {}


class NHSDateField(NHSFieldMixin, fields.Field):
    """Day, month and year boxes (NHS.UK date input). Keeps what was typed when it is invalid."""

    component = "dateInput"

    def __init__(self, label=None, validators=None, hint=None, **kwargs):
        super().__init__(label, validators, hint=hint, **kwargs)
        self.parts = {"day": "", "month": "", "year": ""}

    @property
    def anchor_id(self) -> str:
        return f"{self.id}-day"

    def process_formdata(self, valuelist):
        pass

    def process(self, formdata, data=fields.core.unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in self.parts):
            self.parts = {part: formdata.get(f"{self.name}-{part}", "").strip() for part in self.parts}
            self.data = None
            if not any(self.parts.values()):
                return
            try:
                self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
                if self.data.year < 1900:
                    raise ValueError
            except (TypeError, ValueError):
                self.data = None
                self.process_errors.append(f"{self.label.text} must be a real date")
        elif isinstance(self.data, date):
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}

    def base_params(self) -> dict:
        params = super().base_params()
        label = params.pop("label")
        params["fieldset"] = {"legend": {"text": label["text"], "size": "s"}}
        params["namePrefix"] = self.name
        error = bool(self.errors)
        params["items"] = [
            {"name": "day", "value": self.parts["day"], "width": 2, "classes": "nhsuk-input--error" if error else ""},
            {"name": "month", "value": self.parts["month"], "width": 2, "classes": "nhsuk-input--error" if error else ""},
            {"name": "year", "value": self.parts["year"], "width": 4, "classes": "nhsuk-input--error" if error else ""},
        ]
        return params

    def value_params(self) -> dict:
        return {}


def _strip(value):
    return value.strip() if isinstance(value, str) else value
