"""Validators with NHS service manual wording."""
from email_validator import EmailNotValidError, validate_email
from wtforms import validators
from wtforms.validators import ValidationError


class Required(validators.InputRequired):
    """Like InputRequired, but whitespace alone counts as nothing typed."""

    def __call__(self, form, field):
        data = field.data
        if data is None or (isinstance(data, str) and not data.strip()) or data == [] or data is False:
            if not field.raw_data or not any(str(v).strip() for v in field.raw_data) or data is False:
                field.errors[:] = []
                raise validators.StopValidation(self.message)


class MaxLength:
    def __init__(self, maximum: int, message: str):
        self.maximum = maximum
        self.message = message

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(self.message)


class EmailAddress:
    def __init__(self, message="Enter an email address in the correct format, like name@example.com"):
        self.message = message

    def __call__(self, form, field):
        value = (field.data or "").strip()
        if not value:
            return
        if len(value) > 254:
            raise ValidationError("Email address must be 254 characters or fewer")
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message) from None
