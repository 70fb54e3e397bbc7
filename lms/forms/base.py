from flask_wtf import FlaskForm


class Form(FlaskForm):
    """Base form: error summary entries in field order, each linking to its field."""

    def error_summary(self) -> list[dict]:
        items = []
        for field in self:
            if field.errors and field.type != "CSRFTokenField":
                items.append({"text": field.errors[0], "href": f"#{field.anchor_id}"})
        for message in getattr(self, "form_errors", []):
            items.append({"text": message, "href": "#main-content-form"})
        return items

    def add_form_error(self, message: str) -> None:
        """An error about the whole form (not one field), shown in the summary."""
        if not hasattr(self, "form_errors") or self.form_errors is None:
            self.form_errors = []
        self.form_errors.append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or bool(getattr(self, "form_errors", None))
